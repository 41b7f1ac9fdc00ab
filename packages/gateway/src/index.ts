/**
 * `@akmatori/gateway`: the MCP gateway process that exposes tool providers to agents.
 */
import { createRequire } from 'node:module';

/** The version of this package. */
export const gatewayVersion: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
