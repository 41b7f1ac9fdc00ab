import type { ToolContext, ToolResult } from '@akmatori/core';
import type { HostKeyTrustStore } from './host-key.js';
import type { SshCredentials, SshHost } from './ssh-credentials.js';
import { runOnHost, type HostRun } from './ssh-exec.js';

/**
 * The exit code recorded for a host whose command did not exit by itself: it timed out,
 * was killed by a signal, or the host could not be reached (as `ssh` itself exits 255).
 */
export const FAILED_HOST_EXIT_CODE = 255;

/** What the SSH tools share across calls. */
export interface SshToolDependencies {
  /** Where trust-on-first-use host keys are remembered. */
  readonly trustStore: HostKeyTrustStore;
  /** Handshake and login timeout per hop, in ms; default 10 s. */
  readonly readyTimeoutMs?: number;
}

/** The hosts a call targets, or the names it used that the instance does not have. */
export type HostSelection =
  | { readonly ok: true; readonly hosts: readonly SshHost[] }
  | { readonly ok: false; readonly result: ToolResult };

/**
 * The instance's hosts named by `names` (all of them when absent), in the order given, or
 * a refused result listing the unknown names and the known ones.
 *
 * @example
 * ```ts
 * const selection = selectHosts(credentials, ['web1']);
 * if (!selection.ok) return selection.result;
 * ```
 */
export function selectHosts(
  credentials: SshCredentials,
  names: readonly string[] | undefined,
): HostSelection {
  if (names === undefined) return { ok: true, hosts: credentials.hosts };
  const byName = new Map(credentials.hosts.map((host) => [host.name, host]));
  const hosts: SshHost[] = [];
  const unknown: string[] = [];
  for (const name of new Set(names)) {
    const host = byName.get(name);
    if (host === undefined) unknown.push(name);
    else hosts.push(host);
  }
  if (unknown.length === 0) return { ok: true, hosts };
  const known = [...byName.keys()].join(', ');
  return {
    ok: false,
    result: refusal(`unknown host ${unknown.join(', ')}; this tool instance has: ${known}`),
  };
}

/** A result saying policy refused the call and nothing ran. */
export function refusal(text: string): ToolResult {
  return { text: `refused: ${text}`, isError: true, refused: true };
}

/**
 * Runs `command` on every host at once, each with its own connection and timeout; the
 * call's abort signal stops them all.
 *
 * @example
 * ```ts
 * const runs = await runOnHosts(hosts, 'uptime', context, dependencies, 60_000);
 * ```
 */
export function runOnHosts(
  hosts: readonly SshHost[],
  command: string,
  context: ToolContext<SshCredentials>,
  dependencies: SshToolDependencies,
  timeoutMs: number,
): Promise<HostRun[]> {
  return Promise.all(
    hosts.map((host) =>
      runOnHost(host, command, {
        credentials: context.credentials,
        trustStore: dependencies.trustStore,
        signal: context.signal,
        timeoutMs,
        ...(dependencies.readyTimeoutMs === undefined
          ? {}
          : { readyTimeoutMs: dependencies.readyTimeoutMs }),
      }),
    ),
  );
}

/** Whether a host's command ran and exited 0. */
export function succeeded(run: HostRun): boolean {
  return run.exit_code === 0 && run.error === undefined && !run.timed_out;
}

/** The run's exit code, or {@link FAILED_HOST_EXIT_CODE} when it did not exit by itself. */
export function exitCodeOf(run: HostRun): number {
  return run.exit_code ?? FAILED_HOST_EXIT_CODE;
}

/**
 * The tool result for per-host runs: a `=== web1 (exit 0, 120 ms) ===` section per host
 * with its stdout and stderr, `structured.results`, `isError` when any host failed, and
 * the worst exit code.
 *
 * @example
 * ```ts
 * return reportRuns(await runOnHosts(hosts, command, context, dependencies, 60_000));
 * ```
 */
export function reportRuns(runs: readonly HostRun[]): ToolResult {
  const text = runs.map(section).join('\n\n');
  return {
    text,
    structured: { results: runs },
    isError: runs.some((run) => !succeeded(run)),
    exitCode: Math.max(0, ...runs.map(exitCodeOf)),
  };
}

function section(run: HostRun): string {
  const lines = [`=== ${run.host} (${outcome(run)}, ${run.duration_ms} ms) ===`];
  if (run.error !== undefined) lines.push(`error: ${run.error}`);
  if (run.stdout !== '') lines.push(run.stdout.replace(/\n$/, ''));
  if (run.stderr !== '') lines.push('--- stderr ---', run.stderr.replace(/\n$/, ''));
  return lines.join('\n');
}

function outcome(run: HostRun): string {
  if (run.timed_out) return 'timed out';
  if (run.error !== undefined) return 'error';
  if (run.signal !== undefined) return `killed by ${run.signal}`;
  return `exit ${run.exit_code ?? 'unknown'}`;
}

/** The `hosts` argument every SSH tool takes. */
export const hostsArgument = {
  type: 'array',
  description:
    'Names of hosts of this tool instance to act on (not addresses). Default: every host of the instance.',
  items: { type: 'string', minLength: 1 },
  minItems: 1,
  uniqueItems: true,
} as const;
