export { buildSshHost, sshHostEnvironment, sshHostSpecSchema } from './ssh-host.js';
export type { SshHost, SshHostSpec } from './ssh-host.js';
export type { HostFault, HostFaultContext, HostFaultSetup } from './fault.js';
export type * from './faults/index.js';
