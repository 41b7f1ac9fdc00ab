import { isAkmatoriError } from '@akmatori/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppErrors } from '../errors.js';
import type { AlertIngestor, WebhookAdmission } from '../ingest/alert-ingestor.js';
import type { DeliveryLog } from '../ingest/delivery-log.js';
import { errorResponses } from '../server/error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a webhook body, for signature checks. */
    rawBody?: Buffer;
    /** The webhook's source and what its headers proved, settled before the body is read. */
    webhookAdmission?: WebhookAdmission;
    /** How many alerts the webhook's payload held, once stored. */
    webhookAlerts?: number;
    /** Why the webhook was refused, for its source's recent deliveries. */
    webhookRefusal?: { code: string; message: string };
  }
}

/**
 * `POST /webhook/alert/{uuid}`: where monitoring systems send alerts. The source is looked up,
 * the credentials the headers carry checked and the source's rate limit applied in `onRequest`,
 * before the body is read: 404 for an unknown or disabled source, 401 for missing or wrong
 * credentials, 429 (with `Retry-After`) over the limit are answered at once and the connection
 * is closed, so the body is never read. Then: 202 with the ids of the stored alerts only after
 * they are committed; 401 for a body signature that is wrong or stale, 409 for a replayed one;
 * 400 with a reason on an unreadable payload; 413 over the body limit; 415 unless the body is JSON.
 * Every answer to a request for an existing source, accepted or refused, goes to its recent
 * deliveries (`deliveries.record`: in memory, written in batches).
 */
export async function webhookRoutes(
  app: FastifyInstance,
  options: { ingestor: AlertIngestor; bodyLimitBytes: number; deliveries: DeliveryLog },
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
      onRequest: async (request: FastifyRequest<{ Params: { uuid: string } }>, reply) => {
        try {
          request.webhookAdmission = await options.ingestor.admit(
            request.params.uuid,
            request.headers,
          );
        } catch (error) {
          refuseUnread(reply, error);
          throw error;
        }
      },
      onError: async (request, _reply, error) => {
        request.webhookRefusal = refusalOf(error);
      },
      onResponse: async (request: FastifyRequest<{ Params: { uuid: string } }>, reply) => {
        await recordDelivery(options, request, reply);
      },
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
      const receipt = await options.ingestor.ingest(request.webhookAdmission as WebhookAdmission, {
        headers: request.headers,
        rawBody: request.rawBody ?? Buffer.alloc(0),
        body: request.body,
        query: request.query as Record<string, string>,
      });
      request.webhookAlerts = receipt.received;
      return reply.status(202).send({ received: receipt.received, alerts: receipt.ids });
    },
  );
}

/** The code and message a refused delivery was answered with. */
function refusalOf(error: FastifyError): { code: string; message: string } {
  if (isAkmatoriError(error)) return { code: error.code, message: error.message };
  return {
    code: error.code ?? `HTTP_${error.statusCode ?? 500}`,
    message: error.message,
  };
}

/**
 * Adds the answered request to its source's recent deliveries. A request for an unknown id is
 * not recorded (there is no source to show it under); one for a disabled source is.
 */
async function recordDelivery(
  options: { ingestor: AlertIngestor; deliveries: DeliveryLog },
  request: FastifyRequest<{ Params: { uuid: string } }>,
  reply: FastifyReply,
): Promise<void> {
  const refusal = request.webhookRefusal;
  const sourceId = request.webhookAdmission?.sourceId ?? request.params.uuid;
  if (
    request.webhookAdmission === undefined &&
    refusal?.code === AppErrors.AKM_SOURCE_NOT_FOUND.code &&
    !(await options.ingestor.hasSource(sourceId))
  )
    return;
  const accepted = reply.statusCode >= 200 && reply.statusCode < 300;
  options.deliveries.record(sourceId, {
    at: new Date(Date.now() - reply.elapsedTime),
    statusCode: reply.statusCode,
    accepted,
    errorCode: accepted ? null : (refusal?.code ?? `HTTP_${reply.statusCode}`),
    errorMessage: accepted ? null : (refusal?.message ?? null),
    alertCount: request.webhookAlerts ?? 0,
    clientAddress: request.ip,
    durationMs: Math.round(reply.elapsedTime),
  });
}

/**
 * Prepares the answer to a request refused before its body was read: the connection closes
 * after the answer, so Node does not read the rest of the body only to discard it, and a rate
 * limited sender learns when to come back.
 */
function refuseUnread(reply: FastifyReply, error: unknown): void {
  void reply.header('connection', 'close');
  const details = isAkmatoriError(error) ? (error.details as { retry_after_seconds?: number }) : {};
  if (typeof details?.retry_after_seconds === 'number')
    void reply.header('retry-after', String(details.retry_after_seconds));
}
