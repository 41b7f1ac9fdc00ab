import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a plugin named in config: package names resolve as usual, relative paths against
 * the working directory. `serve` and `akmatori gateway` load plugins the same way.
 *
 * @example
 * ```ts
 * await loadPlugins(host, config.plugins, importFromWorkingDirectory);
 * ```
 */
export function importFromWorkingDirectory(specifier: string): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('.') || path.isAbsolute(specifier);
  return import(isPath ? pathToFileURL(path.resolve(specifier)).href : specifier) as Promise<
    Record<string, unknown>
  >;
}
