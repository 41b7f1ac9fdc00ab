import type { Logger } from '@akmatori/core';
import type { SlackIncidentNotifier } from '@akmatori/notifier-slack';
import type { Knex } from 'knex';

/** What the watch needs. */
export interface SlackApprovalWatchDeps {
  readonly knex: Knex;
  readonly notifier: SlackIncidentNotifier;
  readonly log: Logger;
  readonly enabled: () => boolean;
}

/** How often approvals are looked at. */
const INTERVAL_MS = 1000;

/**
 * Approval requests are written by the gateway (possibly another process): this watches the
 * pending ones, posts each new one in its incident's thread, and redraws it once it is decided
 * or expires, however it was decided (Slack, the dashboard, the API, another replica).
 */
export class SlackApprovalWatch {
  readonly #deps: SlackApprovalWatchDeps;
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(deps: SlackApprovalWatchDeps) {
    this.#deps = deps;
  }

  /** Starts watching. */
  start(): void {
    this.#timer = setInterval(() => void this.#tick(), INTERVAL_MS);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }

  async #tick(): Promise<void> {
    if (this.#busy || !this.#deps.enabled()) return;
    this.#busy = true;
    try {
      const rows = (await this.#deps
        .knex('approvals')
        .select('id')
        .where({ status: 'pending' })
        .andWhere('expires_at', '>', new Date())) as { id: string }[];
      const now = new Set(rows.map((row) => row.id));
      for (const id of now)
        if (!this.#pending.has(id)) {
          this.#pending.add(id);
          await this.#deps.notifier.onApproval(id);
        }
      for (const id of [...this.#pending])
        if (!now.has(id)) {
          this.#pending.delete(id);
          await this.#deps.notifier.onApproval(id);
        }
    } catch (error) {
      this.#deps.log.warn({ err: error }, 'Slack approval watch failed');
    } finally {
      this.#busy = false;
    }
  }
}
