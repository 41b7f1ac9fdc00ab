import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import { eventMessage } from '../runs/event-socket.js';
import type { ModelPrice, PriceTable } from '../runs/model-prices.js';
import { PRICE_TABLE_SETTING, priceTable } from '../runs/model-prices.js';
import type { RunControl } from '../runs/run-control.js';
import type { RunRecord, RunRepository } from '../runs/run-repository.js';
import { errorResponses } from '../server/error-handler.js';
import { runSkillsSchema } from './run-skills-schema.js';
import type { SettingsRepository } from '@akmatori/host';

/** What the run routes need. */
export interface RunRouteOptions {
  readonly runs: RunRepository;
  readonly control: RunControl;
  readonly settings: SettingsRepository;
}

const uuidParams = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string', format: 'uuid' } },
} as const;

const runSchema = {
  $id: 'Run',
  type: 'object',
  additionalProperties: true,
  required: ['id', 'kind', 'status', 'prompt', 'attempt', 'created_at'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: ['investigation', 'follow_up'] },
    status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
    prompt: { type: 'string' },
    attempt: { type: 'integer' },
    worker_id: { type: ['string', 'null'] },
    session_id: { type: ['string', 'null'] },
    error: { type: ['string', 'null'] },
    report_markdown: { type: ['string', 'null'] },
    report: { type: ['object', 'null'], additionalProperties: true },
    usage: { type: 'object', additionalProperties: true },
    cost_usd: { type: ['number', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    started_at: { type: ['string', 'null'], format: 'date-time' },
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    duration_ms: { type: ['integer', 'null'] },
    skills: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description: 'Skills a person named for this run; null: none named',
    },
  },
} as const;

const runJson = (run: RunRecord): Record<string, unknown> => ({
  id: run.id,
  kind: run.kind,
  status: run.status,
  prompt: run.prompt,
  attempt: run.attempt,
  worker_id: run.workerId,
  session_id: run.sessionId,
  error: run.error,
  report_markdown: run.reportMarkdown,
  report: run.report,
  usage: {
    input_tokens: run.usage.inputTokens,
    cached_input_tokens: run.usage.cachedInputTokens,
    output_tokens: run.usage.outputTokens,
    reasoning_tokens: run.usage.reasoningTokens,
  },
  cost_usd: run.costUsd,
  created_at: run.createdAt.toISOString(),
  started_at: run.startedAt?.toISOString() ?? null,
  finished_at: run.finishedAt?.toISOString() ?? null,
  duration_ms: run.durationMs,
  skills: run.skills,
});

const priceSchema = {
  type: 'object',
  required: ['input_per_million', 'cached_input_per_million', 'output_per_million'],
  additionalProperties: false,
  properties: {
    input_per_million: { type: 'number', minimum: 0 },
    cached_input_per_million: { type: 'number', minimum: 0 },
    output_per_million: { type: 'number', minimum: 0 },
  },
} as const;

/** Runs, their event timeline, cancel and follow-up, and the price table. */
export async function runRoutes(app: FastifyInstance, options: RunRouteOptions): Promise<void> {
  const { runs, control, settings } = options;
  app.addSchema(runSchema);

  app.get<{ Params: { uuid: string }; Querystring: { after: number; limit: number } }>(
    '/incidents/:uuid/events',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "The incident's run events (its timeline), oldest first, after a cursor",
        params: uuidParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: (
        await runs.eventsAfter(request.query.after, {
          incidentId: request.params.uuid,
          limit: request.query.limit,
        })
      ).map(eventMessage),
    }),
  );

  app.get<{ Params: { uuid: string } }>(
    '/incidents/:uuid/runs',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "The incident's runs: report, token usage, cost and duration of each",
        params: uuidParams,
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Run#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({ data: (await runs.listByIncident(request.params.uuid)).map(runJson) }),
  );

  app.post<{ Params: { uuid: string } }>(
    '/incidents/:uuid/cancel',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['runs'],
        summary: 'Stop the investigation (within 5 s) and mark the incident cancelled',
        params: uuidParams,
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: {
              status: { type: 'string' },
              run: { anyOf: [{ $ref: 'Run#' }, { type: 'null' }] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const by =
        request.principal === null
          ? 'unknown'
          : `${request.principal.kind}:${request.principal.name}`;
      const { run } = await control.cancel(request.params.uuid, by);
      request.log.info({ incident: request.params.uuid, run: run?.id }, 'investigation cancelled');
      return { status: 'cancelled', run: run === undefined ? null : runJson(run) };
    },
  );

  app.post<{ Params: { uuid: string }; Body: { text: string; skills?: string[] } }>(
    '/incidents/:uuid/messages',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['runs'],
        summary: "Ask a follow-up: resumes the incident's agent thread with the message",
        params: uuidParams,
        body: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 20000 },
            skills: runSkillsSchema,
          },
        },
        response: { 202: { $ref: 'Run#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = await control.followUp(
        request.params.uuid,
        request.body.text,
        request.body.skills,
      );
      return reply.status(202).send(runJson(run));
    },
  );

  app.get(
    '/settings/prices',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'USD per million tokens by model, for run costs',
        response: { 200: { type: 'object', additionalProperties: priceSchema }, ...errorResponses },
      },
    },
    async () => priceTable(settings),
  );

  app.put<{ Body: Record<string, ModelPrice> }>(
    '/settings/prices',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Replace the price table: {"<model>": {input_per_million, cached_input_per_million, output_per_million}}',
        body: { type: 'object', additionalProperties: priceSchema, maxProperties: 200 },
        response: { 200: { type: 'object', additionalProperties: priceSchema }, ...errorResponses },
      },
    },
    async (request) => {
      const table: PriceTable = request.body;
      if (Object.keys(table).some((model) => model.length > 200))
        throw AppErrors.AKM_VALIDATION({ reason: 'model names are at most 200 characters' });
      await settings.set(PRICE_TABLE_SETTING, table);
      return table;
    },
  );
}
