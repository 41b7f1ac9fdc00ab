import type { Knex } from 'knex';
import { isUuid } from '../ids.js';

/** A configured sender of alerts: one webhook URL, one adapter, its settings. */
export interface AlertSourceRecord {
  /** Public identifier; the webhook URL is `/webhook/alert/{id}`. */
  readonly id: string;
  /** The adapter that reads its payloads. */
  readonly sourceType: string;
  /** Operator's name for it. */
  readonly name: string;
  /** The webhook secret, sealed; null when the source accepts unauthenticated requests. */
  readonly webhookSecretSealed: string | null;
  /**
   * The operator's explicit consent to a source without a secret (anyone who can reach its URL
   * can send alerts). A source without a secret is refused unless this is true.
   */
  readonly allowUnauthenticated: boolean;
  /** Webhook requests a minute this source accepts (per API process); 0 means no limit. */
  readonly rateLimitPerMinute: number;
  /** Overrides: normalized field → dot path in the payload. */
  readonly fieldMappings: Readonly<Record<string, string>>;
  /** Adapter configuration. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Labels whose values group alerts into one incident when the sender gives no group key. */
  readonly groupBy: readonly string[];
  /** How long a new incident waits for more alerts before its investigation starts. */
  readonly groupingWindowSeconds: number;
  /** Disabled sources answer 404. */
  readonly enabled: boolean;
  /**
   * The skills (by name) whose tools its incidents' runs get, besides the skills whose
   * selectors match the alerts. Empty: only matching skills, so possibly no tools at all.
   */
  readonly skills: readonly string[];
  /** The Slack channel id its incidents go to; null: Slack's default `alerts_channel`. */
  readonly slackChannel: string | null;
  /** The runner (by id) that investigates its incidents; null: the `runner` setting's. */
  readonly runner: string | null;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
}

/** Fields an operator sets on a source. */
export type AlertSourceInput = Pick<
  AlertSourceRecord,
  | 'sourceType'
  | 'name'
  | 'webhookSecretSealed'
  | 'fieldMappings'
  | 'config'
  | 'groupBy'
  | 'groupingWindowSeconds'
  | 'enabled'
> &
  Partial<
    Pick<
      AlertSourceRecord,
      'skills' | 'allowUnauthenticated' | 'rateLimitPerMinute' | 'slackChannel' | 'runner'
    >
  >;

interface AlertSourceRow {
  id: string;
  source_type: string;
  name: string;
  webhook_secret: string | null;
  allow_unauthenticated: boolean;
  rate_limit_per_minute: number;
  field_mappings: Record<string, string>;
  config: Record<string, unknown>;
  group_by: string[];
  grouping_window_seconds: number;
  enabled: boolean;
  skills: string[] | null;
  slack_channel: string | null;
  runner: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: AlertSourceRow): AlertSourceRecord => ({
  id: row.id,
  sourceType: row.source_type,
  name: row.name,
  webhookSecretSealed: row.webhook_secret,
  allowUnauthenticated: row.allow_unauthenticated,
  rateLimitPerMinute: row.rate_limit_per_minute,
  fieldMappings: row.field_mappings,
  config: row.config,
  groupBy: row.group_by,
  groupingWindowSeconds: row.grouping_window_seconds,
  enabled: row.enabled,
  skills: row.skills ?? [],
  slackChannel: row.slack_channel ?? null,
  runner: row.runner ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (input: Partial<AlertSourceInput>): Record<string, unknown> => {
  const row: Record<string, unknown> = {};
  if (input.sourceType !== undefined) row.source_type = input.sourceType;
  if (input.name !== undefined) row.name = input.name;
  if (input.webhookSecretSealed !== undefined) row.webhook_secret = input.webhookSecretSealed;
  if (input.allowUnauthenticated !== undefined)
    row.allow_unauthenticated = input.allowUnauthenticated;
  if (input.rateLimitPerMinute !== undefined) row.rate_limit_per_minute = input.rateLimitPerMinute;
  if (input.fieldMappings !== undefined) row.field_mappings = JSON.stringify(input.fieldMappings);
  if (input.config !== undefined) row.config = JSON.stringify(input.config);
  if (input.groupBy !== undefined) row.group_by = JSON.stringify(input.groupBy);
  if (input.groupingWindowSeconds !== undefined)
    row.grouping_window_seconds = input.groupingWindowSeconds;
  if (input.enabled !== undefined) row.enabled = input.enabled;
  if (input.skills !== undefined) row.skills = JSON.stringify(input.skills);
  if (input.slackChannel !== undefined) row.slack_channel = input.slackChannel;
  if (input.runner !== undefined) row.runner = input.runner;
  return row;
};

/** Reads and writes `alert_sources`. */
export class AlertSourceRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Creates a source. */
  async create(input: AlertSourceInput, at: Date): Promise<AlertSourceRecord> {
    const rows = (await this.#knex('alert_sources')
      .insert({ ...toRow(input), created_at: at, updated_at: at })
      .returning('*')) as AlertSourceRow[];
    return toRecord(rows[0] as AlertSourceRow);
  }

  /** The source with this id, if any (a malformed id finds nothing). */
  async get(id: string): Promise<AlertSourceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.#knex('alert_sources').where({ id }).first()) as
      AlertSourceRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Every source, oldest first. */
  async list(): Promise<AlertSourceRecord[]> {
    const rows = (await this.#knex('alert_sources').orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])) as AlertSourceRow[];
    return rows.map(toRecord);
  }

  /** Changes some fields; returns the updated source, or undefined if it does not exist. */
  async update(
    id: string,
    patch: Partial<AlertSourceInput>,
    at: Date,
  ): Promise<AlertSourceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = (await this.#knex('alert_sources')
      .where({ id })
      .update({ ...toRow(patch), updated_at: at })
      .returning('*')) as AlertSourceRow[];
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** Deletes a source with its alerts; true when it existed. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.#knex('alert_sources').where({ id }).delete()) > 0;
  }
}
