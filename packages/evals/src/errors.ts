import { defineErrorCatalog } from '@akmatori/core';

/**
 * Every error the eval harness raises for a condition someone can act on (a scenario that does
 * not load, an environment that cannot be built, an Akmatori that does not answer as expected),
 * with its stable code. Codes are part of the API: add new ones, never change or reuse old ones.
 */
export const EvalErrors = defineErrorCatalog({
  /** An environment kind registered twice, or with a name or schema that cannot be used. */
  AKM_EVAL_ENVIRONMENT_KIND_INVALID: {
    status: 500,
    message: (p: { kind: string; problem: string }) =>
      `environment kind ${JSON.stringify(p.kind)} ${p.problem}`,
  },
  /** A scenario names an environment kind nobody registered. */
  AKM_EVAL_ENVIRONMENT_KIND_UNKNOWN: {
    status: 400,
    message: (p: { kind: string; known: readonly string[] }) =>
      `unknown environment kind ${JSON.stringify(p.kind)}; known kinds: ${p.known.join(', ') || '(none)'}`,
  },
  /** An environment spec that its kind's JSON Schema refuses. */
  AKM_EVAL_ENVIRONMENT_SPEC_INVALID: {
    status: 400,
    message: (p: { kind: string; name: string; problems: readonly string[] }) =>
      `environment ${JSON.stringify(p.name)} (${p.kind}): ${p.problems.join('; ')}`,
  },
  /** An environment that failed to build (its cause says why). */
  AKM_EVAL_ENVIRONMENT_BUILD_FAILED: {
    status: 500,
    message: (p: { kind: string; name: string; reason: string }) =>
      `environment ${JSON.stringify(p.name)} (${p.kind}) could not be built: ${p.reason}`,
  },
  /** A scenario folder that cannot be loaded; `problems` says every reason found. */
  AKM_EVAL_SCENARIO_INVALID: {
    status: 400,
    message: (p: { scenario: string; problems: readonly string[] }) =>
      `scenario ${p.scenario}: ${p.problems.join('; ')}`,
  },
  /** A scenario id asked for (`--scenario`) that no folder holds. */
  AKM_EVAL_SCENARIO_NOT_FOUND: {
    status: 404,
    message: (p: { id: string; dir: string }) => `no scenario ${JSON.stringify(p.id)} in ${p.dir}`,
  },
  /** The Akmatori the harness drives answered an API call with an error. */
  AKM_EVAL_API_FAILED: {
    status: 502,
    message: (p: { method: string; path: string; status: number; body: string }) =>
      `${p.method} ${p.path} answered ${p.status}: ${p.body}`,
  },
  /** The Akmatori server the harness starts did not come up. */
  AKM_EVAL_SERVER_START_FAILED: {
    status: 500,
    message: (p: { reason: string }) => `akmatori serve did not start: ${p.reason}`,
  },
  /** An investigation that did not finish within the harness's wait. */
  AKM_EVAL_RUN_TIMEOUT: {
    status: 504,
    message: (p: { scenario: string; waitedMs: number }) =>
      `scenario ${p.scenario}: the investigation did not finish within ${Math.round(p.waitedMs / 1000)} s`,
  },
  /** An eval run option out of range (repeat count, endpoint URL, ...). */
  AKM_EVAL_OPTION_INVALID: {
    status: 400,
    message: (p: { option: string; problem: string }) => `${p.option} ${p.problem}`,
  },
});
