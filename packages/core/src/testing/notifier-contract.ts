import type { Notifier } from '../contracts/notifier.js';
import { definePlugin } from '../contracts/plugin.js';
import { PluginHost } from '../host/plugin-host.js';
import { schemaFieldProblems } from './schema-checks.js';

/**
 * The contract every notifier must meet: the plugin host registers it (id, display name,
 * `onIncidentEvent`, and its config schema compiling under ajv's strict mode), and every
 * config field says what it is ({@link schemaFieldProblems}). Returns the problems found
 * (empty when the notifier passes), so it works with any test runner.
 *
 * @example
 * ```ts
 * expect(checkNotifierContract(jsonlNotifier)).toEqual([]);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any config type
export function checkNotifierContract(notifier: Notifier<any>): string[] {
  try {
    new PluginHost().register(
      definePlugin({ name: `contract-of-${notifier.id}`, notifiers: [notifier] }),
    );
  } catch (error) {
    return [`the plugin host refuses it: ${(error as Error).message}`];
  }
  return schemaFieldProblems(notifier.configSchema, 'configSchema.');
}
