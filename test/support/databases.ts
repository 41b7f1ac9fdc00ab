import { type Database, type DatabaseBackend, openEmbedded, openPostgres } from '@akmatori/host';
import { createDatabaseOn } from '@akmatori/host/testing';
import { inject } from 'vitest';

/** Both storage backends; repository tests run once for each. */
export const backends: readonly DatabaseBackend[] = ['embedded', 'postgres'];

let counter = 0;

/** A new, empty database on the given backend: in-memory PGlite, or a fresh PostgreSQL database. */
export async function openTestDatabase(backend: DatabaseBackend): Promise<Database> {
  if (backend === 'embedded') return openEmbedded();
  const name = `akm_test_${process.pid}_${Date.now()}_${counter++}`;
  return openPostgres({ url: await createDatabaseOn(inject('postgresAdminUrl'), name) });
}

/** URL of a new, empty PostgreSQL database. */
export async function createPostgresDatabase(): Promise<string> {
  return createDatabaseOn(
    inject('postgresAdminUrl'),
    `akm_test_${process.pid}_${Date.now()}_${counter++}`,
  );
}
