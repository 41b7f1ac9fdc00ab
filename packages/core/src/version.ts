import { createRequire } from 'node:module';

const manifest = createRequire(import.meta.url)('../package.json') as { version: string };

/** The version of `@akmatori/core` that is running; plugins declare a range it must satisfy. */
export const coreVersion: string = manifest.version;
