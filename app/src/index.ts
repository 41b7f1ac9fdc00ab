/**
 * `akmatori`: the reference app. `createApp` builds it for tests and embedding;
 * `serve` runs it; the `akmatori` bin is the command line.
 */
export { AppTokens } from './container.js';
export { createApp, type AkmatoriApp, type CreateAppOptions } from './create-app.js';
export { AppErrors } from './errors.js';
export { skillVersion } from './evals/skill-version.js';
export { storeEvalRun, type EvalResultToStore } from './evals/store-eval-run.js';
export { mappableFields, type MappableField } from './ingest/field-mappings.js';
export { serve, type RunningServer } from './serve.js';
export { appVersion } from './version.js';
