import type { Clock } from '@akmatori/core';
import type { SecretBox, SettingsRepository } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { GatewaySettingKeys, OPENAI_BASE_URL, type StoredLlmSettings } from './gateway-settings.js';

/** LLM settings as the API shows them: the key only as whether one is stored. */
export interface LlmSettingsView extends StoredLlmSettings {
  readonly api_key: { readonly set: true } | null;
}

/** What a client sends to change the LLM settings. */
export interface LlmSettingsUpdate {
  readonly provider: StoredLlmSettings['provider'];
  readonly base_url?: string;
  /** A string replaces the key; `{"set": true}` or leaving it out keeps it. */
  readonly api_key?: string | { readonly set: true };
  readonly model: string;
  readonly reasoning_effort?: StoredLlmSettings['reasoning_effort'];
}

/**
 * The LLM provider the gateway's model proxy forwards to. The API key is sealed at rest,
 * never returned, and read only by the gateway.
 */
export class LlmSettings {
  readonly #settings: SettingsRepository;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;

  constructor(settings: SettingsRepository, secretBox: SecretBox, clock: Clock) {
    this.#settings = settings;
    this.#secretBox = secretBox;
    this.#clock = clock;
  }

  /** The current settings, or undefined when none are stored. */
  async get(): Promise<LlmSettingsView | undefined> {
    const stored = await this.#settings.get<StoredLlmSettings>(GatewaySettingKeys.llm);
    if (stored === undefined) return undefined;
    const key = await this.#settings.get<string>(GatewaySettingKeys.llmApiKey);
    return { ...stored, api_key: key === undefined ? null : { set: true } };
  }

  /** The stored settings with the key opened, for the provider test; undefined when unset. */
  async withKey(): Promise<{ settings: StoredLlmSettings; apiKey: string } | undefined> {
    const stored = await this.#settings.get<StoredLlmSettings>(GatewaySettingKeys.llm);
    const sealed = await this.#settings.get<string>(GatewaySettingKeys.llmApiKey);
    if (stored === undefined || sealed === undefined) return undefined;
    return {
      settings: stored,
      apiKey: this.#secretBox.open(sealed, GatewaySettingKeys.llmApiKey),
    };
  }

  /**
   * Replaces the settings; throws `AKM_VALIDATION` when they cannot work, and
   * `AKM_SECRET_DESTINATION_CHANGED` when `base_url` changes while the stored key is kept.
   */
  async put(update: LlmSettingsUpdate): Promise<LlmSettingsView> {
    const baseUrl = (update.base_url ?? (update.provider === 'openai' ? OPENAI_BASE_URL : ''))
      .trim()
      .replace(/\/+$/, '');
    if (baseUrl === '')
      throw AppErrors.AKM_VALIDATION({
        reason: 'base_url is required for an openai-compatible provider',
      });
    const stored: StoredLlmSettings = {
      provider: update.provider,
      base_url: baseUrl,
      model: update.model,
      reasoning_effort: update.reasoning_effort ?? null,
    };
    const keyContext = GatewaySettingKeys.llmApiKey;
    const hasKey = (await this.#settings.get<string>(keyContext)) !== undefined;
    if (typeof update.api_key !== 'string' && !hasKey)
      throw AppErrors.AKM_VALIDATION({ reason: 'api_key is required: none is stored yet' });
    // The stored key goes to base_url: a new base_url (or a key stored without one) needs the
    // key in the same request.
    const previous = await this.#settings.get<StoredLlmSettings>(GatewaySettingKeys.llm);
    if (typeof update.api_key !== 'string' && previous?.base_url !== baseUrl)
      throw AppErrors.AKM_SECRET_DESTINATION_CHANGED(
        { fields: ['base_url'], secrets: ['api_key'] },
        { details: { fields: ['base_url'], secrets: ['api_key'] } },
      );
    const at = this.#clock.now();
    if (typeof update.api_key === 'string')
      await this.#settings.set(keyContext, this.#secretBox.seal(update.api_key, keyContext), at);
    await this.#settings.set(GatewaySettingKeys.llm, stored, at);
    return { ...stored, api_key: { set: true } };
  }
}
