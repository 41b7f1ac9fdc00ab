import {
  alertSeverities,
  incidentStatuses,
  type AlertRecord,
  type IncidentRecord,
  type Repositories,
} from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { ManualIncidents } from '../incidents/manual-incidents.js';
import { errorResponses } from '../server/error-handler.js';
import { runSkillsSchema } from './run-skills-schema.js';

const incidentSchema = {
  $id: 'Incident',
  type: 'object',
  required: [
    'uuid',
    'title',
    'status',
    'severity',
    'source_type',
    'alert_count',
    'firing_count',
    'created_at',
    'updated_at',
  ],
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    status: { type: 'string', enum: [...incidentStatuses], description: 'Investigation state' },
    severity: { type: 'string', enum: [...alertSeverities] },
    source_type: { type: 'string', description: 'Alert source type, or "manual"' },
    source_uuid: { type: ['string', 'null'] },
    group_key: { type: ['string', 'null'] },
    alert_count: { type: 'integer' },
    firing_count: { type: 'integer' },
    alerts_resolved: {
      type: 'boolean',
      description: 'True once every alert of the incident has resolved',
    },
    alerts_resolved_at: { type: ['string', 'null'], format: 'date-time' },
    investigate_after: { type: 'string', format: 'date-time' },
    task: { type: ['string', 'null'] },
    context: { type: ['object', 'null'], additionalProperties: true },
    summary: { type: ['string', 'null'] },
    skills: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description:
        "Skills a person named for a manual incident; null: none named (a manual incident then gets every enabled skill, an alert-triggered one its source's skills and matching selectors)",
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const alertSchema = {
  $id: 'Alert',
  type: 'object',
  required: [
    'id',
    'fingerprint',
    'status',
    'name',
    'severity',
    'labels',
    'annotations',
    'last_seen_at',
    'count',
  ],
  properties: {
    id: { type: 'integer' },
    fingerprint: { type: 'string' },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    name: { type: 'string' },
    severity: { type: 'string', enum: [...alertSeverities] },
    raw_severity: { type: ['string', 'null'] },
    host: { type: ['string', 'null'] },
    service: { type: ['string', 'null'] },
    summary: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    runbook_url: { type: ['string', 'null'] },
    source_url: { type: ['string', 'null'] },
    group_key: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    extra: { type: 'object', additionalProperties: true },
    starts_at: { type: ['string', 'null'], format: 'date-time' },
    ends_at: { type: ['string', 'null'], format: 'date-time' },
    first_seen_at: { type: 'string', format: 'date-time' },
    last_seen_at: { type: 'string', format: 'date-time' },
    count: { type: 'integer', description: 'How many times the sender reported it' },
  },
} as const;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

function incidentJson(incident: IncidentRecord): Record<string, unknown> {
  return {
    uuid: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    source_type: incident.sourceType,
    source_uuid: incident.sourceId,
    group_key: incident.groupKey,
    alert_count: incident.alertCount,
    firing_count: incident.firingCount,
    alerts_resolved: incident.alertsResolvedAt !== null,
    alerts_resolved_at: iso(incident.alertsResolvedAt),
    investigate_after: incident.investigateAfter.toISOString(),
    task: incident.task,
    context: incident.context,
    summary: incident.summary,
    skills: incident.skills ?? null,
    created_at: incident.createdAt.toISOString(),
    updated_at: incident.updatedAt.toISOString(),
  };
}

function alertJson(alert: AlertRecord): Record<string, unknown> {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    status: alert.status,
    name: alert.name,
    severity: alert.severity,
    raw_severity: alert.rawSeverity,
    host: alert.host,
    service: alert.service,
    summary: alert.summary,
    description: alert.description,
    runbook_url: alert.runbookUrl,
    source_url: alert.sourceUrl,
    group_key: alert.groupKey,
    labels: alert.labels,
    annotations: alert.annotations,
    extra: alert.extra,
    starts_at: iso(alert.startsAt),
    ends_at: iso(alert.endsAt),
    first_seen_at: alert.firstSeenAt.toISOString(),
    last_seen_at: alert.lastSeenAt.toISOString(),
    count: alert.count,
  };
}

