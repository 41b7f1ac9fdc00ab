import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppErrors } from '../errors.js';
import {
  actorOf,
  type IncidentLifecycle,
  type IncidentStateAction,
} from '../incidents/incident-lifecycle.js';
import { errorResponses } from '../server/error-handler.js';
import { incidentJson } from './incident-json.js';

const uuidParams = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string', format: 'uuid' } },
} as const;

const actions: readonly { action: IncidentStateAction; summary: string; description: string }[] = [
  {
    action: 'acknowledge',
    summary: 'Acknowledge an open incident: someone is on it',
    description:
      'Records who and when. Acknowledging an acknowledged incident changes nothing; a resolved one is refused (409 AKM_INCIDENT_STATE_CONFLICT): reopen it first.',
  },
  {
    action: 'resolve',
    summary: 'Resolve an open or acknowledged incident',
    description:
      'Records who and when; the investigation is not touched (cancel it apart). Resolving a resolved incident changes nothing. An alert of it firing again reopens it.',
  },
  {
    action: 'reopen',
    summary: 'Reopen a resolved incident',
    description:
      'Back to open: its acknowledgement and resolution are cleared and reopen_count goes up. Reopening an open incident changes nothing; an acknowledged one is refused (409 AKM_INCIDENT_STATE_CONFLICT).',
  },
];

/** Who is acting, for the incident's record. */
export function requestActor(request: FastifyRequest): ReturnType<typeof actorOf> {
  if (request.principal === null) throw AppErrors.AKM_AUTH_REQUIRED();
  return actorOf(request.principal);
}

/**
 * `POST /api/incidents/{uuid}/acknowledge`, `…/resolve`, `…/reopen`: the incident's own state,
 * apart from its investigation. Idempotent; 409 `AKM_INCIDENT_STATE_CONFLICT` where the state
 * machine has no such move.
 */
export async function incidentActionRoutes(
  app: FastifyInstance,
  options: { lifecycle: IncidentLifecycle },
): Promise<void> {
  for (const { action, summary, description } of actions) {
    app.post<{ Params: { uuid: string } }>(
      `/incidents/:uuid/${action}`,
      {
        config: { role: 'responder' },
        schema: {
          tags: ['incidents'],
          summary,
          description,
          params: uuidParams,
          response: { 200: { $ref: 'Incident#' }, ...errorResponses },
        },
      },
      async (request) => {
        const { incident, changed } = await options.lifecycle.apply(
          request.params.uuid,
          action,
          requestActor(request),
        );
        if (changed) request.log.info({ incident: incident.id, state: incident.state }, action);
        return incidentJson(incident);
      },
    );
  }
}
