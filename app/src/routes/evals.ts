import type { EvalScorecardRepository, EvalTotals } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import { compareSkillVersions } from '../evals/skill-version-comparison.js';
import { errorResponses } from '../server/error-handler.js';
import {
  evalRunDetailSchema,
  evalRunSchema,
  modelScorecardSchema,
  skillVersionsSchema,
  skillVersionScorecardSchema,
} from './eval-json.js';

/** How many of a skill's attempts the version comparison reads (newest first). */
const skillAttemptLimit = 5000;

const totalsJson = (totals: EvalTotals): Record<string, unknown> => ({
  results: totals.results,
  passed: totals.passed,
  pass_rate: totals.results === 0 ? 0 : totals.passed / totals.results,
  tokens: totals.tokens,
  cost_usd: totals.costUsd,
  duration_ms: totals.durationMs,
  first_run_at: totals.firstRunAt.toISOString(),
  last_run_at: totals.lastRunAt.toISOString(),
});

/**
 * The scorecards of `akmatori eval run` (stored by `storeEvalRun`): `GET /api/evals/scorecards`
 * (per model and per skill version), `GET /api/evals/runs`, `GET /api/evals/runs/{id}` and
 * `GET /api/evals/skills/{name}/versions` (a skill's versions side by side). Viewers may read.
 */
export async function evalRoutes(
  app: FastifyInstance,
  options: { scorecards: EvalScorecardRepository },
): Promise<void> {
  const { scorecards } = options;

  app.get(
    '/evals/scorecards',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['evals'],
        summary:
          'Eval scorecards: pass rate, tokens, cost and time per model and per skill version',
        response: {
          200: {
            type: 'object',
            required: ['models', 'skills'],
            properties: {
              models: { type: 'array', items: modelScorecardSchema },
              skills: { type: 'array', items: skillVersionScorecardSchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => {
      const { models, skills } = await scorecards.scorecards();
      return {
        models: models.map((m) => ({ model: m.model, runs: m.runs, ...totalsJson(m) })),
        skills: skills.map((s) => ({
          skill: s.skill,
          version: s.version,
          model: s.model,
          ...totalsJson(s),
        })),
      };
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/evals/runs',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['evals'],
        summary: 'The latest eval runs, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: evalRunSchema } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: (await scorecards.listRuns(request.query.limit)).map(runJson),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/evals/runs/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['evals'],
        summary:
          "One eval run with each scenario attempt's checks, tokens, cost and skill versions",
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', format: 'uuid' } },
        },
        response: { 200: evalRunDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const found = await scorecards.findRun(request.params.id);
      if (found === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'eval run', id: request.params.id });
      return {
        ...runJson(found.run),
        attempts: found.results.map((result) => ({
          scenario_id: result.scenarioId,
          scenario_title: result.scenarioTitle,
          attempt: result.attempt,
          passed: result.passed,
          checks: result.checks,
          tokens: result.tokens,
          cost_usd: result.costUsd,
          tool_calls: result.toolCalls,
          duration_ms: result.durationMs,
          error: result.error,
          skills: result.skills,
        })),
      };
    },
  );

  app.get<{ Params: { name: string }; Querystring: { model?: string } }>(
    '/evals/skills/:name/versions',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['evals'],
        summary:
          "A skill's versions side by side with one model: per scenario pass or fail, and what changed from the version before",
        description:
          'Versions are in the order they were first run. `model` defaults to the model with the most attempts of this skill.',
        params: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { model: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        response: { 200: skillVersionsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const attempts = await scorecards.skillAttempts(request.params.name, skillAttemptLimit);
      const counts = new Map<string, number>();
      for (const attempt of attempts)
        counts.set(attempt.model, (counts.get(attempt.model) ?? 0) + 1);
      const models = [...counts.keys()].sort();
      const model =
        request.query.model ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      const versions = model === null ? [] : compareSkillVersions(attempts, model);
      return {
        skill: request.params.name,
        model,
        models,
        versions: versions.map((version) => ({
          version: version.version,
          first_run_at: version.firstRunAt.toISOString(),
          last_run_at: version.lastRunAt.toISOString(),
          results: version.attempts,
          passed: version.passed,
          pass_rate: version.attempts === 0 ? 0 : version.passed / version.attempts,
          scenarios: version.scenarios.map((scenario) => ({
            scenario_id: scenario.scenarioId,
            results: scenario.attempts,
            passed: scenario.passed,
            outcome: scenario.outcome,
            last_run_id: scenario.lastRunId,
          })),
          changes: version.changes.map((change) => ({
            scenario_id: change.scenarioId,
            from: change.from,
            to: change.to,
          })),
        })),
      };
    },
  );
}

function runJson(run: {
  id: string;
  model: string;
  endpointHost: string | null;
  startedAt: Date;
  durationMs: number;
  results: number;
  passed: number;
  tokens: number;
  costUsd: number | null;
}): Record<string, unknown> {
  return {
    id: run.id,
    model: run.model,
    endpoint_host: run.endpointHost,
    started_at: run.startedAt.toISOString(),
    duration_ms: run.durationMs,
    results: run.results,
    passed: run.passed,
    pass_rate: run.results === 0 ? 0 : run.passed / run.results,
    tokens: run.tokens,
    cost_usd: run.costUsd,
  };
}