interface ListQuery {
  page: number;
  per_page: number;
  status?: string[];
  severity?: string[];
  source_uuid?: string;
  source_type?: string;
  from?: string;
  to?: string;
  q?: string;
}

const uuidParams = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string', format: 'uuid' } },
} as const;

/** `POST /api/incidents`, `GET /api/incidents`, `GET /api/incidents/{uuid}`, `GET /api/incidents/{uuid}/alerts`. */
export async function incidentRoutes(
  app: FastifyInstance,
  options: { repositories: Repositories; manual: ManualIncidents },
): Promise<void> {
  const { repositories } = options;
  app.addSchema(incidentSchema);
  app.addSchema(alertSchema);

  app.post<{
    Body: {
      task: string;
      context?: Record<string, unknown>;
      title?: string;
      severity?: (typeof alertSeverities)[number];
      skills?: string[];
    };
  }>(
    '/incidents',
    {
      config: { role: 'responder' },
      schema: {
        tags: ['incidents'],
        summary: 'Open an incident by hand: the agent investigates the task',
        body: {
          type: 'object',
          required: ['task'],
          additionalProperties: false,
          properties: {
            task: { type: 'string', minLength: 1, maxLength: 20_000 },
            context: { type: 'object', additionalProperties: true },
            title: { type: 'string', minLength: 1, maxLength: 200 },
            severity: { type: 'string', enum: [...alertSeverities] },
            skills: runSkillsSchema,
          },
        },
        response: { 201: { $ref: 'Incident#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const incident = await options.manual.create(request.body);
      request.log.info({ incident: incident.id }, 'manual incident created');
      return reply.status(201).send(incidentJson(incident));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/incidents',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['incidents'],
        summary: 'List incidents, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            page: { type: 'integer', minimum: 1, default: 1 },
            per_page: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            status: { type: 'array', items: { type: 'string', enum: [...incidentStatuses] } },
            severity: { type: 'array', items: { type: 'string', enum: [...alertSeverities] } },
            source_uuid: { type: 'string', format: 'uuid' },
            source_type: { type: 'string' },
            from: { type: 'string', format: 'date-time', description: 'created at or after' },
            to: { type: 'string', format: 'date-time', description: 'created before' },
            q: { type: 'string', maxLength: 200, description: 'text in title, summary or task' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data', 'pagination'],
            properties: {
              data: { type: 'array', items: { $ref: 'Incident#' } },
              pagination: {
                type: 'object',
                required: ['page', 'per_page', 'total'],
                properties: {
                  page: { type: 'integer' },
                  per_page: { type: 'integer' },
                  total: { type: 'integer' },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const { data, total } = await repositories.incidents.list(
        {
          ...(query.status === undefined ? {} : { statuses: query.status as never }),
          ...(query.severity === undefined ? {} : { severities: query.severity as never }),
          ...(query.source_uuid === undefined ? {} : { sourceId: query.source_uuid }),
          ...(query.source_type === undefined ? {} : { sourceType: query.source_type }),
          ...(query.from === undefined ? {} : { createdFrom: new Date(query.from) }),
          ...(query.to === undefined ? {} : { createdTo: new Date(query.to) }),
          ...(query.q === undefined ? {} : { text: query.q }),
        },
        query.page,
        query.per_page,
      );
      return {
        data: data.map(incidentJson),
        pagination: { page: query.page, per_page: query.per_page, total },
      };
    },
  );

  const load = async (uuid: string): Promise<IncidentRecord> => {
    const incident = await repositories.incidents.get(uuid);
    if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: uuid });
    return incident;
  };

  app.get<{ Params: { uuid: string } }>(
    '/incidents/:uuid',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['incidents'],
        summary: 'One incident',
        params: uuidParams,
        response: { 200: { $ref: 'Incident#' }, ...errorResponses },
      },
    },
    async (request) => incidentJson(await load(request.params.uuid)),
  );

  app.get<{ Params: { uuid: string } }>(
    '/incidents/:uuid/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['incidents'],
        summary: "An incident's alerts, oldest first",
        params: uuidParams,
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Alert#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await load(request.params.uuid);
      return {
        data: (await repositories.alerts.listByIncident(request.params.uuid)).map(alertJson),
      };
    },
  );
}
