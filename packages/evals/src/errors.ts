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
  /** A program an environment needs is not installed (Prometheus, PostgreSQL, Zabbix, …); `install` says how to get it. */
  AKM_EVAL_PROGRAM_MISSING: {
    status: 500,
    message: (p: { program: string; install: string }) => `${p.program} not found: ${p.install}`,
  },
  /** A program an environment runs (a peer: Prometheus, promtool, Alertmanager, PostgreSQL, zabbix_server, php) failed, or exited before its time. */
  AKM_EVAL_PEER_FAILED: {
    status: 500,
    message: (p: { peer: string; problem: string }) => `${p.peer} ${p.problem}`,
  },
  /** A peer's API refused what an environment sent it, or answered something unusable. */
  AKM_EVAL_PEER_REFUSED: {
    status: 502,
    message: (p: { peer: string; request: string; answer: string }) =>
      `${p.peer} refused ${p.request}: ${p.answer}`,
  },
  /** A peer did not reach the state an environment waits for (ready, scraped, firing) in time. */
  AKM_EVAL_PEER_TIMEOUT: {
    status: 504,
    message: (p: { what: string; waitedMs: number; reason: string }) =>
      `timed out after ${p.waitedMs} ms waiting for ${p.what}${p.reason === '' ? '' : `: ${p.reason}`}`,
  },
  /** No free TCP port was found on 127.0.0.1 for a peer. */
  AKM_EVAL_NO_FREE_PORT: {
    status: 503,
    message: (p: { below?: number }) =>
      `no free TCP port found on 127.0.0.1${p.below === undefined ? '' : ` below ${p.below}`}`,
  },
  /** A value of an environment's story it cannot use (a silence matcher, a database name). */
  AKM_EVAL_STORY_INVALID: {
    status: 400,
    message: (p: { problem: string; value: string }) => `${p.problem}: ${p.value}`,
  },
  /** An environment that must run as root (namespaces, mounts, an sshd logging in as root). */
  AKM_EVAL_ROOT_REQUIRED: {
    status: 500,
    message: (p: { kind: string; why: string }) => `${p.kind} needs root (${p.why})`,
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
