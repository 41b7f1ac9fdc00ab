import type { SqlExecutor } from '@akmatori/host';
import { webhookSecretContext } from '../ingest/alert-source-cache.js';
import { recordingContext } from '../replay/run-recording-store.js';
import { toolSecretContext } from '../tools/credential-rules.js';

/**
 * Where sealed secrets are stored, and the context each one is bound to. A new kind of
 * stored secret must be listed here, so that `akmatori secrets rotate` re-seals it.
 */
export interface SealedValueLocation {
  /** What the values are, for the rotation report. */
  readonly what: string;
  /** Reads every sealed value: its row id, the sealed text and its context. */
  read(sql: SqlExecutor): Promise<{ id: string; sealed: string; context: string }[]>;
  /** Writes a re-sealed value back. */
  write(sql: SqlExecutor, id: string, sealed: string): Promise<void>;
}

/** Every place the app stores sealed values. */
export const sealedValueLocations: readonly SealedValueLocation[] = Object.freeze([
  {
    what: 'settings',
    async read(sql) {
      const result = await sql<{ key: string; value: unknown }>('select key, value from settings');
      return result.rows
        .filter(
          (row): row is { key: string; value: string } =>
            typeof row.value === 'string' && row.value.startsWith('akm1:'),
        )
        .map((row) => ({ id: row.key, sealed: row.value, context: row.key }));
    },
    async write(sql, id, sealed) {
      await sql('update settings set value = $2::jsonb where key = $1', [
        id,
        JSON.stringify(sealed),
      ]);
    },
  },
  {
    what: 'alert source webhook secrets',
    async read(sql) {
      const result = await sql<{ id: string; webhook_secret: string }>(
        'select id, webhook_secret from alert_sources where webhook_secret is not null',
      );
      return result.rows.map((row) => ({
        id: row.id,
        sealed: row.webhook_secret,
        context: webhookSecretContext(row.id),
      }));
    },
    async write(sql, id, sealed) {
      await sql('update alert_sources set webhook_secret = $2 where id = $1', [id, sealed]);
    },
  },
  {
    what: 'tool instance secrets',
    // One value per secret field; its id is `<tool instance id>:<field>`.
    async read(sql) {
      const result = await sql<{ id: string; field: string; sealed: string }>(
        'select t.id, s.key as field, s.value as sealed from tool_instances t, jsonb_each_text(t.secrets) s order by t.id, s.key',
      );
      return result.rows.map((row) => ({
        id: `${row.id}:${row.field}`,
        sealed: row.sealed,
        context: toolSecretContext(row.id, row.field),
      }));
    },
    async write(sql, id, sealed) {
      const at = id.indexOf(':');
      await sql(
        'update tool_instances set secrets = jsonb_set(secrets, array[$2::text], to_jsonb($3::text)) where id = $1',
        [id.slice(0, at), id.slice(at + 1), sealed],
      );
    },
  },
  {
    what: 'run recordings',
    async read(sql) {
      const result = await sql<{ id: string; run_id: string; sealed: string }>(
        'select id::text as id, run_id, sealed from run_recordings order by id',
      );
      return result.rows.map((row) => ({
        id: row.id,
        sealed: row.sealed,
        context: recordingContext(row.run_id),
      }));
    },
    async write(sql, id, sealed) {
      await sql('update run_recordings set sealed = $2 where id = $1::bigint', [id, sealed]);
    },
  },
]);
