import { createHash } from 'node:crypto';
import type { Logger, SignatureMatch } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { WebhookSignatureRepository } from './webhook-signature-repository.js';

/** How far a signature's timestamp may be from this server's clock, either way: 5 minutes. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Refuses stale and replayed HMAC signatures. A signature is accepted only while its signed
 * timestamp is within {@link SIGNATURE_TOLERANCE_MS} of now, and only once: its hash is
 * recorded in the database until the timestamp leaves that window, so another replica refuses
 * it too. Expired records are pruned at most once a minute, as signed requests arrive.
 */
export class ReplayGuard {
  readonly #signatures: WebhookSignatureRepository;
  readonly #log: Logger;
  readonly #pruneEveryMs: number;
  #lastPrune = 0;

  constructor(deps: {
    signatures: WebhookSignatureRepository;
    log: Logger;
    pruneEveryMs?: number;
  }) {
    this.#signatures = deps.signatures;
    this.#log = deps.log;
    this.#pruneEveryMs = deps.pruneEveryMs ?? 60_000;
  }

  /** Throws `AKM_WEBHOOK_SIGNATURE_STALE` (401) when `signedAt` is too far from `now`. */
  checkFresh(signedAt: Date, now: Date): void {
    const off = Math.abs(now.getTime() - signedAt.getTime());
    if (!(off <= SIGNATURE_TOLERANCE_MS)) {
      throw AppErrors.AKM_WEBHOOK_SIGNATURE_STALE({
        offSeconds: Math.round(off / 1000),
        toleranceSeconds: SIGNATURE_TOLERANCE_MS / 1000,
      });
    }
  }

  /**
   * Records the signature as used by `sourceId`, or throws `AKM_WEBHOOK_REPLAYED` (409) when it
   * was used within the window. Returns a function that forgets it again, for when the request
   * fails afterwards and the sender will retry the same signed request.
   */
  async claim(sourceId: string, match: SignatureMatch, now: Date): Promise<() => Promise<void>> {
    this.checkFresh(match.signedAt, now);
    this.#pruneWhenDue(now);
    const hash = createHash('sha256').update(match.signature.trim().toLowerCase()).digest('hex');
    const expiresAt = new Date(match.signedAt.getTime() + SIGNATURE_TOLERANCE_MS);
    if (!(await this.#signatures.claim(sourceId, hash, expiresAt, now)))
      throw AppErrors.AKM_WEBHOOK_REPLAYED();
    return () => this.#signatures.release(sourceId, hash);
  }

  #pruneWhenDue(now: Date): void {
    if (now.getTime() - this.#lastPrune < this.#pruneEveryMs) return;
    this.#lastPrune = now.getTime();
    this.#signatures.prune(now).then(
      (pruned) => {
        if (pruned > 0) this.#log.debug({ pruned }, 'expired webhook signatures pruned');
      },
      (error: unknown) => this.#log.warn({ err: error }, 'could not prune webhook signatures'),
    );
  }
}
