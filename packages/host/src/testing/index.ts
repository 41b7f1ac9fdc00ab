/**
 * `@akmatori/host/testing`: a throwaway host for tests that need real storage. `createTestHost`
 * boots plugins (and optionally the app) on a migrated embedded database;
 * `startPostgresCluster` runs a real PostgreSQL server for the suites that test both backends.
 */
export {
  createDatabaseOn,
  startPostgresCluster,
  type PostgresCluster,
} from './postgres-cluster.js';
export { createTestHost, type TestHost, type TestHostOptions } from './test-host.js';
