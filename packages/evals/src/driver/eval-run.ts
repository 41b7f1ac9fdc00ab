import { silentLogger, type Logger } from '@akmatori/core';
import {
  createEnvironmentRegistry,
  type EnvironmentRegistry,
} from '../environments/environment-registry.js';
import { builtinEnvironmentKinds } from '../environments/builtin-environment-kinds.js';
import { holdSharedZabbix } from '../environments/zabbix/shared-zabbix.js';
import { EvalErrors } from '../errors.js';
import { judgeRun, type JudgeModel } from '../judge/llm-judge.js';
import type {
  EvalResult,
  EvalRunResult,
  EvalScenarioResult,
  EvalSkillVersion,
  EvalTotals,
} from '../report/eval-result.js';
import { loadScenarios } from '../scenarios/scenario-loader.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { AkmatoriApi } from './akmatori-api.js';
import { startEvalServer, type EvalServerOptions } from './akmatori-server.js';
import { runScenario } from './scenario-run.js';

/** The model the investigations use: any OpenAI-compatible Responses API. */
export interface EvalModel {
  /** API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent only to Akmatori's LLM settings (stored sealed); never printed. */
  readonly apiKey: string;
  /** USD per million tokens, so runs get a cost (else tokens only). */
  readonly price?: { readonly inputPerMillion: number; readonly outputPerMillion: number };
}

/** Options of {@link runEval}. */
export interface RunEvalOptions {
  /** The folder of scenario folders (`evals/scenarios`). */
  readonly scenariosDir: string;
  /** Only these scenario ids (default: all). */
  readonly ids?: readonly string[];
  /** Runs per scenario (default 1). */
  readonly repeat?: number;
  readonly model: EvalModel;
  /** Start a throwaway `akmatori serve` with these options, used for every scenario. */
  readonly server: EvalServerOptions;
  /** Default: the built-in environment kinds. */
  readonly registry?: EnvironmentRegistry;
  readonly log?: Logger;
  /** An LLM judge grading each report, reported apart from the checks (default: none). */
  readonly judge?: JudgeModel;
  /** Told after each run (for progress output). */
  readonly onRun?: (scenario: Scenario, result: EvalRunResult) => void;
}

/** Sums `runs` (wall time: given, or the runs' sum). */
export function totalsOf(runs: readonly EvalRunResult[], wallTimeMs?: number): EvalTotals {
  const passed = runs.filter((run) => run.passed).length;
  const costs = runs.map((run) => run.usage.costUsd);
  return {
    runs: runs.length,
    passed,
    passRate: runs.length === 0 ? 0 : passed / runs.length,
    tokens: runs.reduce((sum, run) => sum + run.usage.totalTokens, 0),
    costUsd: costs.every((cost) => cost === null)
      ? null
      : costs.reduce<number>((sum, cost) => sum + (cost ?? 0), 0),
    wallTimeMs: wallTimeMs ?? runs.reduce((sum, run) => sum + run.wallTimeMs, 0),
  };
}

/** Points Akmatori's LLM settings (and, with a price, its price table) at `model`. */
export async function configureModel(api: AkmatoriApi, model: EvalModel): Promise<void> {
  await api.call('PUT', '/api/settings/llm', {
    provider: 'openai-compatible',
    base_url: model.baseUrl,
    api_key: model.apiKey,
    model: model.model,
  });
  if (model.price !== undefined)
    await api.call('PUT', '/api/settings/prices', {
      [model.model]: {
        input_per_million: model.price.inputPerMillion,
        cached_input_per_million: model.price.inputPerMillion,
        output_per_million: model.price.outputPerMillion,
      },
    });
}

/** Resolves once a worker (the embedded one) is connected, or throws after `timeoutMs`. */
export async function workerConnected(api: AkmatoriApi, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await api.call<{ data: unknown[] }>('GET', '/api/workers')).data.length === 0) {
    if (Date.now() > deadline)
      throw EvalErrors.AKM_EVAL_SERVER_START_FAILED({ reason: 'no worker connected' });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs scenarios against a model, each `repeat` times, through ONE throwaway `akmatori serve`
 * (embedded database, loopback ports) that it starts and stops, and returns the whole result.
 *
 * @example
 * ```ts
 * const result = await runEval({
 *   scenariosDir: 'evals/scenarios',
 *   model: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-5.1', apiKey },
 *   server: { cliPath: 'app/dist/cli.js' },
 * });
 * console.log(result.totals.passRate);
 * ```
 */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100)
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({
      option: '--repeat',
      problem: 'must be a whole number from 1 to 100',
    });
  const registry = options.registry ?? createEnvironmentRegistry(builtinEnvironmentKinds);
  const log = options.log ?? silentLogger();
  const scenarios = loadScenarios(options.scenariosDir, {
    registry,
    ...(options.ids === undefined ? {} : { ids: options.ids }),
  });
  const startedAt = new Date();
  // Zabbix takes ~15 s to start: one serves every zabbix scenario of the run (started lazily).
  const releaseZabbix = holdSharedZabbix();
  const server = await startEvalServer(options.server).catch(async (error: unknown) => {
    await releaseZabbix();
    throw error;
  });
  try {
    const { api } = server;
    const health = (await (await fetch(`${api.url}/health`)).json()) as { version?: string };
    await configureModel(api, options.model);
    await workerConnected(api);
    const skills = new Map<string, EvalSkillVersion>();
    const results: EvalScenarioResult[] = [];
    for (const scenario of scenarios) {
      const runs: EvalRunResult[] = [];
      let toolTypes: readonly string[] = [];
      for (let attempt = 1; attempt <= repeat; attempt += 1) {
        const outcome = await runScenario(scenario, { api, registry, attempt, log });
        for (const skill of outcome.skills) skills.set(`${skill.name}@${skill.sha256}`, skill);
        toolTypes = outcome.toolTypes;
        const run: EvalRunResult =
          options.judge === undefined
            ? outcome.result
            : {
                ...outcome.result,
                judge: await judgeRun(options.judge, scenario, outcome.result, log),
              };
        runs.push(run);
        options.onRun?.(scenario, run);
      }
      results.push({
        scenarioId: scenario.id,
        title: scenario.definition.title,
        skills: [...scenario.definition.skills],
        toolTypes,
        runs,
        totals: totalsOf(runs),
      });
    }
    const finishedAt = new Date();
    const verdicts = results.flatMap((scenario) =>
      scenario.runs.flatMap((run) => (run.judge === null ? [] : [run.judge.score])),
    );
    return {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      model: options.model.model,
      endpoint: new URL(options.model.baseUrl).origin,
      akmatoriVersion: health.version ?? 'unknown',
      repeat,
      skills: [...skills.values()].sort((a, b) => a.name.localeCompare(b.name)),
      scenarios: results,
      totals: totalsOf(
        results.flatMap((scenario) => scenario.runs),
        finishedAt.getTime() - startedAt.getTime(),
      ),
      judge:
        options.judge === undefined
          ? null
          : {
              model: options.judge.model,
              meanScore:
                verdicts.length === 0
                  ? 0
                  : verdicts.reduce((sum, score) => sum + score, 0) / verdicts.length,
              judgedRuns: verdicts.length,
            },
    };
  } finally {
    await releaseZabbix();
    await server.stop();
  }
}
