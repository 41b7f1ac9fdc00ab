import { createRequire } from 'node:module';

/** The version of this package. */
export const runnerCodexVersion: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
