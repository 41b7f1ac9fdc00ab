import { createHash } from 'node:crypto';
import type { Clock } from '@akmatori/core';
import type { SecretBox, SettingsRepository } from '@akmatori/host';
import type { Knex } from 'knex';
import { AppErrors } from '../errors.js';

/** Slack's Web API. */
export const SLACK_API_URL = 'https://slack.com/api/';

/** Settings keys: the plain part, and each secret sealed with its key as context. */
export const SlackSettingKeys = Object.freeze({
  slack: 'slack',
  botToken: 'slack.bot_token',
  appToken: 'slack.app_token',
  signingSecret: 'slack.signing_secret',
});

/** The secrets, by the name the API uses. */
const SECRETS = {
  bot_token: SlackSettingKeys.botToken,
  app_token: SlackSettingKeys.appToken,
  signing_secret: SlackSettingKeys.signingSecret,
} as const;
type SecretName = keyof typeof SECRETS;

/** The stored shape of the `slack` setting. */
export interface StoredSlackSettings {
  readonly enabled: boolean;
  readonly mode: 'socket' | 'http';
  readonly alerts_channel: string | null;
  readonly api_url: string;
}

/** The settings as the API shows them: each secret only as whether it is stored. */
export interface SlackSettingsView extends StoredSlackSettings {
  readonly bot_token: { readonly set: true } | null;
  readonly app_token: { readonly set: true } | null;
  readonly signing_secret: { readonly set: true } | null;
}

/** A secret field in a request: a string sets it, `{"set": true}` or leaving it out keeps it, null clears it. */
type SecretInput = string | { readonly set: true } | null | undefined;

/** What a client sends to change the Slack settings. */
export interface SlackSettingsUpdate {
  readonly enabled: boolean;
  readonly mode?: 'socket' | 'http';
  readonly alerts_channel?: string | null;
  readonly api_url?: string;
  readonly bot_token?: SecretInput;
  readonly app_token?: SecretInput;
  readonly signing_secret?: SecretInput;
}

/** Everything the Slack connection needs, secrets opened. Never leaves the process. */
export interface ResolvedSlackSettings extends StoredSlackSettings {
  readonly botToken: string | undefined;
  readonly appToken: string | undefined;
  readonly signingSecret: string | undefined;
}

const DEFAULTS: StoredSlackSettings = {
  enabled: false,
  mode: 'socket',
  alerts_channel: null,
  api_url: SLACK_API_URL,
};

/** `https://slack.com/api/` — with exactly one trailing slash, as the Web API client joins it. */
const normalizeApiUrl = (url: string): string => `${url.trim().replace(/\/+$/, '')}/`;

/**
 * The Slack connection's settings. The bot token, app token and signing secret are sealed at
 * rest, never returned, and bound to `api_url`: pointing `api_url` elsewhere needs the tokens
 * again in the same request, so a stolen session cannot send them to its own server.
 */
export class SlackSettings {
  readonly #settings: SettingsRepository;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;
  readonly #knex: Knex;

  constructor(settings: SettingsRepository, secretBox: SecretBox, clock: Clock, knex: Knex) {
    this.#settings = settings;
    this.#secretBox = secretBox;
    this.#clock = clock;
    this.#knex = knex;
  }

  /**
   * A digest of everything stored for Slack (the plain setting, each sealed secret, when each
   * changed): it differs after any change, whichever replica made it. Cheap: one small query.
   */
  async version(): Promise<string> {
    const rows = (await this.#knex('settings')
      .select('key', 'value', 'updated_at')
      .whereIn('key', Object.values(SlackSettingKeys))
      .orderBy('key')) as { key: string; value: unknown; updated_at: Date | string }[];
    const hash = createHash('sha256');
    for (const row of rows)
      hash.update(
        JSON.stringify([row.key, row.value, new Date(row.updated_at).toISOString()]) + '\n',
      );
    return hash.digest('base64url');
  }

