import type { SkillProblem } from '@akmatori/core';
import { parseSkill } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { Skill, SkillInput, SkillStore } from '../skills/skill-store.js';
import { errorResponses } from '../server/error-handler.js';

const problemList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['field', 'message'],
    properties: { field: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

const skillSchema = {
  $id: 'Skill',
  type: 'object',
  required: [
    'name',
    'description',
    'prompt',
    'enabled',
    'category',
    'tool_instance_ids',
    'warnings',
  ],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    prompt: { type: 'string', description: 'The Markdown body of SKILL.md' },
    license: { type: 'string' },
    compatibility: { type: 'string' },
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    allowed_tools: { type: 'string' },
    enabled: { type: 'boolean' },
    category: { type: ['string', 'null'] },
    tool_instance_ids: { type: 'array', items: { type: 'string' } },
    warnings: problemList,
    updated_at: { type: 'string', format: 'date-time' },
    content: {
      type: 'string',
      description: 'The whole SKILL.md as written (on one skill, not in the list)',
    },
  },
} as const;

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 64 } },
} as const;

const writable = {
  description: { type: 'string', minLength: 1, maxLength: 1024 },
  prompt: { type: 'string', maxLength: 200_000 },
  license: { type: ['string', 'null'] },
  compatibility: { type: ['string', 'null'], maxLength: 500 },
  metadata: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
  allowed_tools: { type: ['string', 'null'] },
  category: { type: ['string', 'null'], maxLength: 100 },
  enabled: { type: 'boolean' },
  content: {
    type: 'string',
    maxLength: 200_000,
    description:
      'The whole SKILL.md (frontmatter and body), kept as written; instead of description, prompt, license, compatibility, metadata and allowed_tools',
  },
} as const;

/** The SKILL.md fields that `content` replaces. */
const fileFields = [
  'description',
  'prompt',
  'license',
  'compatibility',
  'metadata',
  'allowed_tools',
] as const;

interface SkillBody {
  name?: string;
  description?: string;
  prompt?: string;
  license?: string | null;
  compatibility?: string | null;
  metadata?: Record<string, string> | null;
  allowed_tools?: string | null;
  category?: string | null;
  enabled?: boolean;
  content?: string;
}

/** Refuses a body that sends both the whole SKILL.md and some of its fields. */
const checkContentAlone = (body: SkillBody): void => {
  const mixed = fileFields.filter((field) => body[field] !== undefined);
  if (body.content !== undefined && mixed.length > 0)
    throw AppErrors.AKM_VALIDATION({
      reason: `send either content (the whole SKILL.md) or its fields, not both (${mixed.join(', ')})`,
    });
};

const toInput = (body: SkillBody): SkillInput => ({
  ...(body.description === undefined ? {} : { description: body.description }),
  ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
  ...(body.license === undefined ? {} : { license: body.license }),
  ...(body.compatibility === undefined ? {} : { compatibility: body.compatibility }),
  ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
  ...(body.allowed_tools === undefined ? {} : { allowedTools: body.allowed_tools }),
  ...(body.category === undefined ? {} : { category: body.category }),
  ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
});

const toJson = (skill: Skill): Record<string, unknown> => ({
  name: skill.name,
  description: skill.description,
  prompt: skill.prompt,
  ...(skill.frontmatter.license === undefined ? {} : { license: skill.frontmatter.license }),
  ...(skill.frontmatter.compatibility === undefined
    ? {}
    : { compatibility: skill.frontmatter.compatibility }),
  ...(skill.frontmatter.metadata === undefined ? {} : { metadata: skill.frontmatter.metadata }),
  ...(skill.frontmatter['allowed-tools'] === undefined
    ? {}
    : { allowed_tools: skill.frontmatter['allowed-tools'] }),
  enabled: skill.enabled,
  category: skill.category,
  tool_instance_ids: skill.toolInstanceIds,
  warnings: skill.warnings,
  updated_at: skill.updatedAt.toISOString(),
});

