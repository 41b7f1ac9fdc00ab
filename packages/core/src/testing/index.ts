/**
 * `@akmatori/core/testing`: what plugin authors and the app's own tests use to boot
 * plugins against real storage, and the contract every alert adapter must pass.
 */
export { checkAlertAdapterContract, parseWith, webhookRequest } from './adapter-contract.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export {
  createDatabaseOn,
  startPostgresCluster,
  type PostgresCluster,
} from './postgres-cluster.js';
export { createTestHost, type TestHost, type TestHostOptions } from './test-host.js';
export {
  createToolContext,
  type TestToolContext,
  type ToolContextOptions,
} from './tool-context.js';
