/**
 * `@akmatori/core/testing`: what plugin authors and the built-in packages test their
 * plugins with, the same kit for both: the contracts every alert adapter, tool provider and
 * notifier must pass; strict alert checks; fixture folders with their provenance; payload
 * mangling that checks bad input is refused with a payload error, never a crash; running an
 * adapter's parse, verify and checkHeaders as the host does; calling a tool as the gateway
 * does; and a manual clock. Every check returns a list of problems (empty when all is well),
 * so it works with any test runner.
 * Booting the app on a real database is `@akmatori/host/testing`'s `createTestHost`.
 */
export {
  checkAlertAdapterContract,
  checkHeadersWith,
  fixtureProblems,
  nonObjectBodies,
  parseFixture,
  parseWith,
  verifyWith,
  webhookRequest,
  type SourceOptions,
} from './adapter-contract.js';
export { alertProblems, isPayloadError, payloadErrorOf } from './alert-checks.js';
export { fixtureFolder, testReceivedAt, type FixtureFolder } from './fixtures.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { checkNotifierContract } from './notifier-contract.js';
export {
  mangledPayloadProblems,
  mangledPayloads,
  type MangledPayload,
} from './payload-mangling.js';
export { schemaFieldProblems } from './schema-checks.js';
export {
  createToolContext,
  type TestToolContext,
  type ToolContextOptions,
} from './tool-context.js';
export { callTool, checkToolProviderContract, toolOf } from './tool-provider-contract.js';