  async #stored(): Promise<StoredSlackSettings> {
    return {
      ...DEFAULTS,
      ...(await this.#settings.get<StoredSlackSettings>(SlackSettingKeys.slack)),
    };
  }

  async #has(name: SecretName): Promise<boolean> {
    return (await this.#settings.get<string>(SECRETS[name])) !== undefined;
  }

  /** The settings (defaults when none are stored), secrets shown only as set or not. */
  async get(): Promise<SlackSettingsView> {
    const stored = await this.#stored();
    const set = async (name: SecretName): Promise<{ set: true } | null> =>
      (await this.#has(name)) ? { set: true } : null;
    return {
      ...stored,
      bot_token: await set('bot_token'),
      app_token: await set('app_token'),
      signing_secret: await set('signing_secret'),
    };
  }

  /** The settings with the secrets opened, for the connection. */
  async resolve(): Promise<ResolvedSlackSettings> {
    const open = async (name: SecretName): Promise<string | undefined> => {
      const sealed = await this.#settings.get<string>(SECRETS[name]);
      return sealed === undefined ? undefined : this.#secretBox.open(sealed, SECRETS[name]);
    };
    return {
      ...(await this.#stored()),
      botToken: await open('bot_token'),
      appToken: await open('app_token'),
      signingSecret: await open('signing_secret'),
    };
  }

  /**
   * Replaces the settings. Throws `AKM_VALIDATION` when enabled settings cannot work (no bot
   * token; no app token in Socket Mode; no signing secret in HTTP mode), and
   * `AKM_SECRET_DESTINATION_CHANGED` when `api_url` changes while stored tokens are kept.
   */
  async put(update: SlackSettingsUpdate): Promise<SlackSettingsView> {
    const previous = await this.#stored();
    const next: StoredSlackSettings = {
      enabled: update.enabled,
      mode: update.mode ?? previous.mode,
      alerts_channel:
        update.alerts_channel === undefined ? previous.alerts_channel : update.alerts_channel,
      api_url: normalizeApiUrl(update.api_url ?? previous.api_url),
    };
    const names = Object.keys(SECRETS) as SecretName[];
    const kept = new Map<SecretName, boolean>();
    for (const name of names) {
      const sent = update[name];
      kept.set(
        name,
        (sent === undefined || typeof sent === 'object') &&
          sent !== null &&
          (await this.#has(name)),
      );
    }
    if (next.api_url !== previous.api_url) {
      const secrets = names.filter((name) => kept.get(name) === true);
      // A kept token would go to the new api_url; the signing secret never leaves this server.
      const sentThere = secrets.filter((name) => name !== 'signing_secret');
      if (sentThere.length > 0)
        throw AppErrors.AKM_SECRET_DESTINATION_CHANGED(
          { fields: ['api_url'], secrets: sentThere },
          { details: { fields: ['api_url'], secrets: sentThere } },
        );
    }
    const will = (name: SecretName): boolean =>
      typeof update[name] === 'string' || kept.get(name) === true;
    if (next.enabled) {
      const missing: string[] = [];
      if (!will('bot_token')) missing.push('bot_token');
      if (next.mode === 'socket' && !will('app_token')) missing.push('app_token (Socket Mode)');
      if (next.mode === 'http' && !will('signing_secret'))
        missing.push('signing_secret (HTTP mode)');
      if (missing.length > 0)
        throw AppErrors.AKM_VALIDATION({ reason: `Slack needs ${missing.join(', ')}` });
    }
    const at = this.#clock.now();
    for (const name of names) {
      const sent = update[name];
      if (typeof sent === 'string')
        await this.#settings.set(SECRETS[name], this.#secretBox.seal(sent, SECRETS[name]), at);
      else if (sent === null) await this.#settings.delete(SECRETS[name]);
    }
    await this.#settings.set(SlackSettingKeys.slack, next, at);
    return this.get();
  }
}
