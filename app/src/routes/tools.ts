import type { Logger, PluginHost } from '@akmatori/core';
import type { SecretBox } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';
import type { ToolInstanceRecord } from '../tools/tool-instance-repository.js';
import { offerToStarterSkills } from '../skills/starter-skill-tools.js';
import type { SkillStore } from '../skills/skill-store.js';
import type { ToolInstances, ToolInstanceRequest } from '../tools/tool-instances.js';
import { testConnectivity } from '../tools/tool-connectivity.js';
import { maskedSettings } from '../tools/tool-settings.js';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

const toolInstanceSchema = {
  $id: 'ToolInstance',
  type: 'object',
  required: ['id', 'tool_type_name', 'name', 'settings', 'enabled', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    tool_type_name: { type: 'string' },
    name: { type: 'string' },
    settings: {
      type: 'object',
      additionalProperties: true,
      description: 'The settings; each stored secret field reads {"set": true}',
    },
    enabled: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const writableProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  settings: {
    type: 'object',
    description:
      'Checked against the type\'s credential_schema. A secret field: a string sets it, {"set": true} or leaving it out keeps it, null clears it.',
  },
  enabled: { type: 'boolean' },
} as const;

const toJson = (record: ToolInstanceRecord): Record<string, unknown> => ({
  id: record.id,
  tool_type_name: record.toolType,
  name: record.name,
  settings: maskedSettings(record),
  enabled: record.enabled,
  created_at: record.createdAt.toISOString(),
  updated_at: record.updatedAt.toISOString(),
});

/** What the tool instance routes are given. */
export interface ToolRouteDeps {
  /** Tool instance administration. */
  readonly instances: ToolInstances;
  /** The registered tool types. */
  readonly plugins: PluginHost;
  /** Opens an instance's secrets for its connectivity test. */
  readonly secretBox: SecretBox;
  /** Where connectivity tests log. */
  readonly log: Logger;
  /** The starter skills a new instance is offered to. */
  readonly skills: SkillStore;
}

/**
 * `GET /api/tool-types`, `GET|POST /api/tools`, `GET|PUT|DELETE /api/tools/{id}` and
 * `POST /api/tools/{id}/test`. A new instance is attached to the starter skills that name its
 * type and have none of it yet (`skills`).
 */
export async function toolRoutes(app: FastifyInstance, options: ToolRouteDeps): Promise<void> {
  const { plugins, instances } = options;
  app.addSchema(toolInstanceSchema);

  const found = (record: ToolInstanceRecord | undefined, id: string): ToolInstanceRecord => {
    if (record === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'tool instance', id });
    return record;
  };

  app.get(
    '/tool-types',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary: 'The kinds of tool instance, with their settings and the tools they offer',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'display_name', 'credential_schema', 'tools'],
                  properties: {
                    name: { type: 'string' },
                    display_name: { type: 'string' },
                    credential_schema: { type: 'object', additionalProperties: true },
                    tools: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['name', 'description', 'read_only'],
                        properties: {
                          name: { type: 'string' },
                          description: { type: 'string' },
                          read_only: { type: 'boolean' },
                        },
                      },
                    },
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
      data: plugins.toolProviders.map((provider) => ({
        name: provider.id,
        display_name: provider.displayName,
        credential_schema: provider.credentialSchema,
        tools: provider.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          read_only: tool.readOnly,
        })),
      })),
    }),
  );

  app.get(
    '/tools',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary: 'List tool instances',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'ToolInstance#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await instances.list()).map(toJson) }),
  );

  app.post<{ Body: ToolInstanceRequest & { tool_type_name: string; name: string } }>(
    '/tools',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary: 'Create a tool instance; secret settings are sealed and never returned',
        body: {
          type: 'object',
          required: ['tool_type_name', 'name', 'settings'],
          additionalProperties: false,
          properties: { tool_type_name: { type: 'string', minLength: 1 }, ...writableProperties },
        },
        response: { 201: { $ref: 'ToolInstance#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = await instances.create(request.body);
      request.log.info({ tool: record.id, type: record.toolType }, 'tool instance created');
      const attached = await offerToStarterSkills({ skills: options.skills, instances }, record);
      if (attached.length > 0)
        request.log.info(
          { tool: record.id, skills: attached },
          'tool instance attached to starter skills',
        );
      return reply.status(201).send(toJson(record));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/tools/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary: 'One tool instance',
        params: idParams,
        response: { 200: { $ref: 'ToolInstance#' }, ...errorResponses },
      },
    },
    async (request) => toJson(found(await instances.get(request.params.id), request.params.id)),
  );

  app.put<{ Params: { id: string }; Body: ToolInstanceRequest }>(
    '/tools/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary:
          'Change a tool instance (fields sent are changed; settings is replaced as a whole, secrets as described there)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: writableProperties },
        response: { 200: { $ref: 'ToolInstance#' }, ...errorResponses },
      },
    },
    async (request) => {
      const record = found(
        await instances.update(request.params.id, request.body),
        request.params.id,
      );
      request.log.info({ tool: record.id }, 'tool instance changed');
      return toJson(record);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/tools/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary: 'Delete a tool instance and its sealed secrets',
        params: idParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await instances.delete(request.params.id)))
        throw AppErrors.AKM_NOT_FOUND({ what: 'tool instance', id: request.params.id });
      request.log.info({ tool: request.params.id }, 'tool instance deleted');
      return reply.status(204).send();
    },
  );
  app.post<{ Params: { id: string } }>(
    '/tools/:id/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tools'],
        summary:
          'Test a tool instance against its target with its stored credentials (SSH: log in to each host and run `true`; Zabbix: an authenticated host.get; Prometheus and Alertmanager: get_status), bounded to 20 s',
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['ok', 'tool', 'message', 'duration_ms'],
            properties: {
              ok: { type: 'boolean', description: 'True when the target answered the probe' },
              tool: { type: 'string', description: 'The read-only tool the probe called' },
              message: {
                type: 'string',
                description: "The probe's output, or why it failed (secrets scrubbed)",
              },
              duration_ms: { type: 'integer' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const record = found(await instances.get(request.params.id), request.params.id);
      const provider = plugins.toolProvider(record.toolType);
      if (provider === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'tool type', id: record.toolType });
      const report = await testConnectivity(
        { secretBox: options.secretBox, log: options.log },
        provider,
        record,
      );
      request.log.info({ tool: record.id, ok: report.ok }, 'tool instance tested');
      return report;
    },
  );
}
