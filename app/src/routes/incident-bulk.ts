import type { FastifyInstance } from 'fastify';
import { bulkActions, type BulkAction, type IncidentBulk } from '../incidents/incident-bulk.js';
import { errorResponses } from '../server/error-handler.js';
import { requestActor } from './incident-actions.js';
import { incidentJson } from './incident-json.js';
import { runSkillsSchema } from './run-skills-schema.js';

/** Most incidents one bulk request may name (a page of the list). */
export const MAX_BULK_IDS = 200;

const resultSchema = {
  type: 'object',
  required: ['uuid', 'outcome', 'incident', 'error'],
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    outcome: {
      type: 'string',
      enum: ['done', 'unchanged', 'refused'],
      description:
        'done; unchanged: already in the state asked for; refused: see error (what the single-incident route would answer)',
    },
    incident: { anyOf: [{ $ref: 'Incident#' }, { type: 'null' }] },
    error: {
      anyOf: [
        {
          type: 'object',
          required: ['statusCode', 'code', 'message'],
          properties: {
            statusCode: { type: 'integer' },
            code: { type: 'string' },
            message: { type: 'string' },
          },
        },
        { type: 'null' },
      ],
    },
  },
} as const;

/** `POST /api/incidents/bulk`: one action on a selection of incidents, answered per incident. */
export async function incidentBulkRoutes(
  app: FastifyInstance,
  options: { bulk: IncidentBulk },
): Promise<void> {
  app.post<{ Body: { ids: string[]; action: BulkAction; skills?: string[] } }>(
    '/incidents/bulk',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['incidents'],
        summary: 'Acknowledge, resolve, reopen, re-investigate or cancel several incidents at once',
        description:
          'Each incident is handled as its own route would handle it (resolve and acknowledge are idempotent; cancel does not wait for runs to stop); one that cannot take the action is reported as refused and does not stop the others. 200 even when some are refused. `skills` applies to investigate only.',
        body: {
          type: 'object',
          required: ['ids', 'action'],
          additionalProperties: false,
          properties: {
            ids: {
              type: 'array',
              items: { type: 'string', format: 'uuid' },
              minItems: 1,
              maxItems: MAX_BULK_IDS,
              uniqueItems: true,
            },
            action: { type: 'string', enum: [...bulkActions] },
            skills: runSkillsSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['action', 'results', 'done', 'unchanged', 'refused'],
            properties: {
              action: { type: 'string', enum: [...bulkActions] },
              results: { type: 'array', items: resultSchema },
              done: { type: 'integer' },
              unchanged: { type: 'integer' },
              refused: { type: 'integer' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { ids, action, skills } = request.body;
      request.auditTarget = { ids, action };
      const results = await options.bulk.apply(ids, action, requestActor(request), {
        ...(skills === undefined ? {} : { skills }),
      });
      const count = (outcome: string): number =>
        results.filter((result) => result.outcome === outcome).length;
      request.log.info(
        { action, done: count('done'), refused: count('refused') },
        'bulk incident action',
      );
      return {
        action,
        results: results.map((result) => ({
          uuid: result.id,
          outcome: result.outcome,
          incident: result.incident === null ? null : incidentJson(result.incident),
          error: result.error,
        })),
        done: count('done'),
        unchanged: count('unchanged'),
        refused: count('refused'),
      };
    },
  );
}