/**
 * `/api/skills`: Agent Skills and their files. The skills directory is the source of truth;
 * `POST /api/skills/sync` picks up changes made on disk, and changes made here are written to disk.
 */
export async function skillRoutes(
  app: FastifyInstance,
  options: { store: SkillStore },
): Promise<void> {
  const { store } = options;
  app.addSchema(skillSchema);
  const withContent = async (skill: Skill): Promise<Record<string, unknown>> => ({
    ...toJson(skill),
    content: await store.readContent(skill.name),
  });
  const pick = (body: SkillBody): { enabled?: boolean; category?: string | null } => ({
    ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
    ...(body.category === undefined ? {} : { category: body.category }),
  });
  const found = async (name: string): Promise<Skill> => {
    const skill = await store.get(name);
    if (skill === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'skill', id: name });
    return skill;
  };

  app.get(
    '/skills',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'List skills',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Skill#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await store.list()).map(toJson) }),
  );

  app.post<{ Body: SkillBody & { name: string } }>(
    '/skills',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary:
          'Create a skill: writes <skills dir>/<name>/SKILL.md, from content (the whole file) or from description and prompt',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, ...writable },
        },
        response: { 201: { $ref: 'Skill#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, description, prompt, content } = request.body;
      checkContentAlone(request.body);
      let skill: Skill;
      if (content !== undefined) {
        skill = (await store.writeContent(name, content, {
          create: true,
          ...pick(request.body),
        })) as Skill;
      } else {
        if (description === undefined || prompt === undefined)
          throw AppErrors.AKM_VALIDATION({
            reason: 'send content (the whole SKILL.md), or description and prompt',
          });
        skill = await store.create(name, { ...toInput(request.body), description, prompt });
      }
      request.log.info({ skill: name }, 'skill created');
      return reply.status(201).send(await withContent(skill));
    },
  );

  app.post<{ Body: { content: string; name?: string } }>(
    '/skills/validate',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Check a SKILL.md text against the Agent Skills specification, without saving it',
        body: {
          type: 'object',
          required: ['content'],
          additionalProperties: false,
          properties: {
            content: { type: 'string', maxLength: 200_000 },
            name: { type: 'string', description: 'The directory name it would live in' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['valid', 'problems', 'warnings'],
            properties: {
              valid: { type: 'boolean' },
              problems: problemList,
              warnings: problemList,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const parsed = parseSkill(
        request.body.content,
        request.body.name === undefined ? {} : { directoryName: request.body.name },
      );
      return {
        valid: parsed.valid,
        problems: parsed.problems as SkillProblem[],
        warnings: parsed.warnings as SkillProblem[],
      };
    },
  );

  app.post(
    '/skills/sync',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary:
          'Bring the index in step with the skills directory (new, changed and deleted skills)',
        response: {
          200: {
            type: 'object',
            required: ['added', 'updated', 'removed', 'skipped'],
            properties: {
              added: { type: 'array', items: { type: 'string' } },
              updated: { type: 'array', items: { type: 'string' } },
              removed: { type: 'array', items: { type: 'string' } },
              skipped: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { directory: { type: 'string' }, problems: problemList },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const report = await store.sync();
      request.log.info(
        {
          added: report.added.length,
          updated: report.updated.length,
          removed: report.removed.length,
          skipped: report.skipped.length,
        },
        'skills synced',
      );
      return report;
    },
  );

  app.get<{ Params: { name: string } }>(
    '/skills/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'One skill',
        params: nameParams,
        response: { 200: { $ref: 'Skill#' }, ...errorResponses },
      },
    },
    async (request) => withContent(await found(request.params.name)),
  );

  app.put<{ Params: { name: string }; Body: SkillBody }>(
    '/skills/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary:
          'Change a skill (SKILL.md is rewritten atomically); null removes an optional field',
        params: nameParams,
        body: { type: 'object', additionalProperties: false, properties: writable },
        response: { 200: { $ref: 'Skill#' }, ...errorResponses },
      },
    },
    async (request) => {
      checkContentAlone(request.body);
      const { content } = request.body;
      const skill =
        content === undefined
          ? await store.update(request.params.name, toInput(request.body))
          : await store.writeContent(request.params.name, content, {
              create: false,
              ...pick(request.body),
            });
      if (skill === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'skill', id: request.params.name });
      request.log.info({ skill: skill.name }, 'skill changed');
      return withContent(skill);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/skills/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Delete a skill and its directory',
        params: nameParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await store.delete(request.params.name)))
        throw AppErrors.AKM_NOT_FOUND({ what: 'skill', id: request.params.name });
      request.log.info({ skill: request.params.name }, 'skill deleted');
      return reply.status(204).send();
    },
  );

  app.put<{ Params: { name: string }; Body: { tool_instance_ids: string[] } }>(
    '/skills/:name/tools',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Attach exactly these tool instances to a skill',
        params: nameParams,
        body: {
          type: 'object',
          required: ['tool_instance_ids'],
          additionalProperties: false,
          properties: {
            tool_instance_ids: {
              type: 'array',
              items: { type: 'string', format: 'uuid' },
              maxItems: 100,
            },
          },
        },
        response: { 200: { $ref: 'Skill#' }, ...errorResponses },
      },
    },
    async (request) => {
      const skill = await store.setTools(request.params.name, request.body.tool_instance_ids);
      if (skill === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'skill', id: request.params.name });
      return toJson(skill);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/skills/:name/files',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: "List a skill's files in scripts/, references/ and assets/",
        params: nameParams,
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['path', 'size'],
                  properties: { path: { type: 'string' }, size: { type: 'integer' } },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await found(request.params.name);
      return { data: await store.listFiles(request.params.name) };
    },
  );

  const fileParams = {
    type: 'object',
    required: ['name', '*'],
    properties: {
      name: { type: 'string', maxLength: 64 },
      '*': { type: 'string', description: 'e.g. scripts/check.sh' },
    },
  } as const;

  app.get<{ Params: { name: string; '*': string } }>(
    '/skills/:name/files/*',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Read a skill file',
        params: fileParams,
        response: {
          200: {
            type: 'object',
            required: ['path', 'content', 'encoding'],
            properties: {
              path: { type: 'string' },
              content: { type: 'string' },
              encoding: { type: 'string', enum: ['utf8', 'base64'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await found(request.params.name);
      const bytes = await store.readResource(request.params.name, request.params['*']);
      const text = bytes.toString('utf8');
      const isText = !bytes.includes(0) && Buffer.from(text, 'utf8').equals(bytes);
      return {
        path: request.params['*'],
        content: isText ? text : bytes.toString('base64'),
        encoding: isText ? 'utf8' : 'base64',
      };
    },
  );

  app.put<{
    Params: { name: string; '*': string };
    Body: { content: string; encoding?: 'utf8' | 'base64' };
  }>(
    '/skills/:name/files/*',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Write a skill file (in scripts/, references/ or assets/)',
        params: fileParams,
        body: {
          type: 'object',
          required: ['content'],
          additionalProperties: false,
          properties: {
            content: { type: 'string' },
            encoding: { type: 'string', enum: ['utf8', 'base64'], default: 'utf8' },
          },
        },
        response: { 204: { type: 'null', description: 'Written' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await found(request.params.name);
      const { content, encoding } = request.body;
      await store.writeResource(
        request.params.name,
        request.params['*'],
        Buffer.from(content, encoding ?? 'utf8'),
      );
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { name: string; '*': string } }>(
    '/skills/:name/files/*',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['skills'],
        summary: 'Delete a skill file',
        params: fileParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await found(request.params.name);
      if (!(await store.deleteResource(request.params.name, request.params['*']))) {
        throw AppErrors.AKM_NOT_FOUND({ what: 'skill file', id: request.params['*'] });
      }
      return reply.status(204).send();
    },
  );
}
