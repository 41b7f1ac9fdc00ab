import type { AkmatoriPlugin, PluginHost } from '@akmatori/core';
import type { PluginSpec } from '../config/resolved-config.js';
import { HostErrors } from '../errors/catalog.js';

/** Imports a module by specifier; the app passes its own so packages resolve from its location. */
export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

/**
 * Imports each configured plugin package and registers it. A package's default export (or
 * its named export `plugin`) must be a plugin made with `definePlugin`, or a factory that
 * takes the spec's options and returns one.
 *
 * @example
 * ```ts
 * await loadPlugins(host, config.plugins, (name) => import(name));
 * ```
 */
export async function loadPlugins(
  host: PluginHost,
  specs: readonly PluginSpec[],
  importer: ModuleImporter,
): Promise<AkmatoriPlugin[]> {
  const loaded: AkmatoriPlugin[] = [];
  for (const spec of specs) {
    let module: Record<string, unknown>;
    try {
      module = await importer(spec.package);
    } catch (error) {
      throw HostErrors.AKM_PLUGIN_NOT_FOUND(
        { specifier: spec.package, reason: (error as Error).message },
        { cause: error },
      );
    }
    const exported = module.default ?? module.plugin;
    const plugin =
      typeof exported === 'function'
        ? (exported as (options: Record<string, unknown>) => unknown)({ ...spec.options })
        : exported;
    if (
      plugin === null ||
      typeof plugin !== 'object' ||
      typeof (plugin as AkmatoriPlugin).name !== 'string'
    ) {
      throw HostErrors.AKM_PLUGIN_BAD_EXPORT({ specifier: spec.package });
    }
    host.register(plugin as AkmatoriPlugin);
    loaded.push(plugin as AkmatoriPlugin);
  }
  return loaded;
}
