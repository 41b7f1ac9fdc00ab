import type { FastifyInstance } from 'fastify';
import type { RunnerChoice } from '../runs/runner-choice.js';
import { errorResponses } from '../server/error-handler.js';

const runnerSettingSchema = {
  $id: 'RunnerSetting',
  type: 'object',
  required: ['default_runner', 'installed'],
  additionalProperties: false,
  properties: {
    default_runner: {
      type: 'string',
      description:
        'The runner of incidents whose alert source names none (`codex`: the built-in runner, on the workers)',
    },
    installed: {
      type: 'array',
      description: 'Every installed runner, the built-in `codex` first',
      items: {
        type: 'object',
        required: ['id', 'display_name'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', description: 'What alert sources and this setting name' },
          display_name: { type: 'string' },
        },
      },
    },
  },
} as const;

/**
 * `GET|PUT /api/settings/runner`: which runner carries out investigations of incidents whose
 * alert source names none, and which runners are installed (the built-in `codex` and those of
 * plugins). An unknown runner is refused with `AKM_UNKNOWN_RUNNER`, naming the installed ones.
 */
export async function runnerSettingsRoutes(
  app: FastifyInstance,
  options: { runners: RunnerChoice },
): Promise<void> {
  app.addSchema(runnerSettingSchema);
  app.get(
    '/settings/runner',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['settings'],
        summary: 'The default runner and the installed runners',
        response: { 200: { $ref: 'RunnerSetting#' }, ...errorResponses },
      },
    },
    async () => options.runners.setting(),
  );
  app.put<{ Body: { default_runner: string } }>(
    '/settings/runner',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Choose the runner of incidents whose alert source names none; applies to runs that start from now on',
        body: {
          type: 'object',
          required: ['default_runner'],
          additionalProperties: false,
          properties: { default_runner: runnerSettingSchema.properties.default_runner },
        },
        response: { 200: { $ref: 'RunnerSetting#' }, ...errorResponses },
      },
    },
    async (request) => {
      const setting = await options.runners.setDefault(request.body.default_runner);
      request.log.info({ runner: setting.default_runner }, 'default runner changed');
      return setting;
    },
  );
}
