import type { SkillAttempt } from '@akmatori/host';

/** How a scenario did with one skill version: every attempt passed, none did, or some. */
export type ScenarioOutcome = 'pass' | 'fail' | 'mixed';

/** One scenario's attempts with one skill version. */
export interface ScenarioOutcomeOfVersion {
  readonly scenarioId: string;
  readonly attempts: number;
  readonly passed: number;
  readonly outcome: ScenarioOutcome;
  /** The newest run that tried it, to open its detail. */
  readonly lastRunId: string;
}

/** A scenario whose outcome differs from the version before. */
export interface ScenarioChange {
  readonly scenarioId: string;
  readonly from: ScenarioOutcome;
  readonly to: ScenarioOutcome;
}

/** One version of a skill with one model, next to the version before it. */
export interface SkillVersionOutcomes {
  readonly version: string;
  readonly firstRunAt: Date;
  readonly lastRunAt: Date;
  readonly attempts: number;
  readonly passed: number;
  readonly scenarios: readonly ScenarioOutcomeOfVersion[];
  /** Scenarios both versions ran whose outcome changed; empty for the first version. */
  readonly changes: readonly ScenarioChange[];
}

const outcomeOf = (passed: number, attempts: number): ScenarioOutcome =>
  passed === attempts ? 'pass' : passed === 0 ? 'fail' : 'mixed';

/**
 * Groups a skill's attempts with `model` by version (in the order each version was first run)
 * and says, for each version, which scenarios went from pass to fail (or back) compared with
 * the version before it.
 *
 * @example
 * ```ts
 * const versions = compareSkillVersions(await repo.skillAttempts('high-cpu', 5000), 'gpt-5');
 * versions.at(-1)?.changes; // [{ scenarioId: 'oom', from: 'pass', to: 'fail' }]
 * ```
 */
export function compareSkillVersions(
  attempts: readonly SkillAttempt[],
  model: string,
): SkillVersionOutcomes[] {
  const byVersion = new Map<string, SkillAttempt[]>();
  for (const attempt of attempts) {
    if (attempt.model !== model) continue;
    byVersion.set(attempt.version, [...(byVersion.get(attempt.version) ?? []), attempt]);
  }
  const versions = [...byVersion.entries()]
    .map(([version, list]) => ({ version, list, first: Math.min(...list.map(startOf)) }))
    .sort((a, b) => a.first - b.first);
  const result: SkillVersionOutcomes[] = [];
  for (const { version, list } of versions) {
    const scenarios = scenarioOutcomes(list);
    const before = result.at(-1);
    const changes: ScenarioChange[] = [];
    for (const scenario of scenarios) {
      const previous = before?.scenarios.find((s) => s.scenarioId === scenario.scenarioId);
      if (previous !== undefined && previous.outcome !== scenario.outcome)
        changes.push({
          scenarioId: scenario.scenarioId,
          from: previous.outcome,
          to: scenario.outcome,
        });
    }
    result.push({
      version,
      firstRunAt: new Date(Math.min(...list.map(startOf))),
      lastRunAt: new Date(Math.max(...list.map(startOf))),
      attempts: list.length,
      passed: list.filter((a) => a.passed).length,
      scenarios,
      changes,
    });
  }
  return result;
}

const startOf = (attempt: SkillAttempt): number => attempt.startedAt.getTime();

function scenarioOutcomes(list: readonly SkillAttempt[]): ScenarioOutcomeOfVersion[] {
  const byScenario = new Map<string, SkillAttempt[]>();
  for (const attempt of list)
    byScenario.set(attempt.scenarioId, [...(byScenario.get(attempt.scenarioId) ?? []), attempt]);
  return [...byScenario.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scenarioId, tries]) => {
      const passed = tries.filter((t) => t.passed).length;
      const newest = tries.reduce((a, b) => (startOf(b) >= startOf(a) ? b : a));
      return {
        scenarioId,
        attempts: tries.length,
        passed,
        outcome: outcomeOf(passed, tries.length),
        lastRunId: newest.runId,
      };
    });
}
