import { randomUUID } from 'node:crypto';
import type { Clock, PluginHost, ToolProvider } from '@akmatori/core';
import type { SecretBox } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import type { ToolInstanceRecord, ToolInstanceRepository } from './tool-instance-repository.js';
import { requireSecretsForNewDestinations } from './secret-destinations.js';
import { storedSettings } from './tool-settings.js';

/** What an operator sends to create or change a tool instance (API field names). */
export interface ToolInstanceRequest {
  tool_type_name?: string;
  name?: string;
  /** The whole settings object; secret fields may be `{"set": true}` (keep) or null (clear). */
  settings?: Record<string, unknown>;
  enabled?: boolean;
}

/**
 * Tool instance administration: checks the type and its settings, keeps secret settings
 * sealed (context `tool:<id>:<field>`) apart from the rest, and refuses duplicate names.
 */
export class ToolInstances {
  readonly #repository: ToolInstanceRepository;
  readonly #plugins: PluginHost;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;

  constructor(deps: {
    repository: ToolInstanceRepository;
    plugins: PluginHost;
    secretBox: SecretBox;
    clock: Clock;
  }) {
    this.#repository = deps.repository;
    this.#plugins = deps.plugins;
    this.#secretBox = deps.secretBox;
    this.#clock = deps.clock;
  }

  /** Every instance, by name. */
  list(): Promise<ToolInstanceRecord[]> {
    return this.#repository.list();
  }

  /** The instance with this id, if any. */
  get(id: string): Promise<ToolInstanceRecord | undefined> {
    return this.#repository.get(id);
  }

  /** Creates an instance. */
  async create(
    request: ToolInstanceRequest & { tool_type_name: string; name: string },
  ): Promise<ToolInstanceRecord> {
    const provider = this.#provider(request.tool_type_name);
    const id = randomUUID();
    const stored = storedSettings(this.#deps(), provider, id, request.settings ?? {});
    await this.#checkNameFree(request.name);
    return this.#unique(request.name, () =>
      this.#repository.create(
        id,
        {
          toolType: provider.id,
          name: request.name,
          ...stored,
          enabled: request.enabled ?? true,
        },
        this.#clock.now(),
      ),
    );
  }

  /**
   * Changes the fields present in `request`. Undefined when there is no such instance. A new
   * destination for a stored secret needs that secret in the same request
   * (`AKM_SECRET_DESTINATION_CHANGED`).
   */
  async update(id: string, request: ToolInstanceRequest): Promise<ToolInstanceRecord | undefined> {
    const existing = await this.#repository.get(id);
    if (existing === undefined) return undefined;
    let stored = {};
    if (request.settings !== undefined) {
      const provider = this.#provider(existing.toolType);
      stored = storedSettings(this.#deps(), provider, id, request.settings, existing.secrets);
      requireSecretsForNewDestinations(provider, existing, request.settings);
    }
    if (request.name !== undefined && request.name !== existing.name)
      await this.#checkNameFree(request.name);
    return this.#unique(request.name ?? existing.name, () =>
      this.#repository.update(
        id,
        {
          ...stored,
          ...(request.name === undefined ? {} : { name: request.name }),
          ...(request.enabled === undefined ? {} : { enabled: request.enabled }),
        },
        this.#clock.now(),
      ),
    );
  }

  /** Deletes an instance; true when it existed. */
  delete(id: string): Promise<boolean> {
    return this.#repository.delete(id);
  }

  #deps(): { plugins: PluginHost; secretBox: SecretBox } {
    return { plugins: this.#plugins, secretBox: this.#secretBox };
  }

  #provider(toolType: string): ToolProvider {
    const provider = this.#plugins.toolProvider(toolType);
    if (provider === undefined) {
      throw AppErrors.AKM_UNKNOWN_TOOL_TYPE({
        type: toolType,
        known: this.#plugins.toolProviders.map((p) => p.id),
      });
    }
    return provider;
  }

  async #checkNameFree(name: string): Promise<void> {
    if ((await this.#repository.findByName(name)) !== undefined)
      throw AppErrors.AKM_TOOL_NAME_TAKEN({ name });
  }

  // Two requests racing for one name: the unique index decides, and the loser gets a 409 too.
  async #unique<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505')
        throw AppErrors.AKM_TOOL_NAME_TAKEN({ name });
      throw error;
    }
  }
}
