import path from 'node:path';
import type { Logger } from '@akmatori/core';
import type { Database, Repositories } from '@akmatori/host';
import { InboxJournal } from './inbox-journal.js';

/** Folder of the inbox journal, beside the embedded engine's `pgdata`. */
export const inboxJournalDirName = 'inbox';

/**
 * Opens the inbox journal when the database is the embedded engine on disk (the data
 * directory's lock, held by the database, covers it too); undefined on PostgreSQL, where the
 * webhook writes to `alert_events` directly and several replicas share it, and for an
 * in-memory database. Call after migrations.
 */
export async function openInboxJournal(
  database: Database,
  repositories: Repositories,
  log: Logger,
): Promise<InboxJournal | undefined> {
  if (database.backend !== 'embedded' || database.location === 'memory') return undefined;
  const { highestStored, lastIssued } = await repositories.alertEvents.idWatermarks();
  return InboxJournal.open(path.join(path.dirname(database.location), inboxJournalDirName), {
    drainedThrough: highestStored,
    lastIssuedId: lastIssued,
    log,
  });
}
