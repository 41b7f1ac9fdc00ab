import type { Clock, Database, Repositories } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import type { InvestigationQueue } from '../incidents/investigation-queue.js';
import { reinvestigate } from '../incidents/reinvestigation.js';
import type { RunRepository } from '../runs/run-repository.js';
import type { SkillStore } from '../skills/skill-store.js';
import { errorResponses } from '../server/error-handler.js';
import { runSkillsSchema } from './run-skills-schema.js';

/** `POST /api/incidents/{uuid}/investigate`: start a fresh investigation by hand. */
export async function reinvestigateRoutes(
  app: FastifyInstance,
  deps: {
    database: Database;
    repositories: Repositories;
    runs: RunRepository;
    queue: InvestigationQueue;
    clock: Clock;
    skills: Pick<SkillStore, 'list'>;
  },
): Promise<void> {
  app.post<{ Params: { uuid: string }; Body: { skills?: string[] } | undefined }>(
    '/incidents/:uuid/investigate',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['runs'],
        summary:
          "Investigate a failed or completed incident again from scratch, e.g. one not queued because its source's queue was full",
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
            required: ['status'],
            properties: { status: { type: 'string', enum: ['queued'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      await reinvestigate(deps, request.params.uuid, request.body?.skills);
      request.log.info({ incident: request.params.uuid }, 'investigation queued by hand');
      return reply.status(202).send({ status: 'queued' });
    },
  );
}
