import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { EVENT_TICKET_TTL_SECONDS, type EventTickets } from '../runs/event-tickets.js';
import { errorResponses } from '../server/error-handler.js';

/** `POST /api/events/ticket`: a one-time ticket that opens `/ws/events` from a browser. */
export async function eventTicketRoutes(
  app: FastifyInstance,
  options: { tickets: EventTickets },
): Promise<void> {
  app.post(
    '/events/ticket',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: 'A one-time ticket for the live event socket',
        description: `Open \`/ws/events?ticket=<ticket>\` within ${EVENT_TICKET_TTL_SECONDS} seconds; the ticket works once and the socket lives as long as the caller's session or token.`,
        response: {
          201: {
            type: 'object',
            required: ['ticket', 'expires_at'],
            properties: {
              ticket: { type: 'string' },
              expires_at: { type: 'string', format: 'date-time' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { ticket, expiresAt } = await options.tickets.issue(request.principal as Principal);
      return reply.status(201).send({ ticket, expires_at: expiresAt.toISOString() });
    },
  );
}
