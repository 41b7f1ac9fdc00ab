import type { Logger } from '@akmatori/core';
import type { AlertEventRepository } from '@akmatori/host';
import type { InboxJournal } from './inbox-journal.js';

/**
 * Alerts accepted but kept outside the inbox table for now. The incident engine moves some
 * into the table before each batch, so it paces them with its own work and `drain()` covers
 * them.
 */
export interface AlertInboxFeed {
  /** Moves about `limit` waiting events (whole journal frames) into the table; resolves with how many. */
  moveToTable(limit: number): Promise<number>;
  /** Events still waiting outside the table. */
  readonly pending: number;
}

/**
 * The feed from the embedded default's {@link InboxJournal} into `alert_events`: one INSERT
 * per batch, ids kept, and the journal advanced only after it commits (a crash in between
 * moves the same events again, which the table skips).
 */
export function journalFeed(
  journal: InboxJournal,
  events: AlertEventRepository,
  log: Logger,
): AlertInboxFeed {
  return {
    get pending() {
      return journal.pending;
    },
    async moveToTable(limit) {
      const batch = await journal.read(limit);
      if (batch === undefined) return 0;
      const added = await events.insertJournaled(batch.json, batch.lastId);
      await journal.advance(batch);
      if (added < batch.count)
        log.debug(
          { read: batch.count, added },
          'inbox journal: events already in the table or of deleted sources skipped',
        );
      return batch.count;
    },
  };
}
