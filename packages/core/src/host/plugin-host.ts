import type { Ajv, ValidateFunction } from 'ajv';
import type { AlertAdapter } from '../contracts/alert-adapter.js';
import type { Notifier } from '../contracts/notifier.js';
import type { AkmatoriPlugin } from '../contracts/plugin.js';
import type { Runner } from '../contracts/runner.js';
import type { ToolProvider } from '../contracts/tool-provider.js';
import { CoreErrors } from '../errors/catalog.js';
import type { Logger } from '../logging/logger.js';
import { createAjv } from '../schema/ajv.js';
import { coreVersion as runningCoreVersion } from '../version.js';
import {
  validatePlugin,
  type ContributionKind,
  type ValidatedContribution,
} from './plugin-validation.js';

/** What the host knows about one registered plugin, for listings. */
export interface RegisteredPlugin {
  /** Plugin name. */
  readonly name: string;
  /** Plugin version, if declared. */
  readonly version: string | undefined;
  /** Ids it contributed, by kind. */
  readonly adapters: readonly string[];
  /** Tool provider ids. */
  readonly tools: readonly string[];
  /** Runner ids. */
  readonly runners: readonly string[];
  /** Notifier ids. */
  readonly notifiers: readonly string[];
}

/** Result of checking a value against one of a contribution's schemas. */
export type SchemaCheck =
  { readonly valid: true } | { readonly valid: false; readonly errors: ValidateFunction['errors'] };

/** Options for {@link PluginHost}. */
export interface PluginHostOptions {
  /** Version plugins' `coreVersion` ranges are checked against. Default: the running core. */
  coreVersion?: string;
  /** Logger for registration messages. */
  log?: Logger;
}

/**
 * Holds every registered plugin and what it contributes. Registration validates the plugin
 * completely before keeping any of it: a plugin that fails registers nothing.
 *
 * @example
 * ```ts
 * const host = new PluginHost();
 * host.register(definePlugin({ name: 'demo', notifiers: [auditNotifier] }));
 * host.notifier('audit-log');
 * ```
 */
export class PluginHost {
  readonly #coreVersion: string;
  readonly #log: Logger | undefined;
  readonly #ajv: Ajv = createAjv();
  readonly #plugins = new Map<string, RegisteredPlugin>();
  readonly #owners = new Map<string, string>();
  readonly #contributions = new Map<string, ValidatedContribution>();

  constructor(options: PluginHostOptions = {}) {
    this.#coreVersion = options.coreVersion ?? runningCoreVersion;
    this.#log = options.log;
  }

  /** Validates and registers a plugin. Throws a coded `AKM_PLUGIN_*` error on any problem. */
  register(plugin: AkmatoriPlugin): void {
    const contributions = validatePlugin(plugin, this.#coreVersion, this.#ajv);
    if (this.#plugins.has(plugin.name))
      throw CoreErrors.AKM_PLUGIN_DUPLICATE_NAME({ plugin: plugin.name });
    const claimed = new Map<string, string>();
    for (const { kind, id } of contributions) {
      const key = `${kind}:${id}`;
      const existing = this.#owners.get(key) ?? claimed.get(key);
      if (existing !== undefined) {
        throw CoreErrors.AKM_PLUGIN_DUPLICATE_ID({ kind, id, plugin: plugin.name, existing });
      }
      claimed.set(key, plugin.name);
    }
    for (const contribution of contributions) {
      const key = `${contribution.kind}:${contribution.id}`;
      this.#owners.set(key, plugin.name);
      this.#contributions.set(key, contribution);
    }
    const ids = (kind: ContributionKind): string[] =>
      contributions.filter((c) => c.kind === kind).map((c) => c.id);
    this.#plugins.set(
      plugin.name,
      Object.freeze({
        name: plugin.name,
        version: plugin.version,
        adapters: ids('adapter'),
        tools: ids('tool provider'),
        runners: ids('runner'),
        notifiers: ids('notifier'),
      }),
    );
    this.#log?.info({ plugin: plugin.name, version: plugin.version }, 'plugin registered');
  }

  /** Every registered plugin, in registration order. */
  get plugins(): readonly RegisteredPlugin[] {
    return [...this.#plugins.values()];
  }

  /** Every registered alert adapter. */
  get adapters(): readonly AlertAdapter[] {
    return this.#all('adapter') as AlertAdapter[];
  }

  /** Every registered tool provider. */
  get toolProviders(): readonly ToolProvider[] {
    return this.#all('tool provider') as ToolProvider[];
  }

  /** Every registered runner. */
  get runners(): readonly Runner[] {
    return this.#all('runner') as Runner[];
  }

  /** Every registered notifier. */
  get notifiers(): readonly Notifier[] {
    return this.#all('notifier') as Notifier[];
  }

  /** The adapter with this id, or undefined. */
  adapter(id: string): AlertAdapter | undefined {
    return this.#contributions.get(`adapter:${id}`)?.value as AlertAdapter | undefined;
  }

  /** The tool provider with this id, or undefined. */
  toolProvider(id: string): ToolProvider | undefined {
    return this.#contributions.get(`tool provider:${id}`)?.value as ToolProvider | undefined;
  }

  /** The runner with this id, or undefined. */
  runner(id: string): Runner | undefined {
    return this.#contributions.get(`runner:${id}`)?.value as Runner | undefined;
  }

  /** The notifier with this id, or undefined. */
  notifier(id: string): Notifier | undefined {
    return this.#contributions.get(`notifier:${id}`)?.value as Notifier | undefined;
  }

  /**
   * Checks `value` against one of a contribution's schemas (e.g. an adapter's `configSchema`),
   * with the validator compiled once at registration.
   */
  checkSchema(kind: ContributionKind, id: string, schema: string, value: unknown): SchemaCheck {
    const validate = this.#contributions.get(`${kind}:${id}`)?.validators.get(schema);
    if (validate === undefined) {
      return {
        valid: false,
        errors: [
          {
            instancePath: '',
            schemaPath: '',
            keyword: 'unknown',
            params: {},
            message: `no ${schema} for ${kind} "${id}"`,
          },
        ],
      };
    }
    return validate(value) ? { valid: true } : { valid: false, errors: validate.errors };
  }

  #all(kind: ContributionKind): unknown[] {
    return [...this.#contributions.values()].filter((c) => c.kind === kind).map((c) => c.value);
  }
}
