// TEMPORARY STUB written by the ssh-tools helper because command-policy.ts did not exist yet.
// The command-policy helper owns this file and replaces it; do not keep this stub.
/** What the command policy decided. */
export type CommandVerdict =
  | { readonly kind: 'read'; readonly programs: readonly string[] }
  | { readonly kind: 'write'; readonly reasons: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string };

const READ = new Set(['uname', 'ls', 'seq', 'cat', 'df', 'uptime', 'echo', 'true']);

/** Stub: simple commands only; known read programs read, anything else writes. */
export async function judgeCommand(command: string): Promise<CommandVerdict> {
  if (/[;&|`$<>(){}]/.test(command) || /^\s*eval\b/.test(command))
    return { kind: 'refused', reason: 'stub: no shell syntax' };
  const program = command.trim().split(/\s+/)[0] ?? '';
  return READ.has(program)
    ? { kind: 'read', programs: [program] }
    : { kind: 'write', reasons: [`${program} is not known to be read-only`] };
}
