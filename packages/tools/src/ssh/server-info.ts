import type { ToolDefinition } from '@akmatori/core';
import {
  hostsArgument,
  reportRuns,
  runOnHosts,
  selectHosts,
  type SshToolDependencies,
} from './host-runs.js';
import type { SshCredentials } from './ssh-credentials.js';

/** Arguments of `get_server_info`. */
export interface ServerInfoArgs {
  readonly hosts?: readonly string[];
}

/**
 * The fixed, read-only command `get_server_info` runs: kernel, uptime and load, CPUs,
 * memory and disks, each under a `--- name` line. It is ours, so it skips the command policy.
 */
export const SERVER_INFO_COMMAND = [
  "echo '--- kernel'; uname -a",
  "echo '--- uptime'; uptime",
  "echo '--- cpus'; nproc",
  "echo '--- memory (MiB)'; free -m",
  "echo '--- disks'; df -hP",
].join('; ');

/** Seconds the info command may take per host. */
const SERVER_INFO_TIMEOUT_MS = 30_000;

/**
 * `get_server_info`: kernel, uptime and load, CPU count, memory and disk usage of hosts of
 * the instance, one section per host. Read-only.
 *
 * @example
 * ```ts
 * await serverInfoTool({ trustStore: processHostKeyTrustStore }).execute(context, { hosts: ['db1'] });
 * ```
 */
export function serverInfoTool(
  dependencies: SshToolDependencies,
): ToolDefinition<SshCredentials, ServerInfoArgs> {
  return {
    name: 'get_server_info',
    description:
      'Shows, per host of this tool instance, the kernel (uname -a), uptime and load, CPU ' +
      'count, memory (free -m) and disk usage (df -hP). Changes nothing. `hosts` are host ' +
      'names of this instance (default: all).',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { hosts: hostsArgument },
    },
    readOnly: true,
    async execute(context, args) {
      const selection = selectHosts(context.credentials, args.hosts);
      if (!selection.ok) return selection.result;
      return reportRuns(
        await runOnHosts(
          selection.hosts,
          SERVER_INFO_COMMAND,
          context,
          dependencies,
          SERVER_INFO_TIMEOUT_MS,
        ),
      );
    },
  };
}
