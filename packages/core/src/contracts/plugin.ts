import type { AlertAdapter } from './alert-adapter.js';
import type { Notifier } from './notifier.js';
import type { Runner } from './runner.js';
import type { ToolProvider } from './tool-provider.js';

/**
 * A bundle of adapters, tool providers, runners and notifiers, published as one npm package.
 * The app loads plugins by package name from its configuration.
 */
export interface AkmatoriPlugin {
  /** Unique plugin name; use the npm package name. */
  readonly name: string;
  /** The plugin's own version, shown to operators. */
  readonly version?: string;
  /** Semver range of `@akmatori/core` the plugin works with, e.g. `^0.1.0`. */
  readonly coreVersion?: string;
  /** Alert sources the plugin adds. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each adapter has its own config type
  readonly adapters?: readonly AlertAdapter<any>[];
  /** Tool providers the plugin adds. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each provider has its own credential type
  readonly tools?: readonly ToolProvider<any>[];
  /** Runners the plugin adds. */
  readonly runners?: readonly Runner[];
  /** Notifiers the plugin adds. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each notifier has its own config type
  readonly notifiers?: readonly Notifier<any>[];
}

/**
 * Declares a plugin. The object is returned frozen and is validated when the host registers it.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   name: '@acme/akmatori-uptime',
 *   coreVersion: '^0.1.0',
 *   adapters: [uptimeAdapter],
 * });
 * ```
 */
export function definePlugin(plugin: AkmatoriPlugin): AkmatoriPlugin {
  return Object.freeze(plugin);
}

/** A plugin package may export a plugin or a factory that builds one from options. */
export type PluginModuleExport =
  AkmatoriPlugin | ((options: Record<string, unknown>) => AkmatoriPlugin);
