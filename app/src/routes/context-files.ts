import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ContextFileRecord } from '../context-files/context-file-repository.js';
import {
  maxContextFileBytes,
  type ContextFiles,
  type PendingContextFile,
} from '../context-files/context-files.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';

const maxDescriptionLength = 1000;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

const contextFileSchema = {
  $id: 'ContextFile',
  type: 'object',
  required: ['id', 'name', 'content_type', 'size', 'sha256', 'description', 'created_at'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', description: 'Sanitized file name, unique' },
    content_type: { type: 'string' },
    size: { type: 'integer', description: 'Bytes' },
    sha256: { type: 'string', description: 'Hex SHA-256 of the content' },
    description: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

const toJson = (record: ContextFileRecord): Record<string, unknown> => ({
  id: record.id,
  name: record.name,
  content_type: record.contentType,
  size: record.size,
  sha256: record.sha256,
  description: record.description,
  created_at: record.createdAt.toISOString(),
});

/** Maps the multipart plugin's limit errors onto the catalogue. */
const multipartError = (error: unknown): unknown => {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return AppErrors.AKM_CONTEXT_FILE_TOO_LARGE({ maxBytes: maxContextFileBytes });
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return AppErrors.AKM_VALIDATION({
      reason: 'send one file field "file" and at most a "description" field',
    });
  return error;
};

/**
 * `GET|POST /api/context-files`, `GET|DELETE /api/context-files/{id}` and
 * `GET /api/context-files/{id}/content`: documents operators upload for investigations.
 */
export async function contextFileRoutes(
  app: FastifyInstance,
  options: { readonly files: ContextFiles },
): Promise<void> {
  const { files } = options;
  // Only this plugin's routes parse multipart bodies.
  await app.register(multipart, {
    limits: {
      // One byte past the limit lets the store see the breach and refuse it (413).
      fileSize: maxContextFileBytes + 1,
      files: 1,
      fields: 2,
      parts: 3,
      fieldSize: maxDescriptionLength * 4,
    },
    throwFileSizeLimit: false,
  });
  app.addSchema(contextFileSchema);

  app.post(
    '/context-files',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['context files'],
        summary: `Upload a context file (multipart/form-data, at most ${maxContextFileBytes} bytes)`,
        consumes: ['multipart/form-data'],
        body: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description:
                'The document: .txt .md .log .csv .json .yaml .yml .pdf .png .jpg .jpeg. Its file name is sanitized.',
            },
            description: { type: 'string', maxLength: maxDescriptionLength },
          },
        },
        response: { 201: { $ref: 'ContextFile#' }, ...errorResponses },
      },
      // The body schema documents the form for OpenAPI; the parts are streamed and checked
      // by the handler, so Fastify must not validate the (absent) parsed body.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw AppErrors.AKM_VALIDATION({ reason: 'send the file as multipart/form-data' });
      let pending: PendingContextFile | undefined;
      let description: string | null = null;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file' && part.fieldname === 'file' && pending === undefined) {
            pending = await files.receive(part.filename, part.file);
          } else if (part.type === 'field' && part.fieldname === 'description') {
            const value = String(part.value);
            if (value.length > maxDescriptionLength)
              throw AppErrors.AKM_VALIDATION({
                reason: `description is longer than ${maxDescriptionLength} characters`,
              });
            description = value === '' ? null : value;
          } else {
            if (part.type === 'file') part.file.resume();
            throw AppErrors.AKM_VALIDATION({
              reason: `unexpected form field "${part.fieldname}": send "file" and optionally "description"`,
            });
          }
        }
        if (pending === undefined)
          throw AppErrors.AKM_VALIDATION({ reason: 'the form has no file field named "file"' });
      } catch (error) {
        if (pending !== undefined) await files.abandon(pending);
        throw multipartError(error);
      }
      const record = await files.save(pending, description);
      return reply.status(201).send(toJson(record));
    },
  );

  app.get(
    '/context-files',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['context files'],
        summary: 'List context files, newest first',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'ContextFile#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await files.list()).map(toJson) }),
  );

  app.get<{ Params: { id: string } }>(
    '/context-files/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['context files'],
        summary: "One context file's metadata",
        params: idParams,
        response: { 200: { $ref: 'ContextFile#' }, ...errorResponses },
      },
    },
    async (request) => toJson(await files.get(request.params.id)),
  );

  app.get<{ Params: { id: string } }>(
    '/context-files/:id/content',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['context files'],
        summary: "Download a context file's bytes, as an attachment with its stored type",
        params: idParams,
        produces: ['application/octet-stream'],
        response: {
          200: { type: 'string', format: 'binary', description: 'The stored bytes' },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { record, stream } = await files.content(request.params.id);
      return reply
        .header('content-type', record.contentType)
        .header('content-length', record.size)
        .header('content-disposition', `attachment; filename="${record.name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/context-files/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['context files'],
        summary: 'Delete a context file (its row and its bytes)',
        params: idParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await files.delete(request.params.id);
      return reply.status(204).send();
    },
  );
}
