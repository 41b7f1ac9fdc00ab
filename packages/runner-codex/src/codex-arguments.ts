import { CodexRunnerErrors } from './errors.js';

/** What one `codex exec` invocation does. */
export interface CodexExecArgumentsOptions {
  /** Codex's working directory (`-C`). */
  readonly workspaceDir: string;
  /** The prompt (passed after `--`, so one starting with `-` is not read as a flag). */
  readonly prompt: string;
  /** Thread id of an earlier run to continue (`codex exec resume <id>`). */
  readonly resumeSessionId?: string;
  /** Extra `-c key=value` overrides (the value is TOML). */
  readonly configOverrides?: readonly string[];
}

/**
 * The arguments after `codex` for a non-interactive run with JSONL events on stdout:
 * `exec --json --skip-git-repo-check --strict-config -C <ws> [-c …] -- <prompt>`, or for a
 * follow-up `exec resume <id> --json --skip-git-repo-check --strict-config [-c …] -- <prompt>`
 * (`resume` takes no `-C`: spawn it with the workspace as its working directory).
 * `--strict-config` makes a config key this Codex version does not know an error.
 *
 * @example
 * ```ts
 * codexExecArguments({ workspaceDir: '/runs/r1/workspace', prompt: 'Investigate.' });
 * ```
 */
export function codexExecArguments(options: CodexExecArgumentsOptions): string[] {
  const common = ['--json', '--skip-git-repo-check', '--strict-config'];
  const overrides = (options.configOverrides ?? []).flatMap((override) => ['-c', override]);
  if (options.resumeSessionId !== undefined) {
    if (!/^[A-Za-z0-9][\w-]*$/.test(options.resumeSessionId)) {
      throw CodexRunnerErrors.AKM_CODEX_SESSION_ID_INVALID({ sessionId: options.resumeSessionId });
    }
    return [
      'exec',
      'resume',
      options.resumeSessionId,
      ...common,
      ...overrides,
      '--',
      options.prompt,
    ];
  }
  return ['exec', ...common, '-C', options.workspaceDir, ...overrides, '--', options.prompt];
}
