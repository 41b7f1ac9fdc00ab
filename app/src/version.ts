import { createRequire } from 'node:module';

/** The version of the `akmatori` app package. */
export const appVersion: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
