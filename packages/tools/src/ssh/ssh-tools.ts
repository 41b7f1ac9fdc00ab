import { defineToolProvider, type ToolProvider } from '@akmatori/core';
import { executeCommandTool } from './execute-command.js';
import { processHostKeyTrustStore } from './host-key.js';
import type { SshToolDependencies } from './host-runs.js';
import { serverInfoTool } from './server-info.js';
import { sshCredentialSchema, type SshCredentials } from './ssh-credentials.js';
import { testConnectivityTool } from './connectivity.js';

/**
 * The `ssh` tool type with its own dependencies: a trust store for host keys accepted on
 * first use, and the login timeout. {@link sshTools} is this with the process-wide store.
 *
 * @example
 * ```ts
 * const provider = createSshTools({ trustStore: new HostKeyTrustStore() });
 * ```
 */
export function createSshTools(dependencies: SshToolDependencies): ToolProvider<SshCredentials> {
  return defineToolProvider({
    id: 'ssh',
    displayName: 'SSH',
    credentialSchema: sshCredentialSchema,
    tools: [
      executeCommandTool(dependencies),
      testConnectivityTool(dependencies),
      serverInfoTool(dependencies),
    ],
  });
}

/**
 * The `ssh` tool type: `execute_command` (read-only commands at once, writes after an
 * operator approves, on hosts that allow them), `test_connectivity` and `get_server_info`
 * on the hosts a tool instance lists. Host keys trusted on first use are remembered for
 * the life of the process.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [sshTools] });
 * ```
 */
export const sshTools: ToolProvider<SshCredentials> = createSshTools({
  trustStore: processHostKeyTrustStore,
});
