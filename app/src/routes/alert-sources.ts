import type { AdvertisedUrls } from '../server/advertised-urls.js';
import { type PluginHost, secretFields } from '@akmatori/core';
import type { AlertSourceRecord } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { AlertIngestor } from '../ingest/alert-ingestor.js';
import type { AlertSourceRequest, AlertSources } from '../ingest/alert-sources.js';
import { mappableFields } from '../ingest/field-mappings.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from '../ingest/source-rate-limiter.js';
import { unauthenticatedSourceWarning } from '../ingest/unauthenticated-sources.js';
import type { IncidentEngine } from '../incidents/incident-engine.js';
import { errorResponses } from '../server/error-handler.js';
import { SLACK_CHANNEL_ID_PATTERN } from '../slack/slack-channel-id.js';

const uuidParams = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string', format: 'uuid' } },
} as const;

const sourceSchema = {
  $id: 'AlertSource',
  type: 'object',
  required: [
    'uuid',
    'source_type_name',
    'name',
    'field_mappings',
    'enabled',
    'skills',
    'webhook_url',
    'has_webhook_secret',
    'allow_unauthenticated',
    'unauthenticated',
    'warnings',
    'rate_limit_per_minute',
    'slack_channel',
    'runner',
  ],
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    source_type_name: { type: 'string' },
    name: { type: 'string' },
    has_webhook_secret: {
      type: 'boolean',
      description: 'The secret itself is write-only and never returned',
    },
    allow_unauthenticated: {
      type: 'boolean',
      description: 'The consent given for a source without a webhook secret',
    },
    unauthenticated: {
      type: 'boolean',
      description:
        'True when the source has no secret and so accepts requests from anyone who can reach its URL',
    },
    warnings: {
      type: 'array',
      items: { type: 'string' },
      description: 'What an operator should know, e.g. that the source is unauthenticated',
    },
    rate_limit_per_minute: {
      type: 'integer',
      description:
        'Webhook requests a minute this source accepts, counted by each API process; 0 means no limit. Over it: 429 with Retry-After',
    },
    field_mappings: { type: 'object', additionalProperties: { type: 'string' } },
    config: { type: 'object', additionalProperties: true },
    group_by: { type: 'array', items: { type: 'string' } },
    grouping_window_seconds: { type: 'integer' },
    enabled: { type: 'boolean' },
    skills: {
      type: 'array',
      items: { type: 'string' },
      description:
        "Skills whose tools this source's incidents get, besides skills whose selectors (metadata akmatori.sources / akmatori.alerts / akmatori.labels) match. Empty and no selector matching: the run gets no tools",
    },
    slack_channel: {
      type: ['string', 'null'],
      description:
        "The Slack channel id its incidents go to; null: the Slack settings' alerts_channel",
    },
    runner: {
      type: ['string', 'null'],
      description:
        'The runner (by id) that investigates its incidents; null: the default runner (GET /api/settings/runner)',
    },
    webhook_url: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const writableProperties = {
  source_type_name: { type: 'string', minLength: 1 },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  webhook_secret: {
    type: ['string', 'null'],
    minLength: 8,
    maxLength: 1024,
    description:
      'Write-only. null removes it, which needs allow_unauthenticated: true (the source then accepts anyone).',
  },
  allow_unauthenticated: {
    type: 'boolean',
    description:
      'Required (true) for a source without a webhook_secret: anyone who can reach its URL can then send alerts. Default false; setting a webhook_secret without it resets it to false',
  },
  rate_limit_per_minute: {
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000,
    description: `Webhook requests a minute, per API process (default ${DEFAULT_RATE_LIMIT_PER_MINUTE}); 0 means no limit`,
  },
  field_mappings: {
    type: 'object',
    propertyNames: { enum: [...mappableFields] },
    additionalProperties: { type: 'string', minLength: 1 },
    description: 'normalized field → dot path in the payload',
  },
  config: {
    type: 'object',
    description: "The adapter's settings (see GET /api/alert-source-types)",
  },
  group_by: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 20 },
  grouping_window_seconds: { type: 'integer', minimum: 0, maximum: 3600 },
  enabled: { type: 'boolean' },
  skills: {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 64 },
    maxItems: 100,
    description:
      "Skills (by name) whose tools this source's incidents get; an unknown name is a 400 AKM_UNKNOWN_SKILL. Default []: only skills whose selectors match the alerts, possibly none (then no tools)",
  },
  slack_channel: {
    type: ['string', 'null'],
    pattern: SLACK_CHANNEL_ID_PATTERN,
    description:
      "The Slack channel id (C…, or G… for a private channel) its incidents go to instead of the Slack settings' alerts_channel; null uses alerts_channel (the default)",
  },
  runner: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 200,
    description:
      'The runner (by id, one of GET /api/settings/runner `installed`) that investigates its incidents; an unknown one is a 400 AKM_UNKNOWN_RUNNER. null (the default) uses the default runner',
  },
} as const;

