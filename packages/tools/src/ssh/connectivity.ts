import type { ToolDefinition } from '@akmatori/core';
import {
  hostsArgument,
  runOnHosts,
  selectHosts,
  succeeded,
  type SshToolDependencies,
} from './host-runs.js';
import type { SshCredentials } from './ssh-credentials.js';
import type { HostRun } from './ssh-exec.js';

/** Arguments of `test_connectivity`. */
export interface TestConnectivityArgs {
  readonly hosts?: readonly string[];
}

/** One host's answer to `test_connectivity`. */
export interface ConnectivityResult {
  readonly host: string;
  /** True when the host was reached, logged in to, and ran `true`. */
  readonly ok: boolean;
  /** Time to connect, log in and run `true`. */
  readonly latency_ms: number;
  readonly error?: string;
  readonly error_code?: string;
}

/** Seconds `true` may take once logged in. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * `test_connectivity`: connects and logs in to hosts of the instance and runs `true`,
 * reporting per host whether that worked and how long it took. Read-only.
 *
 * @example
 * ```ts
 * await testConnectivityTool({ trustStore: processHostKeyTrustStore }).execute(context, {});
 * ```
 */
export function testConnectivityTool(
  dependencies: SshToolDependencies,
): ToolDefinition<SshCredentials, TestConnectivityArgs> {
  return {
    name: 'test_connectivity',
    description:
      'Checks that hosts of this tool instance can be reached over SSH: connects, verifies the ' +
      'host key, logs in and runs `true`, then reports per host ok or the error, and the ' +
      'latency. Changes nothing. `hosts` are host names of this instance (default: all).',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { hosts: hostsArgument },
    },
    readOnly: true,
    async execute(context, args) {
      const selection = selectHosts(context.credentials, args.hosts);
      if (!selection.ok) return selection.result;
      const runs = await runOnHosts(
        selection.hosts,
        'true',
        context,
        dependencies,
        PROBE_TIMEOUT_MS,
      );
      const results = runs.map(connectivityOf);
      return {
        text: results
          .map((result) =>
            result.ok
              ? `${result.host}: ok (${result.latency_ms} ms)`
              : `${result.host}: failed (${result.latency_ms} ms): ${result.error ?? 'unknown error'}`,
          )
          .join('\n'),
        structured: { results },
        isError: results.some((result) => !result.ok),
      };
    },
  };
}

function connectivityOf(run: HostRun): ConnectivityResult {
  const ok = succeeded(run);
  const error = ok ? undefined : (run.error ?? describeFailure(run));
  return {
    host: run.host,
    ok,
    latency_ms: run.duration_ms,
    ...(error === undefined ? {} : { error }),
    ...(run.error_code === undefined ? {} : { error_code: run.error_code }),
  };
}

function describeFailure(run: HostRun): string {
  if (run.timed_out) return `\`true\` did not finish within ${PROBE_TIMEOUT_MS / 1000} s`;
  return `\`true\` exited ${run.exit_code ?? run.signal ?? 'without status'}`;
}
