import { type Clock, describeSchemaErrors, type PluginHost } from '@akmatori/core';
import type { AlertSourceInput, AlertSourceRecord, Repositories, SecretBox } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { checkRunnerId } from '../runs/runner-choice.js';
import { checkSkillNames } from '../runs/skill-scope.js';
import type { SkillStore } from '../skills/skill-store.js';
import { webhookSecretContext, type AlertSourceCache } from './alert-source-cache.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from './source-rate-limiter.js';

/** What an operator sends to create or change an alert source (API field names). */
export interface AlertSourceRequest {
  source_type_name?: string;
  name?: string;
  /** A string sets the secret; null removes it; absent keeps it. */
  webhook_secret?: string | null;
  /**
   * Consent to a source without a secret. Without it, a source left with no secret is refused.
   * Setting a secret without naming this resets it to false.
   */
  allow_unauthenticated?: boolean;
  /** Webhook requests a minute (per API process); 0 means no limit. */
  rate_limit_per_minute?: number;
  field_mappings?: Record<string, string>;
  config?: Record<string, unknown>;
  group_by?: string[];
  grouping_window_seconds?: number;
  enabled?: boolean;
  /** Skills whose tools this source's incidents get (besides skills whose selectors match). */
  skills?: string[];
  /** The Slack channel id its incidents go to; null (or absent on create): the default channel. */
  slack_channel?: string | null;
  /** The runner of its incidents (an installed one); null (or absent on create): the default. */
  runner?: string | null;
}

/**
 * Alert source administration: validates types and adapter config, refuses a source without a
 * webhook secret unless the operator allows unauthenticated requests, seals webhook secrets
 * bound to their source, and keeps the webhook's source cache fresh.
 */
export class AlertSources {
  readonly #repositories: Repositories;
  readonly #plugins: PluginHost;
  readonly #secretBox: SecretBox;
  readonly #cache: AlertSourceCache;
  readonly #clock: Clock;
  readonly #skills: Pick<SkillStore, 'list'>;

  constructor(deps: {
    repositories: Repositories;
    plugins: PluginHost;
    secretBox: SecretBox;
    cache: AlertSourceCache;
    skills: Pick<SkillStore, 'list'>;
    clock: Clock;
  }) {
    this.#skills = deps.skills;
    this.#repositories = deps.repositories;
    this.#plugins = deps.plugins;
    this.#secretBox = deps.secretBox;
    this.#cache = deps.cache;
    this.#clock = deps.clock;
  }

  /** Creates a source. Throws `AKM_SOURCE_SECRET_REQUIRED` for one without a secret or consent. */
  async create(
    request: AlertSourceRequest & { source_type_name: string; name: string },
  ): Promise<AlertSourceRecord> {
    const config = request.config ?? {};
    this.#check(request.source_type_name, config);
    const hasSecret = typeof request.webhook_secret === 'string';
    const allowUnauthenticated = request.allow_unauthenticated ?? false;
    if (!hasSecret && !allowUnauthenticated) throw AppErrors.AKM_SOURCE_SECRET_REQUIRED();
    const skills = [...new Set(request.skills ?? [])];
    await checkSkillNames(this.#skills, skills, { enabled: false });
    if (typeof request.runner === 'string') checkRunnerId(this.#plugins, request.runner);
    const record = await this.#repositories.alertSources.create(
      {
        sourceType: request.source_type_name,
        name: request.name,
        webhookSecretSealed: null,
        allowUnauthenticated,
        rateLimitPerMinute: request.rate_limit_per_minute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        fieldMappings: request.field_mappings ?? {},
        config,
        groupBy: request.group_by ?? [],
        groupingWindowSeconds: request.grouping_window_seconds ?? 30,
        enabled: request.enabled ?? true,
        skills,
        slackChannel: request.slack_channel ?? null,
        runner: request.runner ?? null,
      },
      this.#clock.now(),
    );
    if (typeof request.webhook_secret !== 'string') return record;
    return (
      (await this.update(record.id, {
        webhook_secret: request.webhook_secret,
        allow_unauthenticated: allowUnauthenticated,
      })) ?? record
    );
  }

  /**
   * Changes the fields present in `request`. Undefined when there is no such source. Throws
   * `AKM_SOURCE_SECRET_REQUIRED` when the source would be left without a secret or consent.
   */
  async update(id: string, request: AlertSourceRequest): Promise<AlertSourceRecord | undefined> {
    const existing = await this.#repositories.alertSources.get(id);
    if (existing === undefined) return undefined;
    const sourceType = request.source_type_name ?? existing.sourceType;
    const config =
      request.config ?? (request.source_type_name === undefined ? existing.config : {});
    this.#check(sourceType, config);
    if (request.skills !== undefined)
      await checkSkillNames(this.#skills, request.skills, { enabled: false });
    if (typeof request.runner === 'string') checkRunnerId(this.#plugins, request.runner);
    const hasSecret =
      request.webhook_secret === undefined
        ? existing.webhookSecretSealed !== null
        : request.webhook_secret !== null;
    const allowUnauthenticated =
      request.allow_unauthenticated ??
      (typeof request.webhook_secret === 'string' ? false : existing.allowUnauthenticated);
    if (!hasSecret && !allowUnauthenticated) throw AppErrors.AKM_SOURCE_SECRET_REQUIRED();
    const patch: Partial<AlertSourceInput> = {
      sourceType,
      config,
      allowUnauthenticated,
      ...(request.rate_limit_per_minute === undefined
        ? {}
        : { rateLimitPerMinute: request.rate_limit_per_minute }),
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(request.field_mappings === undefined ? {} : { fieldMappings: request.field_mappings }),
      ...(request.group_by === undefined ? {} : { groupBy: request.group_by }),
      ...(request.grouping_window_seconds === undefined
        ? {}
        : { groupingWindowSeconds: request.grouping_window_seconds }),
      ...(request.enabled === undefined ? {} : { enabled: request.enabled }),
      ...(request.skills === undefined ? {} : { skills: [...new Set(request.skills)] }),
      ...(request.slack_channel === undefined ? {} : { slackChannel: request.slack_channel }),
      ...(request.runner === undefined ? {} : { runner: request.runner }),
      ...(request.webhook_secret === undefined
        ? {}
        : {
            webhookSecretSealed:
              request.webhook_secret === null
                ? null
                : this.#secretBox.seal(request.webhook_secret, webhookSecretContext(id)),
          }),
    };
    const updated = await this.#repositories.alertSources.update(id, patch, this.#clock.now());
    this.#cache.invalidate(id);
    return updated;
  }

  /** Deletes a source and its alerts. */
  async delete(id: string): Promise<boolean> {
    const deleted = await this.#repositories.alertSources.delete(id);
    this.#cache.invalidate(id);
    return deleted;
  }

  #check(sourceType: string, config: Record<string, unknown>): void {
    if (this.#plugins.adapter(sourceType) === undefined) {
      throw AppErrors.AKM_UNKNOWN_SOURCE_TYPE({
        type: sourceType,
        known: this.#plugins.adapters.map((a) => a.id),
      });
    }
    const check = this.#plugins.checkSchema('adapter', sourceType, 'configSchema', config);
    if (!check.valid)
      throw AppErrors.AKM_SOURCE_CONFIG_INVALID({
        problems: describeSchemaErrors(check.errors, (p) => `config${p.replaceAll('/', '.')}`),
      });
  }
}
