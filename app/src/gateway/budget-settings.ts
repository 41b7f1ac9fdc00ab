import type { Clock } from '@akmatori/core';
import type { SettingsRepository } from '@akmatori/host';
import { defaultSpendBudgets, type SpendBudgets, type SpendLimit } from '@akmatori/gateway';
import { GatewaySettingKeys } from './gateway-settings.js';

/** A limit as the API and the `budgets` setting spell it; null is unlimited. */
export interface StoredSpendLimit {
  readonly max_tokens: number | null;
  readonly max_cost_usd: number | null;
}

/** The `budgets` setting and the body of `GET|PUT /api/settings/budgets`. */
export interface StoredBudgets {
  readonly per_run: StoredSpendLimit;
  readonly per_incident: StoredSpendLimit;
  readonly per_source_per_day: StoredSpendLimit;
  readonly per_day: StoredSpendLimit;
  /** Investigations of one alert source waiting to start, beyond which new incidents are not queued; null is unlimited. */
  readonly max_queued_investigations_per_source: number | null;
}

/** Queued investigations per alert source when no setting says otherwise. */
export const DEFAULT_MAX_QUEUED_PER_SOURCE = 20;

const stored = (limit: SpendLimit): StoredSpendLimit => ({
  max_tokens: limit.maxTokens,
  max_cost_usd: limit.maxCostUsd,
});

/** The budgets in force when none are set (the gateway's {@link defaultSpendBudgets}). */
export const defaultBudgets: StoredBudgets = Object.freeze({
  per_run: stored(defaultSpendBudgets.perRun),
  per_incident: stored(defaultSpendBudgets.perIncident),
  per_source_per_day: stored(defaultSpendBudgets.perSourcePerDay),
  per_day: stored(defaultSpendBudgets.perDay),
  max_queued_investigations_per_source: DEFAULT_MAX_QUEUED_PER_SOURCE,
});

/**
 * The stored budgets with every missing field at its default, so a setting written by an
 * older version (or a partial one) still resolves to a complete set.
 *
 * @example
 * ```ts
 * resolveBudgets({ per_run: { max_tokens: 1000 } }).per_run.max_cost_usd; // 5
 * ```
 */
export function resolveBudgets(value: unknown): StoredBudgets {
  const record = (input: unknown): Record<string, unknown> =>
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : {};
  const given = record(value);
  const limit = (key: keyof StoredBudgets & `per_${string}`): StoredSpendLimit => {
    const fields = record(given[key]);
    const fallback = defaultBudgets[key];
    return {
      max_tokens: field(fields['max_tokens'], fallback.max_tokens),
      max_cost_usd: field(fields['max_cost_usd'], fallback.max_cost_usd),
    };
  };
  return {
    per_run: limit('per_run'),
    per_incident: limit('per_incident'),
    per_source_per_day: limit('per_source_per_day'),
    per_day: limit('per_day'),
    max_queued_investigations_per_source: field(
      given['max_queued_investigations_per_source'],
      DEFAULT_MAX_QUEUED_PER_SOURCE,
    ),
  };
}

const field = (value: unknown, fallback: number | null): number | null =>
  value === null ? null : typeof value === 'number' && value >= 0 ? value : fallback;

/** The spend budgets of resolved settings, in the gateway's terms. */
export function spendBudgetsOf(budgets: StoredBudgets): SpendBudgets {
  const limit = (value: StoredSpendLimit): SpendLimit => ({
    maxTokens: value.max_tokens,
    maxCostUsd: value.max_cost_usd,
  });
  return {
    perRun: limit(budgets.per_run),
    perIncident: limit(budgets.per_incident),
    perSourcePerDay: limit(budgets.per_source_per_day),
    perDay: limit(budgets.per_day),
  };
}

/**
 * Spend budgets (enforced by the gateway's model proxy) and the cap on queued investigations
 * per alert source (enforced by the incident engine), in the `budgets` setting.
 */
export class BudgetSettings {
  readonly #settings: SettingsRepository;
  readonly #clock: Clock;

  constructor(settings: SettingsRepository, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** The budgets in force, defaults filled in. */
  async get(): Promise<StoredBudgets> {
    return resolveBudgets(await this.#settings.get<unknown>(GatewaySettingKeys.budgets));
  }

  /** Replaces the budgets (missing fields take their defaults) and returns them resolved. */
  async put(update: Partial<StoredBudgets>): Promise<StoredBudgets> {
    const budgets = resolveBudgets(update);
    await this.#settings.set(GatewaySettingKeys.budgets, budgets, this.#clock.now());
    return budgets;
  }
}
