import type { FastifyInstance } from 'fastify';
import {
  AUDIT_FLOOR_DAYS,
  MAX_RETENTION_DAYS,
  type RetentionSettings,
  type StoredRetention,
} from '../retention/retention-settings.js';
import { errorResponses } from '../server/error-handler.js';

const days = (description: string, minimum = 1) =>
  ({
    type: ['integer', 'null'],
    minimum,
    maximum: MAX_RETENTION_DAYS,
    description: `${description}; null keeps them forever`,
  }) as const;

const retentionSchema = {
  $id: 'Retention',
  type: 'object',
  required: [
    'run_events_days',
    'model_usage_days',
    'alert_events_days',
    'resolved_incidents_days',
    'tool_calls_days',
    'eval_runs_days',
  ],
  additionalProperties: false,
  properties: {
    run_events_days: days("Days a run's stored events (the timeline) are kept"),
    model_usage_days: days('Days model token usage rows are kept'),
    alert_events_days: days('Days received webhook payloads are kept once applied'),
    resolved_incidents_days: days(
      'Days an incident is kept after it closed (investigation over, no alert firing), with its alerts, runs, events and approvals',
    ),
    tool_calls_days: days(
      `Days the tool call audit is kept: at least ${AUDIT_FLOOR_DAYS}, and no shorter than any other finite setting but eval_runs_days`,
      AUDIT_FLOOR_DAYS,
    ),
    eval_runs_days: days(
      'Days stored eval runs (the scorecards of akmatori eval run) are kept, counted from when they started, with their results',
    ),
  },
} as const;

/**
 * `GET|PUT /api/settings/retention`: how long run events, model usage, alert events, closed
 * incidents, the tool call audit and eval runs are kept. The retention job applies them on its next run.
 */
export async function retentionSettingsRoutes(
  app: FastifyInstance,
  options: { retention: RetentionSettings },
): Promise<void> {
  app.addSchema(retentionSchema);
  app.get(
    '/settings/retention',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'How long each kind of record is kept, in days (null: forever)',
        response: { 200: { $ref: 'Retention#' }, ...errorResponses },
      },
    },
    async () => options.retention.get(),
  );
  app.put<{ Body: Partial<StoredRetention> }>(
    '/settings/retention',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Replace the retention settings; a field left out takes its default, null keeps forever. Applies from the next run of the retention job',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: retentionSchema.properties,
        },
        response: { 200: { $ref: 'Retention#' }, ...errorResponses },
      },
    },
    async (request) => {
      const retention = await options.retention.put(request.body);
      request.log.info({ retention }, 'retention settings changed');
      return retention;
    },
  );
}
