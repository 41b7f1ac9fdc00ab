import type { FastifyInstance } from 'fastify';
import type { BudgetSettings, StoredBudgets } from '../gateway/budget-settings.js';
import { errorResponses } from '../server/error-handler.js';

const limitSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_tokens: {
      type: ['integer', 'null'],
      minimum: 0,
      description: 'Input plus output tokens; null is unlimited',
    },
    max_cost_usd: {
      type: ['number', 'null'],
      minimum: 0,
      description: 'USD priced with /api/settings/prices; null is unlimited',
    },
  },
} as const;

const budgetsSchema = {
  $id: 'Budgets',
  type: 'object',
  required: [
    'per_run',
    'per_incident',
    'per_source_per_day',
    'per_day',
    'max_queued_investigations_per_source',
  ],
  additionalProperties: false,
  properties: {
    per_run: { ...limitSchema, description: 'One run' },
    per_incident: {
      ...limitSchema,
      description: 'All runs of one incident: investigation, retries, follow-ups',
    },
    per_source_per_day: {
      ...limitSchema,
      description: "All runs of one alert source's incidents per UTC day",
    },
    per_day: { ...limitSchema, description: 'Everything per UTC day' },
    max_queued_investigations_per_source: {
      type: ['integer', 'null'],
      minimum: 0,
      description:
        'Investigations of one alert source waiting to start; beyond it new incidents are stored but not queued. null is unlimited',
    },
  },
} as const;

/**
 * `GET|PUT /api/settings/budgets`: the spend budgets the gateway's model proxy enforces and
 * the cap on queued investigations per alert source.
 */
export async function budgetSettingsRoutes(
  app: FastifyInstance,
  options: { budgets: BudgetSettings },
): Promise<void> {
  app.addSchema(budgetsSchema);
  app.get(
    '/settings/budgets',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Spend budgets (tokens and USD per run, incident, alert source per day, day) and the queued-investigation cap',
        response: { 200: { $ref: 'Budgets#' }, ...errorResponses },
      },
    },
    async () => options.budgets.get(),
  );
  app.put<{ Body: Partial<StoredBudgets> }>(
    '/settings/budgets',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Replace the budgets; a field left out takes its default, null makes it unlimited. Applies to the next model call',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: budgetsSchema.properties,
        },
        response: { 200: { $ref: 'Budgets#' }, ...errorResponses },
      },
    },
    async (request) => {
      const budgets = await options.budgets.put(request.body);
      request.log.info({ budgets }, 'budgets changed');
      return budgets;
    },
  );
}