/**
 * `GET /api/alert-source-types`, `GET|POST /api/alert-sources`,
 * `GET|PUT|DELETE /api/alert-sources/{uuid}` and `POST /api/alert-sources/{uuid}/test`.
 */
export async function alertSourceRoutes(
  app: FastifyInstance,
  options: {
    sources: AlertSources;
    plugins: PluginHost;
    repositories: {
      alertSources: {
        list(): Promise<AlertSourceRecord[]>;
        get(id: string): Promise<AlertSourceRecord | undefined>;
      };
    };
    ingestor: AlertIngestor;
    engine: IncidentEngine;
    /** Read at each answer: the webhook URL carries the port the API really bound. */
    urls: Pick<AdvertisedUrls, 'publicUrl'>;
  },
): Promise<void> {
  const { sources, plugins } = options;
  app.addSchema(sourceSchema);

  const toJson = (record: AlertSourceRecord): Record<string, unknown> => {
    const adapter = plugins.adapter(record.sourceType);
    const hidden = new Set(adapter === undefined ? [] : secretFields(adapter.configSchema));
    const unauthenticated = record.webhookSecretSealed === null;
    return {
      uuid: record.id,
      source_type_name: record.sourceType,
      name: record.name,
      has_webhook_secret: !unauthenticated,
      allow_unauthenticated: record.allowUnauthenticated,
      unauthenticated,
      warnings: unauthenticated ? [unauthenticatedSourceWarning] : [],
      rate_limit_per_minute: record.rateLimitPerMinute,
      field_mappings: record.fieldMappings,
      config: Object.fromEntries(Object.entries(record.config).filter(([key]) => !hidden.has(key))),
      group_by: record.groupBy,
      grouping_window_seconds: record.groupingWindowSeconds,
      enabled: record.enabled,
      skills: record.skills,
      slack_channel: record.slackChannel,
      runner: record.runner,
      webhook_url: `${options.urls.publicUrl}/webhook/alert/${record.id}`,
      created_at: record.createdAt.toISOString(),
      updated_at: record.updatedAt.toISOString(),
    };
  };
  const found = (record: AlertSourceRecord | undefined, id: string): AlertSourceRecord => {
    if (record === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'alert source', id });
    return record;
  };

  app.get(
    '/alert-source-types',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['alerts'],
        summary: 'The kinds of alert source, with their settings and how senders authenticate',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: [
                    'name',
                    'display_name',
                    'config_schema',
                    'authentication',
                    'fingerprint_fields',
                  ],
                  properties: {
                    name: { type: 'string' },
                    display_name: { type: 'string' },
                    config_schema: { type: 'object', additionalProperties: true },
                    authentication: { type: 'string' },
                    fingerprint_fields: { type: 'array', items: { type: 'string' } },
                    example_payload: {},
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({
      data: plugins.adapters.map((adapter) => ({
        name: adapter.id,
        display_name: adapter.displayName,
        config_schema: adapter.configSchema,
        // Every source takes the bearer secret; adapters that say so already are not repeated.
        authentication: adapter.authentication.includes('Authorization: Bearer')
          ? adapter.authentication
          : `Authorization: Bearer <webhook secret>, or ${adapter.authentication}`,
        fingerprint_fields: adapter.fingerprintFields,
        example_payload: adapter.samples[0]?.body ?? null,
      })),
    }),
  );

  app.get(
    '/alert-sources',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'List alert sources',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'AlertSource#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await options.repositories.alertSources.list()).map(toJson) }),
  );

  app.post<{ Body: AlertSourceRequest & { source_type_name: string; name: string } }>(
    '/alert-sources',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Create an alert source; its webhook_url is where the sender posts',
        body: {
          type: 'object',
          required: ['source_type_name', 'name'],
          additionalProperties: false,
          properties: writableProperties,
        },
        response: { 201: { $ref: 'AlertSource#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = await sources.create(request.body);
      request.log.info({ source: record.id, type: record.sourceType }, 'alert source created');
      return reply.status(201).send(toJson(record));
    },
  );

  app.get<{ Params: { uuid: string } }>(
    '/alert-sources/:uuid',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'One alert source',
        params: uuidParams,
        response: { 200: { $ref: 'AlertSource#' }, ...errorResponses },
      },
    },
    async (request) =>
      toJson(
        found(
          await options.repositories.alertSources.get(request.params.uuid),
          request.params.uuid,
        ),
      ),
  );

  app.put<{ Params: { uuid: string }; Body: AlertSourceRequest }>(
    '/alert-sources/:uuid',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary:
          'Change an alert source (fields sent are changed; webhook_secret: null removes the secret)',
        params: uuidParams,
        body: { type: 'object', additionalProperties: false, properties: writableProperties },
        response: { 200: { $ref: 'AlertSource#' }, ...errorResponses },
      },
    },
    async (request) => {
      const record = found(
        await sources.update(request.params.uuid, request.body),
        request.params.uuid,
      );
      request.log.info({ source: record.id }, 'alert source changed');
      return toJson(record);
    },
  );

  app.delete<{ Params: { uuid: string } }>(
    '/alert-sources/:uuid',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Delete an alert source and its alerts',
        params: uuidParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await sources.delete(request.params.uuid)))
        throw AppErrors.AKM_NOT_FOUND({ what: 'alert source', id: request.params.uuid });
      request.log.info({ source: request.params.uuid }, 'alert source deleted');
      return reply.status(204).send();
    },
  );

  app.post<{
    Params: { uuid: string };
    Querystring: { investigate?: boolean };
    Body: { sample?: string; investigate?: boolean } | undefined;
  }>(
    '/alert-sources/:uuid/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary:
          "Send the adapter's sample payload through the whole pipeline, as if the sender had",
        description:
          'The incident it opens is marked as a test (`test: true`) and is not investigated, so it spends no tokens, unless `investigate` is true (in the body or as `?investigate=true`).',
        params: uuidParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            investigate: {
              type: 'boolean',
              description: 'Investigate the test incident like a real one (spends tokens)',
            },
          },
        },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            sample: { type: 'string', description: 'Sample name; default the first' },
            investigate: {
              type: 'boolean',
              description: 'Investigate the test incident like a real one (spends tokens)',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['sample', 'received', 'alerts', 'test', 'investigate'],
            properties: {
              sample: { type: 'string' },
              received: { type: 'integer' },
              alerts: { type: 'array', items: { type: 'integer' } },
              test: {
                type: 'boolean',
                description: 'Always true: the alerts are marked as a test',
              },
              investigate: {
                type: 'boolean',
                description: 'Whether a new incident they open is investigated',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const record = found(
        await options.repositories.alertSources.get(request.params.uuid),
        request.params.uuid,
      );
      const adapter = plugins.adapter(record.sourceType);
      const wanted = request.body?.sample;
      const sample = adapter?.samples.find((s) => wanted === undefined || s.name === wanted);
      if (adapter === undefined || sample === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'sample', id: wanted ?? '(first)' });
      const investigate = request.body?.investigate === true || request.query.investigate === true;
      const receipt = await options.ingestor.ingestTrusted(
        record.id,
        {
          headers: { 'content-type': 'application/json', ...sample.headers },
          rawBody: Buffer.from(JSON.stringify(sample.body)),
          body: sample.body,
          query: {},
        },
        { test: { investigate } },
      );
      await options.engine.drain();
      return {
        sample: sample.name,
        received: receipt.received,
        alerts: receipt.ids,
        test: true,
        investigate,
      };
    },
  );
}
