import { randomUUID } from 'node:crypto';
import type { EvalScorecardRepository } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { skillVersion } from './skill-version.js';

/**
 * What the scorecard reads of a finished `akmatori eval run`: the fields it uses of
 * `EvalResult` (`@akmatori/evals`, report/eval-result.ts), so an `EvalResult` is passed as is.
 */
export interface EvalResultToStore {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly model: string;
  /** The model endpoint: only its host and port are stored, never a key or a path. */
  readonly endpoint: string;
  readonly scenarios: readonly {
    readonly scenarioId: string;
    readonly title: string;
    /** Names of the skills the scenario enabled; each must be in `skillDirectories`. */
    readonly skills: readonly string[];
    readonly runs: readonly {
      readonly attempt: number;
      readonly passed: boolean;
      readonly checks: readonly {
        readonly id: string;
        readonly title: string;
        readonly passed: boolean;
        readonly detail: string;
      }[];
      readonly error: string | null;
      readonly usage: {
        readonly totalTokens: number;
        readonly costUsd: number | null;
        readonly toolCalls: number;
      };
      readonly wallTimeMs: number;
    }[];
  }[];
}

/**
 * Stores a finished eval run in the scorecards that `GET /api/evals/scorecards` and the
 * dashboard's Evals page show: the model, the endpoint's host, every scenario attempt with
 * each check, tokens, cost and time, and the version of every skill it used, which is
 * {@link skillVersion} of the skill's directory as named in `skillDirectories` (the hash of all
 * its files, so an edit to SKILL.md or to a script makes a new version). Returns the stored
 * run's id (`GET /api/evals/runs/{id}`). Throws `AKM_NOT_FOUND` when a scenario's skill has no
 * directory in `skillDirectories`.
 *
 * @example
 * ```ts
 * const result: EvalResult = await runEval(...);
 * const database = await openDatabase(config);
 * const id = await storeEvalRun(createRepositories(database).evalScorecards, result, {
 *   skillDirectories: { 'disk-filling-up': '/var/lib/akmatori/skills/disk-filling-up' },
 * });
 * ```
 */
export async function storeEvalRun(
  scorecards: EvalScorecardRepository,
  result: EvalResultToStore,
  options: { readonly skillDirectories: Readonly<Record<string, string>> },
): Promise<string> {
  const versions = new Map<string, string>();
  for (const name of new Set(result.scenarios.flatMap((scenario) => scenario.skills))) {
    const directory = Object.hasOwn(options.skillDirectories, name)
      ? options.skillDirectories[name]
      : undefined;
    if (directory === undefined)
      throw AppErrors.AKM_NOT_FOUND({ what: 'skill directory', id: name });
    versions.set(name, await skillVersion(directory));
  }
  const startedAt = new Date(result.startedAt);
  return scorecards.insertRun({
    id: randomUUID(),
    model: result.model,
    endpointHost: endpointHost(result.endpoint),
    startedAt,
    durationMs: Math.max(0, new Date(result.finishedAt).getTime() - startedAt.getTime()),
    results: result.scenarios.flatMap((scenario) =>
      scenario.runs.map((run) => ({
        scenarioId: scenario.scenarioId,
        scenarioTitle: scenario.title,
        attempt: run.attempt,
        passed: run.passed,
        checks: run.checks.map((check) => ({
          name: check.id,
          title: check.title,
          passed: check.passed,
          detail: check.detail,
        })),
        tokens: run.usage.totalTokens,
        costUsd: run.usage.costUsd,
        toolCalls: run.usage.toolCalls,
        durationMs: run.wallTimeMs,
        error: run.error,
        skills: scenario.skills.map((name) => ({ name, version: versions.get(name) as string })),
      })),
    ),
  });
}

/** `https://key@llm.example:8443/v1?k=…` → `llm.example:8443`; null when not a URL. */
export function endpointHost(endpoint: string | null): string | null {
  if (endpoint === null) return null;
  try {
    return new URL(endpoint).host || null;
  } catch {
    return null;
  }
}
