import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@akmatori/core';
import { deterministicChecks } from '../checks/deterministic-checks.js';
import { matchesToolCall } from '../checks/tool-call-pattern.js';
import type { BuiltEnvironment } from '../environments/environment.js';
import type { EnvironmentRegistry } from '../environments/environment-registry.js';
import { EvalErrors } from '../errors.js';
import type { EvalApproval, EvalRunResult, EvalSkillVersion } from '../report/eval-result.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { AkmatoriApi } from './akmatori-api.js';
import {
  approvalOf,
  mcpToolName,
  readInvestigation,
  reportOf,
  type ApprovalView,
  type RunView,
} from './investigation-record.js';
import { setUpScenario } from './scenario-setup.js';

/** What {@link runScenario} needs. */
export interface RunScenarioOptions {
  readonly api: AkmatoriApi;
  readonly registry: EnvironmentRegistry;
  /** 1-based repeat number. */
  readonly attempt: number;
  readonly log: Logger;
  /** Called before the alerts are sent (the CI test loads the trajectory the model plays here). */
  readonly beforeAlerts?: () => void | Promise<void>;
  /** Poll interval while waiting for the investigation (default 250 ms). */
  readonly pollMs?: number;
  /**
   * The scenario's environments, already built (see {@link buildScenarioEnvironments}); the
   * caller stops them. Default: built for this run and stopped after it.
   */
  readonly environments?: readonly BuiltEnvironment[];
}

/**
 * Builds every environment of `scenario` in order, under `workDir`; when one fails, those
 * already built are stopped and the error is thrown.
 */
export async function buildScenarioEnvironments(
  scenario: Scenario,
  registry: EnvironmentRegistry,
  workDir: string,
  log?: Logger,
): Promise<BuiltEnvironment[]> {
  const built: BuiltEnvironment[] = [];
  try {
    for (const entry of scenario.definition.environment) {
      log?.info({ environment: entry.name, kind: entry.kind }, 'building environment');
      built.push(await registry.build(entry, { workDir: path.join(workDir, entry.name) }));
    }
    return built;
  } catch (error) {
    await stopEnvironments(built, log);
    throw error;
  }
}

/** Stops environments, last built first; a failure to stop is logged, not thrown. */
export async function stopEnvironments(
  environments: readonly BuiltEnvironment[],
  log?: Logger,
): Promise<void> {
  for (const env of [...environments].reverse())
    await env
      .stop()
      .catch((error: unknown) => log?.warn({ err: error }, 'could not stop an environment'));
}

/** One scenario run's result, and the skill versions it ran with. */
export interface ScenarioRunOutcome {
  readonly result: EvalRunResult;
  readonly skills: readonly EvalSkillVersion[];
  readonly toolTypes: readonly string[];
}

const terminal = new Set(['completed', 'failed', 'cancelled']);

/** Replaces each `{{fact}}` of an alert file with the fact, escaped for a JSON string. */
export function substituteFacts(text: string, facts: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) =>
    facts[name] === undefined ? whole : JSON.stringify(facts[name]).slice(1, -1),
  );
}

/**
 * Runs one scenario once through a running Akmatori: builds its environments, creates its tool
 * instances, skills and alert source, sends its alerts to the source's webhook, decides the
 * approvals the run asks for (approves the writes the scenario expects, denies the others), waits
 * for the investigation to end, reads its report, audit rows, timeline and usage, runs the
 * deterministic checks, and removes everything it made. A failure of the harness itself (an
 * environment that does not build, an API error) is a failed run with `status: harness_error`.
 */
