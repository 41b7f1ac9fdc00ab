import type { SqlExecutor } from '@akmatori/core';
import { webhookSecretContext } from '../ingest/alert-source-cache.js';

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
]);
