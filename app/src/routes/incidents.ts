import { alertSeverities, incidentStates, incidentStatuses } from '@akmatori/core';
import type { AlertRecord, IncidentRecord, IncidentSort, Repositories } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { ManualIncidents } from '../incidents/manual-incidents.js';
import { errorResponses } from '../server/error-handler.js';
import { incidentJson } from './incident-json.js';
import { enumListFilters } from './list-filters.js';
import { runSkillsSchema } from './run-skills-schema.js';

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
  state?: string[];
  investigation_status?: string[];
  status?: string[];
  severity?: string[];
  source_uuid?: string;
  source_type?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: string;
}

/** What the incidents list may be sorted by (`sort=<key>:<asc|desc>`). */
const incidentSortKeys = [
  'age',
  'severity',
  'state',
  'investigation',
  'title',
  'source',
  'alerts',
] as const satisfies readonly IncidentSort['key'][];

// A key the repository adds fails the build here until it is listed above.
const _allSortKeys: Exclude<IncidentSort['key'], (typeof incidentSortKeys)[number]> extends never
  ? true
  : false = true;
void _allSortKeys;

/** The sort a `sort` parameter asks for; one that is not `<key>:<asc|desc>` is refused. */
function sortOf(sort: string | undefined): { sort?: IncidentSort } {
  if (sort === undefined || sort === '') return {};
  const [key, order, ...rest] = sort.split(':');
  if (
    rest.length > 0 ||
    !(incidentSortKeys as readonly string[]).includes(key ?? '') ||
    (order !== 'asc' && order !== 'desc')
  )
    throw AppErrors.AKM_VALIDATION({
      reason: `querystring/sort: ${JSON.stringify(sort)} is not <key>:asc or <key>:desc with a key of ${incidentSortKeys.join(', ')}`,
    });
  return { sort: { key: key as IncidentSort['key'], order } };
}

/** The investigation statuses asked for: `investigation_status` and its former name `status`, both applying. */
function investigationStatuses(query: ListQuery): { statuses?: never } {
  const lists = [query.investigation_status, query.status].filter(
    (list): list is string[] => list !== undefined && list.length > 0,
  );
  if (lists.length === 0) return {};
  const [first, second] = lists as [string[], string[] | undefined];
  const statuses = second === undefined ? first : first.filter((s) => second.includes(s));
  // Both given and disjoint: nothing matches; an impossible value says so to the query.
  return { statuses: (statuses.length === 0 ? ['none'] : statuses) as never };
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
      preValidation: enumListFilters({
        state: incidentStates,
        investigation_status: incidentStatuses,
        status: incidentStatuses,
        severity: alertSeverities,
      }),
      schema: {
        tags: ['incidents'],
        summary: 'List incidents, newest first or in the order asked for',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            page: { type: 'integer', minimum: 1, default: 1 },
            per_page: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            state: {
              type: 'array',
              items: { type: 'string', enum: [...incidentStates] },
              description:
                "The incident's own state; repeat the parameter or separate values with commas",
            },
            investigation_status: {
              type: 'array',
              items: { type: 'string', enum: [...incidentStatuses] },
              description:
                "The investigation's state; repeat the parameter or separate values with commas",
            },
            status: {
              type: 'array',
              items: { type: 'string', enum: [...incidentStatuses] },
              deprecated: true,
              description:
                'The former name of investigation_status (both apply when both are given)',
            },
            severity: {
              type: 'array',
              items: { type: 'string', enum: [...alertSeverities] },
              description: 'Repeat the parameter or separate values with commas',
            },
            source_uuid: { type: 'string', format: 'uuid' },
            source_type: { type: 'string' },
            from: { type: 'string', format: 'date-time', description: 'created at or after' },
            to: { type: 'string', format: 'date-time', description: 'created before' },
            q: { type: 'string', maxLength: 200, description: 'text in title, summary or task' },
            sort: {
              type: 'string',
              maxLength: 40,
              description: `The order, as <key>:asc or <key>:desc with a key of ${incidentSortKeys.join(', ')} (newest first without it). asc puts first the youngest (age), the most urgent (severity), the earliest in the lifecycle (state, investigation), A before Z (title, source), the fewest firing alerts (alerts); ties are newest first.`,
            },
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
          ...(query.state === undefined ? {} : { states: query.state as never }),
          ...investigationStatuses(query),
          ...(query.severity === undefined ? {} : { severities: query.severity as never }),
          ...(query.source_uuid === undefined ? {} : { sourceId: query.source_uuid }),
          ...(query.source_type === undefined ? {} : { sourceType: query.source_type }),
          ...(query.from === undefined ? {} : { createdFrom: new Date(query.from) }),
          ...(query.to === undefined ? {} : { createdTo: new Date(query.to) }),
          ...(query.q === undefined ? {} : { text: query.q }),
        },
        query.page,
        query.per_page,
        sortOf(query.sort).sort,
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

  app.get<{ Params: { uuid: string }; Querystring: { limit?: number } }>(
    '/incidents/:uuid/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['incidents'],
        summary: "An incident's alerts, oldest first",
        description:
          "At most `limit` (default and most 1000); `total` is the incident's alert count, which a storm can make far larger.",
        params: uuidParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['data', 'total'],
            properties: {
              data: { type: 'array', items: { $ref: 'Alert#' } },
              total: { type: 'integer', description: "The incident's alerts, listed or not" },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const incident = await load(request.params.uuid);
      const alerts = await repositories.alerts.listByIncident(request.params.uuid, {
        limit: request.query.limit ?? 1000,
      });
      return {
        data: alerts.map(alertJson),
        total: Math.max(incident.alertCount, alerts.length),
      };
    },
  );
}
