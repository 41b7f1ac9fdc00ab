/**
 * `@akmatori/tools`: the built-in tool providers, bundled as one plugin the app registers.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The built-in tool providers as a plugin. The SSH and Zabbix providers are added here as
 * they are built; until then it contributes none.
 *
 * @example
 * ```ts
 * host.register(builtinTools());
 * ```
 */
export function builtinTools(): AkmatoriPlugin {
  return definePlugin({ name: '@akmatori/tools', version, coreVersion: '^0.1.0', tools: [] });
}
