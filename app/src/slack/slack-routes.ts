import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../server/error-handler.js';
import { SLACK_CHANNEL_ID_PATTERN } from './slack-channel-id.js';
import type { SlackConnection } from './slack-connection.js';
import type { SlackSettings, SlackSettingsUpdate } from './slack-settings.js';

const secretSet = {
  type: ['object', 'null'],
  description: '{"set": true} when stored; the value itself is never returned',
  properties: { set: { type: 'boolean' } },
} as const;

const secretInput = {
  anyOf: [
    { type: 'string', minLength: 1, maxLength: 4096 },
    {
      type: 'object',
      required: ['set'],
      additionalProperties: false,
      properties: { set: { const: true } },
    },
    { type: 'null' },
  ],
} as const;

const slackSettingsSchema = {
  $id: 'SlackSettings',
  type: 'object',
  required: [
    'enabled',
    'mode',
    'alerts_channel',
    'api_url',
    'bot_token',
    'app_token',
    'signing_secret',
  ],
  properties: {
    enabled: { type: 'boolean' },
    mode: { type: 'string', enum: ['socket', 'http'] },
    alerts_channel: {
      type: ['string', 'null'],
      description: 'Channel id incidents go to by default',
    },
    api_url: { type: 'string', description: "Slack's Web API base URL" },
    bot_token: secretSet,
    app_token: secretSet,
    signing_secret: secretSet,
  },
} as const;

/**
 * `GET|PUT /api/settings/slack` and `POST /api/settings/slack/test` (admin). A change is
 * applied at once: the Slack app reconnects with the new settings.
 */
export async function slackSettingsRoutes(
  app: FastifyInstance,
  options: { settings: SlackSettings; connection: SlackConnection },
): Promise<void> {
  app.addSchema(slackSettingsSchema);
  app.get(
    '/settings/slack',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'The Slack settings (tokens and the signing secret only as whether they are set)',
        response: { 200: { $ref: 'SlackSettings#' }, ...errorResponses },
      },
    },
    async () => options.settings.get(),
  );
  app.put<{ Body: SlackSettingsUpdate }>(
    '/settings/slack',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          'Set the Slack connection; bot_token, app_token and signing_secret are write-only (a string sets, {"set": true} or leaving out keeps, null clears). Changing api_url needs the tokens again. Applied at once.',
        body: {
          type: 'object',
          required: ['enabled'],
          additionalProperties: false,
          properties: {
            enabled: { type: 'boolean' },
            mode: { type: 'string', enum: ['socket', 'http'] },
            alerts_channel: {
              type: ['string', 'null'],
              pattern: SLACK_CHANNEL_ID_PATTERN,
              description: 'Channel id (C…, G…) incidents go to unless their source names one',
            },
            api_url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 500 },
            bot_token: secretInput,
            app_token: secretInput,
            signing_secret: secretInput,
          },
        },
        response: { 200: { $ref: 'SlackSettings#' }, ...errorResponses },
      },
    },
    async (request) => {
      const view = await options.settings.put(request.body);
      await options.connection.reload();
      request.log.info({ enabled: view.enabled, mode: view.mode }, 'Slack settings changed');
      return view;
    },
  );
  app.post(
    '/settings/slack/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary:
          "Post a test message to the alerts channel; 502 AKM_SLACK_ERROR with Slack's error when it fails",
        response: {
          200: {
            type: 'object',
            required: ['ok', 'channel', 'ts'],
            properties: {
              ok: { type: 'boolean' },
              channel: { type: 'string' },
              ts: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ ok: true, ...(await options.connection.test()) }),
  );
}

/**
 * `POST /slack/events`: Slack's events, interactivity and slash commands in HTTP mode, checked
 * against the signing secret. 404 while Slack is not running in HTTP mode.
 */
export async function slackEventRoutes(
  app: FastifyInstance,
  options: { connection: SlackConnection },
): Promise<void> {
  // The signature covers the raw body: keep it as text, whatever its type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  app.post('/slack/events', { schema: { hide: true } }, async (request, reply) => {
    const receiver = options.connection.httpReceiver;
    if (receiver === undefined)
      return reply.status(404).send({ ok: false, error: 'Slack HTTP mode is not enabled' });
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value[0] : value,
      ]),
    );
    const answer = await receiver.handle(
      typeof request.body === 'string' ? request.body : '',
      headers,
    );
    return reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  });
}
