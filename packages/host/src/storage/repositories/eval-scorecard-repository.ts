import type { Knex } from 'knex';

/** One check of a scenario attempt, as the eval harness judged it. */
export interface EvalCheckOutcome {
  /** The check's name, e.g. `root_cause`, `evidence`, `budget`. */
  readonly name: string;
  /** What the check asks, in a sentence. */
  readonly title: string;
  readonly passed: boolean;
  /** Why it passed or failed, in a sentence (untrusted: shown as text only). */
  readonly detail: string;
}

/** One scenario attempt of an eval run. */
export interface EvalResultRecord {
  readonly scenarioId: string;
  readonly scenarioTitle: string | null;
  /** 1 for the first attempt; `--repeat N` makes 1..N. */
  readonly attempt: number;
  readonly passed: boolean;
  readonly checks: readonly EvalCheckOutcome[];
  readonly tokens: number;
  /** Null when the model's price is unknown. */
  readonly costUsd: number | null;
  readonly toolCalls: number | null;
  readonly durationMs: number;
  /** Why the attempt could not run to the end, if it could not. */
  readonly error: string | null;
  /** Every skill the attempt used: its name and version (a content hash of its files). */
  readonly skills: readonly { readonly name: string; readonly version: string }[];
}

/** A finished eval run with its scenario attempts, as stored. */
export interface EvalRunRecord {
  readonly id: string;
  readonly model: string;
  /** Host (and port) of the model endpoint; never a key or a path. */
  readonly endpointHost: string | null;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly results: number;
  readonly passed: number;
  readonly tokens: number;
  readonly costUsd: number | null;
}

/** Totals of many scenario attempts. */
export interface EvalTotals {
  readonly results: number;
  readonly passed: number;
  readonly tokens: number;
  /** Sum of the known costs; null when no attempt had one. */
  readonly costUsd: number | null;
  readonly durationMs: number;
  readonly firstRunAt: Date;
  readonly lastRunAt: Date;
}

/** How one model did over every stored run. */
export interface ModelScorecard extends EvalTotals {
  readonly model: string;
  readonly runs: number;
}

/** How one version of one skill did with one model. */
export interface SkillVersionScorecard extends EvalTotals {
  readonly skill: string;
  readonly version: string;
  readonly model: string;
}

/** One scenario attempt that used a skill, for comparing the skill's versions. */
export interface SkillAttempt {
  readonly runId: string;
  readonly startedAt: Date;
  readonly model: string;
  readonly version: string;
  readonly scenarioId: string;
  readonly passed: boolean;
}

interface TotalsRow {
  results: string | number;
  passed: string | number;
  tokens: string | number;
  cost_usd: string | number | null;
  duration_ms: string | number;
  first_run_at: Date;
  last_run_at: Date;
}

const totalsColumns = [
  'count(*) as results',
  'coalesce(sum(case when r.passed then 1 else 0 end), 0) as passed',
  'coalesce(sum(r.tokens), 0) as tokens',
  'sum(r.cost_usd) as cost_usd',
  'coalesce(sum(r.duration_ms), 0) as duration_ms',
  'min(e.started_at) as first_run_at',
  'max(e.started_at) as last_run_at',
];

const toTotals = (row: TotalsRow): EvalTotals => ({
  results: Number(row.results),
  passed: Number(row.passed),
  tokens: Number(row.tokens),
  costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
  durationMs: Number(row.duration_ms),
  firstRunAt: new Date(row.first_run_at),
  lastRunAt: new Date(row.last_run_at),
});

interface RunRow {
  id: string;
  model: string;
  endpoint_host: string | null;
  started_at: Date;
  duration_ms: string | number;
  results: number;
  passed: number;
  tokens: string | number;
  cost_usd: number | null;
}

const toRun = (row: RunRow): EvalRunRecord => ({
  id: row.id,
  model: row.model,
  endpointHost: row.endpoint_host,
  startedAt: new Date(row.started_at),
  durationMs: Number(row.duration_ms),
  results: row.results,
  passed: row.passed,
  tokens: Number(row.tokens),
  costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
});

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Reads and writes eval scorecards: `eval_runs`, `eval_results`, `eval_result_skills`.
 *
 * @example
 * ```ts
 * const id = await repositories.evalScorecards.insertRun({ id: randomUUID(), model: 'gpt-5',
 *   endpointHost: 'api.openai.com', startedAt: new Date(), durationMs: 1200, results: [] });
 * const { models } = await repositories.evalScorecards.scorecards();
 * ```
 */
