import type { FastifyInstance } from 'fastify';
import { reinvestigate, type ReinvestigationDeps } from '../incidents/reinvestigation.js';
import { errorResponses } from '../server/error-handler.js';
import { incidentJson } from './incident-json.js';
import { runSkillsSchema } from './run-skills-schema.js';

/** `POST /api/incidents/{uuid}/investigate`: start a fresh investigation by hand. */
export async function reinvestigateRoutes(
  app: FastifyInstance,
  deps: ReinvestigationDeps,
): Promise<void> {
  app.post<{ Params: { uuid: string }; Body: { skills?: string[] } | undefined }>(
    '/incidents/:uuid/investigate',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['runs'],
        summary: 'Investigate an incident again from scratch, unless its investigation is going',
        description:
          "For any incident whose investigation is not going or queued: failed (e.g. the LLM was not configured yet when its alerts came, or its source's queue was full), completed or cancelled. The incident goes back to pending (investigation_status) and a fresh run is queued at once. 409 AKM_INCIDENT_BUSY while a run goes on, a follow-up waits, or it is pending with its investigation queued.",
        params: {
          type: 'object',
          required: ['uuid'],
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            skills: runSkillsSchema,
          },
        },
        response: {
          202: {
            type: 'object',
            required: ['status', 'incident'],
            properties: {
              status: { type: 'string', enum: ['queued'] },
              incident: { $ref: 'Incident#' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const incident = await reinvestigate(deps, request.params.uuid, request.body?.skills);
      request.log.info({ incident: request.params.uuid }, 'investigation queued by hand');
      return reply.status(202).send({ status: 'queued', incident: incidentJson(incident) });
    },
  );
}
