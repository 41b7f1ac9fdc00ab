import { defineToolProvider, type ToolProvider } from '@akmatori/core';
import { sshCredentialSchema, type SshCredentials } from './ssh-credentials.js';

/**
 * The `ssh` tool type: commands on the hosts a tool instance lists. The tools themselves
 * arrive with the MCP gateway; for now it defines the credentials operators configure.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [sshTools] });
 * ```
 */
export const sshTools: ToolProvider<SshCredentials> = defineToolProvider<SshCredentials>({
  id: 'ssh',
  displayName: 'SSH',
  credentialSchema: sshCredentialSchema,
  tools: [],
});
