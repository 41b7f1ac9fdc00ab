import { type PostgresCluster, startPostgresCluster } from '@akmatori/host/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the tests create their databases on. */
    postgresAdminUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

/**
 * Starts one throwaway PostgreSQL cluster for the whole run (or uses TEST_DATABASE_URL).
 * Missing PostgreSQL binaries fail the run: no test is skipped for want of a server.
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('postgresAdminUrl', given);
    return;
  }
  cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
