import { describe, expectTypeOf, it } from 'vitest';
import {
  defineAlertAdapter,
  defineNotifier,
  definePlugin,
  defineRunner,
  defineToolProvider,
  emptyObjectSchema,
  type AkmatoriPlugin,
  type AlertAdapter,
  type FileChange,
  type IncidentEvent,
  type NormalizedAlert,
  type Notifier,
  type RunEvent,
  type RunHandle,
  type Runner,
  type TodoEntry,
  type TokenUsage,
  type ToolContext,
  type ToolProvider,
  type ToolResult,
  type WebhookRequest,
} from '../index.js';

describe('plugin contract types', () => {
  it('defineAlertAdapter keeps the config type and parse returns normalized alerts', () => {
    const adapter = defineAlertAdapter<{ region: string }>({
      id: 'x',
      displayName: 'X',
      configSchema: emptyObjectSchema,
      authentication: 'bearer',
      fingerprintFields: ['id'],
      samples: [{ name: 's', body: {} }],
      parse: (_req, ctx) => {
        expectTypeOf(ctx.config.region).toEqualTypeOf<string>();
        expectTypeOf(ctx.secret).toEqualTypeOf<string | undefined>();
        return [];
      },
    });
    expectTypeOf(adapter).toEqualTypeOf<AlertAdapter<{ region: string }>>();
    expectTypeOf(adapter.parse).parameter(0).toEqualTypeOf<WebhookRequest>();
    expectTypeOf(adapter.parse).returns.toEqualTypeOf<NormalizedAlert[]>();
    expectTypeOf<AlertAdapter['verify']>().toEqualTypeOf<AlertAdapter['verify']>();
  });

  it('a normalized alert has a closed set of severities and statuses', () => {
    expectTypeOf<NormalizedAlert['severity']>().toEqualTypeOf<
      'critical' | 'high' | 'warning' | 'info'
    >();
    expectTypeOf<NormalizedAlert['status']>().toEqualTypeOf<'firing' | 'resolved'>();
  });

  it('tool execute receives typed credentials and returns a ToolResult promise', () => {
    const provider = defineToolProvider<{ host: string }>({
      id: 'ssh',
      displayName: 'SSH',
      credentialSchema: emptyObjectSchema,
      tools: [
        {
          name: 'run',
          description: 'run',
          inputSchema: emptyObjectSchema,
          readOnly: false,
          execute: async (ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<ToolContext<{ host: string }>>();
            return { text: ctx.credentials.host };
          },
        },
      ],
    });
    expectTypeOf(provider).toEqualTypeOf<ToolProvider<{ host: string }>>();
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

  it('a notifier gets incident events and its typed config', () => {
    const notifier = defineNotifier<{ channel: string }>({
      id: 'n',
      displayName: 'N',
      configSchema: emptyObjectSchema,
      onIncidentEvent: async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<IncidentEvent>();
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
