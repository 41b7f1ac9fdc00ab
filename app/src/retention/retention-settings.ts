import type { Clock } from '@akmatori/core';
import type { SettingsRepository } from '@akmatori/host';
import { AppErrors } from '../errors.js';

/**
 * How long each kind of record is kept, in days; `null` keeps it forever. The `retention`
 * setting and the body of `GET|PUT /api/settings/retention`.
 */
export interface StoredRetention {
  /** Each run's stored events (the timeline); the run itself and its report stay with the incident. */
  readonly run_events_days: number | null;
  /** Model token usage rows (`model_usage`); budgets read today's and the incident's. */
  readonly model_usage_days: number | null;
  /** Received webhook payloads (`alert_events`) once applied; the deduplicated alerts stay with their incident. */
  readonly alert_events_days: number | null;
  /** Closed incidents (investigation over, no alert firing), counted from when they closed, with their alerts, runs, events and approvals. */
  readonly resolved_incidents_days: number | null;
  /** The tool call audit (`tool_calls`): at least {@link AUDIT_FLOOR_DAYS}, and no shorter than any other finite setting but `eval_runs_days`. */
  readonly tool_calls_days: number | null;
  /**
   * Stored eval runs (`eval_runs`, the scorecards of `akmatori eval run`) with their results,
   * counted from when they started. They name no audited tool call, so the audit need not
   * outlive them.
   */
  readonly eval_runs_days: number | null;
}

/** The key the retention setting is stored under. */
export const RETENTION_SETTING_KEY = 'retention';

/** The shortest audit retention allowed: the database refuses to delete younger audit records. */
export const AUDIT_FLOOR_DAYS = 30;

/** The longest finite retention accepted (100 years). */
export const MAX_RETENTION_DAYS = 36_500;

/** What is kept when nothing is set. */
export const defaultRetention: StoredRetention = Object.freeze({
  run_events_days: 90,
  model_usage_days: 90,
  alert_events_days: 30,
  resolved_incidents_days: 180,
  tool_calls_days: 365,
  eval_runs_days: 365,
});

/** Every setting, in the order they are reported. */
export const retentionFields: readonly (keyof StoredRetention)[] = Object.freeze(
  Object.keys(defaultRetention) as (keyof StoredRetention)[],
);

/**
 * The stored retention with every missing or unreadable field at its default, so a setting
 * written by an older version (or a partial one) still resolves to a complete set.
 *
 * @example
 * ```ts
 * resolveRetention({ run_events_days: 7 }).tool_calls_days; // 365
 * ```
 */
export function resolveRetention(value: unknown): StoredRetention {
  const given =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const resolved = {} as Record<keyof StoredRetention, number | null>;
  for (const field of retentionFields) {
    const days = given[field];
    resolved[field] =
      days === null
        ? null
        : Number.isInteger(days) && (days as number) >= 1 && (days as number) <= MAX_RETENTION_DAYS
          ? (days as number)
          : defaultRetention[field];
  }
  return resolved;
}

/** Settings the audit need not outlive: what they keep names no audited tool call. */
const outlivingTheAudit: readonly (keyof StoredRetention)[] = ['tool_calls_days', 'eval_runs_days'];

/**
 * Why these settings cannot be stored, or undefined when they can: the audit must be kept at
 * least {@link AUDIT_FLOOR_DAYS} and at least as long as any other record with a limit (eval
 * runs aside).
 */
export function retentionProblem(retention: StoredRetention): string | undefined {
  const audit = retention.tool_calls_days;
  if (audit === null) return undefined;
  if (audit < AUDIT_FLOOR_DAYS)
    return `tool_calls_days must be at least ${AUDIT_FLOOR_DAYS} (or null to keep the audit forever)`;
  for (const field of retentionFields) {
    const days = retention[field];
    if (!outlivingTheAudit.includes(field) && days !== null && days > audit)
      return `tool_calls_days (${audit}) must be at least ${field} (${days}): the audit is kept no shorter than anything else`;
  }
  return undefined;
}

/** The retention settings in the `settings` table, defaults filled in. */
export class RetentionSettings {
  readonly #settings: SettingsRepository;
  readonly #clock: Clock;

  constructor(settings: SettingsRepository, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** The retention in force. */
  async get(): Promise<StoredRetention> {
    return resolveRetention(await this.#settings.get<unknown>(RETENTION_SETTING_KEY));
  }

  /**
   * Replaces the settings (a field left out takes its default) and returns them resolved;
   * throws `AKM_VALIDATION` when the audit would be kept too briefly.
   */
  async put(update: Partial<StoredRetention>): Promise<StoredRetention> {
    const retention = resolveRetention(update);
    const problem = retentionProblem(retention);
    if (problem !== undefined) throw AppErrors.AKM_VALIDATION({ reason: problem });
    await this.#settings.set(RETENTION_SETTING_KEY, retention, this.#clock.now());
    return retention;
  }
}