export class EvalScorecardRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Stores a finished run and its attempts in one transaction; returns the run's id. */
  async insertRun(run: {
    readonly id: string;
    readonly model: string;
    readonly endpointHost: string | null;
    readonly startedAt: Date;
    readonly durationMs: number;
    readonly results: readonly EvalResultRecord[];
  }): Promise<string> {
    const costs = run.results.flatMap((r) => (r.costUsd === null ? [] : [r.costUsd]));
    await this.#knex.transaction(async (trx) => {
      await trx('eval_runs').insert({
        id: run.id,
        model: run.model,
        endpoint_host: run.endpointHost,
        started_at: run.startedAt,
        duration_ms: Math.round(run.durationMs),
        results: run.results.length,
        passed: run.results.filter((r) => r.passed).length,
        tokens: sum(run.results.map((r) => r.tokens)),
        cost_usd: costs.length === 0 ? null : sum(costs),
      });
      for (const result of run.results) {
        const [row] = (await trx('eval_results')
          .insert({
            run_id: run.id,
            scenario_id: result.scenarioId,
            scenario_title: result.scenarioTitle,
            attempt: result.attempt,
            passed: result.passed,
            checks: JSON.stringify(result.checks),
            tokens: result.tokens,
            cost_usd: result.costUsd,
            tool_calls: result.toolCalls,
            duration_ms: Math.round(result.durationMs),
            error: result.error,
          })
          .returning('id')) as { id: string | number }[];
        const skills = new Map(result.skills.map((skill) => [skill.name, skill.version]));
        if (skills.size > 0)
          await trx('eval_result_skills').insert(
            [...skills].map(([name, version]) => ({
              result_id: row!.id,
              skill_name: name,
              skill_version: version,
            })),
          );
      }
    });
    return run.id;
  }

  /** The latest runs, newest first. */
  async listRuns(limit: number): Promise<EvalRunRecord[]> {
    const rows = (await this.#knex('eval_runs')
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)) as RunRow[];
    return rows.map(toRun);
  }

  /** One run with its attempts (in the order they were stored), or undefined. */
  async findRun(
    id: string,
  ): Promise<{ run: EvalRunRecord; results: EvalResultRecord[] } | undefined> {
    const row = (await this.#knex('eval_runs').where({ id }).first()) as RunRow | undefined;
    if (row === undefined) return undefined;
    const results = (await this.#knex('eval_results').where({ run_id: id }).orderBy('id')) as {
      id: string | number;
      scenario_id: string;
      scenario_title: string | null;
      attempt: number;
      passed: boolean;
      checks: EvalCheckOutcome[] | string;
      tokens: string | number;
      cost_usd: number | null;
      tool_calls: number | null;
      duration_ms: string | number;
      error: string | null;
    }[];
    const skillRows = (await this.#knex('eval_result_skills as s')
      .join('eval_results as r', 'r.id', 's.result_id')
      .where('r.run_id', id)
      .orderBy('s.skill_name')
      .select('s.result_id', 's.skill_name', 's.skill_version')) as {
      result_id: string | number;
      skill_name: string;
      skill_version: string;
    }[];
    return {
      run: toRun(row),
      results: results.map((result) => ({
        scenarioId: result.scenario_id,
        scenarioTitle: result.scenario_title,
        attempt: result.attempt,
        passed: result.passed,
        checks:
          typeof result.checks === 'string'
            ? (JSON.parse(result.checks) as EvalCheckOutcome[])
            : result.checks,
        tokens: Number(result.tokens),
        costUsd: result.cost_usd === null ? null : Number(result.cost_usd),
        toolCalls: result.tool_calls,
        durationMs: Number(result.duration_ms),
        error: result.error,
        skills: skillRows
          .filter((skill) => String(skill.result_id) === String(result.id))
          .map((skill) => ({ name: skill.skill_name, version: skill.skill_version })),
      })),
    };
  }

  /** Per model, then per skill version and model: pass counts, tokens, cost, time. */
  async scorecards(): Promise<{ models: ModelScorecard[]; skills: SkillVersionScorecard[] }> {
    const models = (await this.#knex('eval_results as r')
      .join('eval_runs as e', 'e.id', 'r.run_id')
      .groupBy('e.model')
      .orderBy('e.model')
      .select(
        'e.model',
        this.#knex.raw('count(distinct e.id) as runs'),
        ...totalsColumns.map((column) => this.#knex.raw(column)),
      )) as (TotalsRow & { model: string; runs: string | number })[];
    const skills = (await this.#knex('eval_result_skills as s')
      .join('eval_results as r', 'r.id', 's.result_id')
      .join('eval_runs as e', 'e.id', 'r.run_id')
      .groupBy('s.skill_name', 's.skill_version', 'e.model')
      .orderBy([
        { column: 's.skill_name' },
        { column: 'e.model' },
        { column: 'first_run_at', order: 'desc' },
      ])
      .select(
        's.skill_name',
        's.skill_version',
        'e.model',
        ...totalsColumns.map((column) => this.#knex.raw(column)),
      )) as (TotalsRow & { skill_name: string; skill_version: string; model: string })[];
    return {
      models: models.map((row) => ({ model: row.model, runs: Number(row.runs), ...toTotals(row) })),
      skills: skills.map((row) => ({
        skill: row.skill_name,
        version: row.skill_version,
        model: row.model,
        ...toTotals(row),
      })),
    };
  }

  /** Every attempt that used `skill`, oldest run first (at most `limit`). */
  async skillAttempts(skill: string, limit: number): Promise<SkillAttempt[]> {
    const rows = (await this.#knex('eval_result_skills as s')
      .join('eval_results as r', 'r.id', 's.result_id')
      .join('eval_runs as e', 'e.id', 'r.run_id')
      .where('s.skill_name', skill)
      .orderBy([
        { column: 'e.started_at', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ])
      .limit(limit)
      .select(
        'e.id as run_id',
        'e.started_at',
        'e.model',
        's.skill_version',
        'r.scenario_id',
        'r.passed',
      )) as {
      run_id: string;
      started_at: Date;
      model: string;
      skill_version: string;
      scenario_id: string;
      passed: boolean;
    }[];
    return rows.reverse().map((row) => ({
      runId: row.run_id,
      startedAt: new Date(row.started_at),
      model: row.model,
      version: row.skill_version,
      scenarioId: row.scenario_id,
      passed: row.passed,
    }));
  }
}
