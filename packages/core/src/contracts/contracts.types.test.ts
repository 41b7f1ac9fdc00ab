import { describe, expectTypeOf, it } from 'vitest';
import {
  defineAlertAdapter,
  defineNotifier,
  definePlugin,
  defineRunner,
  defineSchema,
  defineToolProvider,
  emptyObjectSchema,
  type AkmatoriPlugin,
  type AlertAdapter,
  type AlertSourceContext,
  type ApprovalDecision,
  type FileChange,
  type HeaderCheck,
  type IncidentEvent,
  type NormalizedAlert,
  type Notifier,
  type ObjectSchema,
  type RunEvent,
  type RunHandle,
  type RunSession,
  type Runner,
  type SchemaValue,
  type SignatureMatch,
  type TodoEntry,
  type TokenUsage,
  type ToolProvider,
  type ToolResult,
  type WebhookRequest,
  type WriteAction,
} from '../index.js';

// Checked by `tsc -p tsconfig.tests.json` (part of `npm run build`): an `expectTypeOf` that
// does not hold, or a `@ts-expect-error` line that stops being an error, fails the build.

const regionSchema = defineSchema({
  type: 'object',
  additionalProperties: false,
  required: ['region'],
  properties: {
    region: { type: 'string', description: 'Region.' },
    mode: { type: 'string', enum: ['push', 'pull'], description: 'Mode.' },
    retries: { type: 'integer', default: 3, description: 'Retries.' },
    token: { type: 'string', secret: true, description: 'Token.', destinationOf: [] },
  },
});
type RegionConfig = { region: string; mode?: 'push' | 'pull'; retries?: number; token?: string };

