import type { Knex } from 'knex';

/**
 * Reads and writes `webhook_signatures`: the hashes of the HMAC signatures each source accepted
 * recently, shared by every API replica on the database so that a replay is refused wherever
 * it lands.
 */
export class WebhookSignatureRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Records that `sourceId` accepted the signature with this hash, remembered until
   * `expiresAt`. False when it is already recorded and not yet expired: a replay. One
   * statement (insert, on conflict take over only an expired row), so two replicas racing on
   * the same signature cannot both win.
   */
  async claim(
    sourceId: string,
    signatureHash: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    const rows = (await this.#knex('webhook_signatures')
      .insert({ source_id: sourceId, signature_hash: signatureHash, expires_at: expiresAt })
      .onConflict(['source_id', 'signature_hash'])
      .merge(['expires_at'])
      .where('webhook_signatures.expires_at', '<=', now)
      .returning('source_id')) as unknown[];
    return rows.length === 1;
  }

  /** Forgets a claimed signature (its request failed, so the sender's retry must be accepted). */
  async release(sourceId: string, signatureHash: string): Promise<void> {
    await this.#knex('webhook_signatures')
      .where({ source_id: sourceId, signature_hash: signatureHash })
      .delete();
  }

  /** Deletes the records that expired before `now`; returns how many. */
  async prune(now: Date): Promise<number> {
    return this.#knex('webhook_signatures').where('expires_at', '<', now).delete();
  }
}
