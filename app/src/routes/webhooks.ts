import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AlertIngestor } from '../ingest/alert-ingestor.js';
import { errorResponses } from '../server/error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a webhook body, for signature checks. */
    rawBody?: Buffer;
  }
}

/**
 * `POST /webhook/alert/{uuid}`: where monitoring systems send alerts. Answers 202 with the
 * ids of the stored alerts only after they are committed; 401 on bad or missing auth; 400
 * with a reason on an unreadable payload; 404 on an unknown or disabled source; 413 over the
 * body limit; 415 unless the body is JSON.
 */
export async function webhookRoutes(
  app: FastifyInstance,
  options: { ingestor: AlertIngestor; bodyLimitBytes: number },
): Promise<void> {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  const keepRawBody = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ): void => {
    request.rawBody = body as Buffer;
    parseJson(request, body.toString('utf8'), done);
  };
  for (const type of ['application/json', /^application\/[\w.+-]+\+json\s*(;.*)?$/]) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
      keepRawBody,
    );
  }

  app.post<{ Params: { uuid: string } }>(
    '/webhook/alert/:uuid',
    {
      bodyLimit: options.bodyLimitBytes,
      logLevel: 'warn',
      // Machine-to-machine JSON: browser security headers cost time on the hot path and protect nothing.
      helmet: false,
      schema: {
        tags: ['alerts'],
        summary: 'Receive alerts from a monitoring system',
        description:
          'Authenticate with `Authorization: Bearer <webhook secret>` or the sender-specific method listed by `GET /api/alert-source-types`.',
        params: { type: 'object', required: ['uuid'], properties: { uuid: { type: 'string' } } },
        response: {
          202: {
            type: 'object',
            required: ['received', 'alerts'],
            properties: {
              received: { type: 'integer', description: 'Alerts in the payload' },
              alerts: {
                type: 'array',
                items: { type: 'integer' },
                description: 'Ids of the stored alert events',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const receipt = await options.ingestor.ingest(request.params.uuid, {
        headers: request.headers,
        rawBody: request.rawBody ?? Buffer.alloc(0),
        body: request.body,
        query: request.query as Record<string, string>,
      });
      return reply.status(202).send({ received: receipt.received, alerts: receipt.ids });
    },
  );
}