describe('plugin contract types', () => {
  it('defineAlertAdapter reads the config type from an inline configSchema', () => {
    const adapter = defineAlertAdapter({
      id: 'x',
      displayName: 'X',
      configSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['region'],
        properties: {
          region: { type: 'string', description: 'Region.' },
          zone: { type: 'string', description: 'Zone.' },
        },
      },
      authentication: 'bearer',
      fingerprintFields: ['id'],
      samples: [{ name: 's', body: {} }],
      checkHeaders: (_headers, ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<{ region: string; zone?: string }>();
        return { outcome: 'needs-body' };
      },
      verify: (_req, ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<{ region: string; zone?: string }>();
        return ctx.secret === ctx.config.region;
      },
      parse: (_req, ctx) => {
        expectTypeOf(ctx.config.region).toEqualTypeOf<string>();
        expectTypeOf(ctx.config.zone).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.secret).toEqualTypeOf<string | undefined>();
        // @ts-expect-error a field the schema does not declare is a type error
        void ctx.config.regoin;
        return [];
      },
    });
    expectTypeOf(adapter).toEqualTypeOf<AlertAdapter<{ region: string; zone?: string }>>();
  });

  it('a schema kept in a defineSchema constant gives the same types, enums and defaults included', () => {
    expectTypeOf<SchemaValue<typeof regionSchema>>().toEqualTypeOf<RegionConfig>();
    const adapter = defineAlertAdapter({
      id: 'x',
      displayName: 'X',
      configSchema: regionSchema,
      authentication: 'bearer',
      fingerprintFields: ['id'],
      samples: [{ name: 's', body: {} }],
      parse: (_req, ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<AlertSourceContext<RegionConfig>>();
        // @ts-expect-error mode is "push" or "pull"
        const wrong: typeof ctx.config.mode = 'both';
        void wrong;
        return [];
      },
    });
    expectTypeOf(adapter.configSchema).toEqualTypeOf<ObjectSchema>();
  });

  it('a schema without fields gives a config with none, and a lost literal gives a plain record', () => {
    expectTypeOf<keyof SchemaValue<typeof emptyObjectSchema>>().toBeNever();
    expectTypeOf<SchemaValue<ObjectSchema>>().toEqualTypeOf<Record<string, unknown>>();
    defineNotifier({
      id: 'n',
      displayName: 'N',
      configSchema: emptyObjectSchema,
      onIncidentEvent: async (_event, ctx) => {
        // @ts-expect-error a notifier without settings has no config fields
        void ctx.config.channel;
      },
    });
  });

  it('an adapter must parse into normalized alerts; verify and checkHeaders are optional', () => {
    expectTypeOf<AlertAdapter['parse']>().parameter(0).toEqualTypeOf<WebhookRequest>();
    expectTypeOf<AlertAdapter['parse']>().returns.toEqualTypeOf<NormalizedAlert[]>();
    expectTypeOf<AlertAdapter['verify']>().extract<undefined>().toEqualTypeOf<undefined>();
    expectTypeOf<NonNullable<AlertAdapter['verify']>>().returns.toEqualTypeOf<
      boolean | SignatureMatch
    >();
    expectTypeOf<AlertAdapter['checkHeaders']>().extract<undefined>().toEqualTypeOf<undefined>();
    expectTypeOf<NonNullable<AlertAdapter['checkHeaders']>>().returns.toEqualTypeOf<HeaderCheck>();
    expectTypeOf<AlertAdapter['parse']>().extract<undefined>().toBeNever();
    defineAlertAdapter({
      id: 'x',
      displayName: 'X',
      configSchema: emptyObjectSchema,
      authentication: 'bearer',
      fingerprintFields: ['id'],
      samples: [{ name: 's', body: {} }],
      // @ts-expect-error parse returns normalized alerts, not strings
      parse: () => ['alert'],
    });
  });

  it('a normalized alert has a closed set of severities and statuses', () => {
    expectTypeOf<NormalizedAlert['severity']>().toEqualTypeOf<
      'critical' | 'high' | 'warning' | 'info'
    >();
    expectTypeOf<NormalizedAlert['status']>().toEqualTypeOf<'firing' | 'resolved'>();
  });

  it('tool execute gets the credentials credentialSchema describes, anyOf branches as a union', () => {
    const provider = defineToolProvider({
      id: 'api',
      displayName: 'API',
      credentialSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        anyOf: [
          { properties: { token: true }, required: ['token'] },
          { properties: { password: true }, required: ['password'] },
        ],
        properties: {
          url: { type: 'string', description: 'URL.' },
          token: { type: 'string', secret: true, description: 'Token.' },
          password: { type: 'string', secret: true, description: 'Password.' },
        },
      },
      tools: [
        {
          name: 'run',
          description: 'run',
          inputSchema: emptyObjectSchema,
          readOnly: false,
          execute: async (ctx) => {
            expectTypeOf(ctx.credentials).toEqualTypeOf<
              | { url: string; token: string; password?: string }
              | { url: string; password: string; token?: string }
            >();
            expectTypeOf(ctx.requestApproval).parameter(0).toEqualTypeOf<WriteAction>();
            expectTypeOf(ctx.requestApproval).returns.toEqualTypeOf<Promise<ApprovalDecision>>();
            // @ts-expect-error a credential the schema does not declare is a type error
            void ctx.credentials.username;
            return { text: ctx.credentials.url };
          },
        },
      ],
    });
    expectTypeOf(provider).toEqualTypeOf<
      ToolProvider<
        | { url: string; token: string; password?: string }
        | { url: string; password: string; token?: string }
      >
    >();
    expectTypeOf(provider.tools[0]!.execute).returns.toEqualTypeOf<Promise<ToolResult>>();
  });

  it('a runner returns a handle whose events are RunEvents', () => {
    const runner = defineRunner({
      id: 'r',
      displayName: 'R',
      start: () => ({ events: (async function* () {})(), cancel: async () => {} }),
    });
    expectTypeOf(runner).toEqualTypeOf<Runner>();
    expectTypeOf(runner.start).returns.toEqualTypeOf<RunHandle>();
    expectTypeOf<RunHandle['events']>().toEqualTypeOf<AsyncIterable<RunEvent>>();
    expectTypeOf<Extract<RunEvent, { type: 'run.completed' }>['summary']>().toEqualTypeOf<string>();
  });

  it('a runner gets what it needs to use tools: the gateway and its run token, the skills with their files', () => {
    defineRunner({
      id: 'r',
      displayName: 'R',
      start: (task, context) => {
        expectTypeOf(context.gateway.mcpUrl).toEqualTypeOf<string>();
        expectTypeOf(context.gateway.runToken).toEqualTypeOf<string>();
        expectTypeOf(context.gateway.model).toEqualTypeOf<string | undefined>();
        expectTypeOf(task.skills[0]!.files[0]!.content).toEqualTypeOf<Uint8Array>();
        expectTypeOf(task.resume).toEqualTypeOf<RunSession | undefined>();
        // @ts-expect-error: the context has no database, only the gateway
        void context.repositories;
        return { events: (async function* () {})(), cancel: async () => {} };
      },
    });
    expectTypeOf<RunHandle['session']>().toEqualTypeOf<
      Promise<RunSession | undefined> | undefined
    >();
  });

  it('run events about an agent item carry its id, and unknown events keep what came', () => {
    expectTypeOf<Extract<RunEvent, { type: 'command.completed' }>>().toMatchTypeOf<{
      command: string;
      output: string;
      exitCode: number | null;
      itemId?: string;
    }>();
    expectTypeOf<Extract<RunEvent, { type: 'tool.completed' }>['itemId']>().toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf<Extract<RunEvent, { type: 'file.changed' }>['changes']>().toEqualTypeOf<
      readonly FileChange[]
    >();
    expectTypeOf<Extract<RunEvent, { type: 'todo.updated' }>['items']>().toEqualTypeOf<
      readonly TodoEntry[]
    >();
    expectTypeOf<Extract<RunEvent, { type: 'event.unknown' }>['raw']>().toEqualTypeOf<unknown>();
    expectTypeOf<TokenUsage['reasoningTokens']>().toEqualTypeOf<number | undefined>();
  });

  it('a notifier gets incident events and the config its configSchema describes', () => {
    const notifier = defineNotifier({
      id: 'n',
      displayName: 'N',
      configSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['channel'],
        properties: { channel: { type: 'string', description: 'Channel.' } },
      },
      onIncidentEvent: async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<IncidentEvent>();
        expectTypeOf(ctx.config).toEqualTypeOf<{ channel: string }>();
      },
    });
    expectTypeOf(notifier).toEqualTypeOf<Notifier<{ channel: string }>>();
  });

  it('a hand-written config type still types a plugin (deprecated overload)', () => {
    const notifier = defineNotifier<{ channel: string }>({
      id: 'n',
      displayName: 'N',
      configSchema: emptyObjectSchema,
      onIncidentEvent: async (_event, ctx) => {
        expectTypeOf(ctx.config.channel).toEqualTypeOf<string>();
      },
    });
    expectTypeOf(notifier).toEqualTypeOf<Notifier<{ channel: string }>>();
  });

  it('definePlugin requires a name and accepts every contribution list', () => {
    expectTypeOf(definePlugin).parameter(0).toEqualTypeOf<AkmatoriPlugin>();
    expectTypeOf<AkmatoriPlugin['name']>().toEqualTypeOf<string>();
    // @ts-expect-error a plugin without a name is a type error
    definePlugin({ adapters: [] });
  });
});
