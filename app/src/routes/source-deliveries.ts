import type { Repositories } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import { DELIVERIES_KEPT, type DeliveryLog } from '../ingest/delivery-log.js';
import { errorResponses } from '../server/error-handler.js';

const deliverySchema = {
  type: 'object',
  required: [
    'at',
    'status_code',
    'accepted',
    'error_code',
    'error_message',
    'alert_count',
    'client_address',
    'duration_ms',
  ],
  properties: {
    at: { type: 'string', format: 'date-time', description: 'When the request came' },
    status_code: { type: 'integer', description: 'The HTTP status it was answered with' },
    accepted: { type: 'boolean', description: 'True when its alerts were stored (202)' },
    error_code: {
      type: ['string', 'null'],
      description: 'Why it was refused (AKM_WEBHOOK_UNAUTHORIZED, AKM_PAYLOAD_INVALID, …)',
    },
    error_message: { type: ['string', 'null'], description: "The refusal's message" },
    alert_count: { type: 'integer', description: 'Alerts the payload held; 0 when refused' },
    client_address: { type: ['string', 'null'], description: "The sender's address" },
    duration_ms: { type: ['integer', 'null'] },
  },
} as const;

/** `GET /api/alert-sources/{uuid}/deliveries`: the source's recent webhook deliveries. */
export async function sourceDeliveryRoutes(
  app: FastifyInstance,
  options: { deliveries: DeliveryLog; repositories: Repositories },
): Promise<void> {
  app.get<{ Params: { uuid: string }; Querystring: { limit: number } }>(
    '/alert-sources/:uuid/deliveries',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: `The source's last webhook deliveries (at most ${DELIVERIES_KEPT}), newest first, accepted and refused`,
        params: {
          type: 'object',
          required: ['uuid'],
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: DELIVERIES_KEPT,
              default: DELIVERIES_KEPT,
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: deliverySchema } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { uuid } = request.params;
      if ((await options.repositories.alertSources.get(uuid)) === undefined)
        throw AppErrors.AKM_NOT_FOUND({ what: 'alert source', id: uuid });
      const deliveries = await options.deliveries.list(uuid, request.query.limit);
      return {
        data: deliveries.map((delivery) => ({
          at: delivery.at.toISOString(),
          status_code: delivery.statusCode,
          accepted: delivery.accepted,
          error_code: delivery.errorCode,
          error_message: delivery.errorMessage,
          alert_count: delivery.alertCount,
          client_address: delivery.clientAddress,
          duration_ms: delivery.durationMs,
        })),
      };
    },
  );
}