export async function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions,
): Promise<ScenarioRunOutcome> {
  const { api, registry, attempt } = options;
  const log = options.log.child({ scenario: scenario.id, attempt });
  const started = Date.now();
  const workDir = mkdtempSync(path.join(tmpdir(), `akm-eval-${scenario.id}-`));
  let environments: readonly BuiltEnvironment[] = options.environments ?? [];
  const ownEnvironments = options.environments === undefined;
  let skills: readonly EvalSkillVersion[] = [];
  let toolTypes: string[] = [];
  let incidentUuid: string | null = null;
  let run: RunView | undefined;
  const approvals = new Map<string, EvalApproval>();
  const empty = {
    toolCalls: [],
    timeline: [],
    usage: {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      totalTokens: 0,
      costUsd: null,
      toolCalls: 0,
    },
  };
  const failed = (error: unknown): EvalRunResult => ({
    attempt,
    passed: false,
    checks: [],
    incidentUuid,
    runId: run?.id ?? null,
    status: 'harness_error',
    error: error instanceof Error ? error.message : String(error),
    report: null,
    approvals: [...approvals.values()],
    wallTimeMs: Date.now() - started,
    judge: null,
    ...empty,
  });

  try {
    if (ownEnvironments)
      environments = await buildScenarioEnvironments(scenario, registry, workDir, log);
    const facts = Object.assign({}, ...environments.map((env) => env.facts)) as Record<
      string,
      string
    >;
    const toolInstances = environments.flatMap((env) => env.toolInstances);
    toolTypes = [...new Set(toolInstances.map((instance) => instance.type))].sort();
    const label = `eval-${scenario.id}-${attempt}-${randomBytes(3).toString('hex')}`;
    const setup = await setUpScenario(api, scenario, toolInstances, label);
    skills = setup.skills;
    const instanceNames = new Map([...setup.toolIds].map(([name, id]) => [id, name]));
    try {
      await options.beforeAlerts?.();
      for (const alert of scenario.alerts) {
        const response = await fetch(`${api.url}/webhook/alert/${setup.sourceUuid}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: substituteFacts(alert.text, facts),
        });
        if (response.status !== 202)
          throw EvalErrors.AKM_EVAL_API_FAILED({
            method: 'POST',
            path: `webhook (${alert.file})`,
            status: response.status,
            body: (await response.text()).slice(0, 2000),
          });
      }

      const timeoutMs = (scenario.definition.timeout_seconds ?? 300) * 1000;
      const deadline = Date.now() + timeoutMs;
      const writes = scenario.definition.expect.writes;
      while (run === undefined || !terminal.has(run.status)) {
        if (Date.now() > deadline) {
          if (incidentUuid !== null)
            await api.call('POST', `/api/incidents/${incidentUuid}/cancel`).catch(() => undefined);
          throw EvalErrors.AKM_EVAL_RUN_TIMEOUT({ scenario: scenario.id, waitedMs: timeoutMs });
        }
        await sleep(options.pollMs ?? 250);
        if (incidentUuid === null) {
          const page = await api.call<{ data: { uuid: string }[] }>(
            'GET',
            `/api/incidents?source_uuid=${setup.sourceUuid}`,
          );
          incidentUuid = page.data.at(-1)?.uuid ?? null;
          if (incidentUuid === null) continue;
        }
        const runs = (
          await api.call<{ data: RunView[] }>('GET', `/api/incidents/${incidentUuid}/runs`)
        ).data;
        run = runs.find((candidate) => candidate.kind === 'investigation');
        const pending = (
          await api.call<{ data: ApprovalView[] }>(
            'GET',
            `/api/approvals?status=pending&incident_id=${incidentUuid}`,
          )
        ).data;
        for (const approval of pending) {
          const tool = mcpToolName(
            instanceNames.get(approval.tool_instance_id) ?? '',
            approval.tool,
          );
          const approve =
            writes !== 'none' &&
            writes.after_approval.some((pattern) =>
              matchesToolCall(pattern, tool, approval.details),
            );
          log.info({ tool, approve }, 'deciding an approval');
          const decided = await api.call<ApprovalView>(
            'POST',
            `/api/approvals/${approval.id}/${approve ? 'approve' : 'deny'}`,
            {
              reason: `eval harness: scenario ${scenario.id} ${approve ? 'expects' : 'does not expect'} this write`,
            },
          );
          approvals.set(approval.id, approvalOf(decided));
        }
      }

      const recorded = await readInvestigation(api, incidentUuid!, run);
      const report = reportOf(run);
      const checks = deterministicChecks(scenario.definition.expect, {
        status: run.status,
        report,
        toolCalls: recorded.toolCalls,
        usage: recorded.usage,
      });
      return {
        skills,
        toolTypes,
        result: {
          attempt,
          passed: checks.every((c) => c.passed),
          checks,
          incidentUuid,
          runId: run.id,
          status: run.status,
          error: run.error,
          report,
          approvals: [...approvals.values()],
          wallTimeMs: Date.now() - started,
          judge: null,
          ...recorded,
        },
      };
    } finally {
      await setup
        .remove()
        .catch((error: unknown) =>
          log.warn({ err: error }, 'could not remove what the scenario created'),
        );
    }
  } catch (error) {
    log.warn({ err: error }, 'scenario run failed');
    return { skills, toolTypes, result: failed(error) };
  } finally {
    if (ownEnvironments) await stopEnvironments(environments, log);
    rmSync(workDir, { recursive: true, force: true });
  }
}
