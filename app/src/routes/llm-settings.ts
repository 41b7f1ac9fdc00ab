import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import { LLM_TEST_TIMEOUT_MS, testLlmProvider } from '../gateway/llm-provider-test.js';
import type { LlmSettings, LlmSettingsUpdate } from '../gateway/llm-settings.js';
import { OPENAI_BASE_URL } from '../gateway/gateway-settings.js';
import { errorResponses } from '../server/error-handler.js';

const llmSettingsSchema = {
  $id: 'LlmSettings',
  type: 'object',
  required: ['provider', 'base_url', 'model', 'reasoning_effort', 'api_key'],
  properties: {
    provider: { type: 'string', enum: ['openai', 'openai-compatible'] },
    base_url: { type: 'string', description: 'The model proxy forwards to <base_url>/responses' },
    model: { type: 'string' },
    reasoning_effort: { type: ['string', 'null'] },
    api_key: {
      type: ['object', 'null'],
      description: '{"set": true} when a key is stored; the key itself is never returned',
      properties: { set: { type: 'boolean' } },
    },
    configured: {
      type: 'boolean',
      description:
        'false before the LLM provider is set up: then the rest are the defaults (provider openai, no model, no key)',
    },
  },
} as const;

/** What GET answers before anything is stored: the empty settings, not a 404. */
const unconfigured = {
  provider: 'openai',
  base_url: OPENAI_BASE_URL,
  model: '',
  reasoning_effort: null,
  api_key: null,
  configured: false,
} as const;

/** `GET|PUT /api/settings/llm` and `POST /api/settings/llm/test`: the provider the gateway's model proxy forwards to. */
export async function llmSettingsRoutes(
  app: FastifyInstance,
  options: { llm: LlmSettings },
): Promise<void> {
  app.addSchema(llmSettingsSchema);
  app.get(
    '/settings/llm',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'The LLM provider settings (the API key only as whether it is set)',
        response: { 200: { $ref: 'LlmSettings#' }, ...errorResponses },
      },
    },
    async () => {
      const view = await options.llm.get();
      return view === undefined ? unconfigured : { ...view, configured: true };
    },
  );
  app.put<{ Body: LlmSettingsUpdate }>(
    '/settings/llm',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Set the LLM provider; api_key is write-only (a string sets it, {"set": true} or leaving it out keeps it)',
        body: {
          type: 'object',
          required: ['provider', 'model'],
          additionalProperties: false,
          properties: {
            provider: { type: 'string', enum: ['openai', 'openai-compatible'] },
            base_url: { type: 'string', format: 'uri', pattern: '^https?://' },
            api_key: {
              anyOf: [
                { type: 'string', minLength: 1, maxLength: 4096 },
                {
                  type: 'object',
                  required: ['set'],
                  additionalProperties: false,
                  properties: { set: { const: true } },
                },
              ],
            },
            model: { type: 'string', minLength: 1, maxLength: 200 },
            reasoning_effort: {
              type: ['string', 'null'],
              enum: ['minimal', 'low', 'medium', 'high', 'xhigh', null],
            },
          },
        },
        response: { 200: { $ref: 'LlmSettings#' }, ...errorResponses },
      },
    },
    async (request) => {
      const view = await options.llm.put(request.body);
      request.log.info({ provider: view.provider, model: view.model }, 'LLM settings changed');
      return { ...view, configured: true };
    },
  );
  app.post(
    '/settings/llm/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: `Send one minimal request to the stored LLM provider (at most ${LLM_TEST_TIMEOUT_MS / 1000} s) and say whether it answered; the key is never echoed`,
        response: {
          200: {
            type: 'object',
            required: ['ok', 'status', 'message', 'duration_ms'],
            properties: {
              ok: { type: 'boolean' },
              status: { type: ['integer', 'null'], description: "The provider's HTTP status" },
              message: { type: 'string' },
              duration_ms: { type: 'integer' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const stored = await options.llm.withKey();
      if (stored === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'LLM settings', id: 'llm' });
      const result = await testLlmProvider(stored.settings, stored.apiKey);
      // A provider that fails its test (unreachable, refusing the key) is worth a warning.
      request.log[result.ok ? 'info' : 'warn'](
        { provider: stored.settings.provider, ok: result.ok, status: result.status },
        'LLM provider tested',
      );
      return result;
    },
  );
}
