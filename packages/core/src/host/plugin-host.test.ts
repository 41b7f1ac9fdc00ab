import { describe, expect, it } from 'vitest';
import { defineAlertAdapter } from '../contracts/alert-adapter.js';
import { defineNotifier } from '../contracts/notifier.js';
import { definePlugin, type AkmatoriPlugin } from '../contracts/plugin.js';
import { defineRunner } from '../contracts/runner.js';
import { emptyObjectSchema, type ObjectSchema } from '../contracts/schema.js';
import { defineToolProvider } from '../contracts/tool-provider.js';
import type { AkmatoriError } from '../errors/akmatori-error.js';
import { CoreErrors } from '../errors/catalog.js';
import { PluginHost } from './plugin-host.js';

const adapter = (id: string, configSchema: unknown = emptyObjectSchema) =>
  defineAlertAdapter({
    id,
    displayName: `Adapter ${id}`,
    configSchema: configSchema as never,
    authentication: 'Authorization: Bearer <secret>',
    fingerprintFields: ['id'],
    samples: [{ name: 'one', body: { id: 1 } }],
    parse: () => [],
  });

const notifier = defineNotifier({
  id: 'audit',
  displayName: 'Audit',
  configSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri', description: 'Where to post' },
      token: { type: 'string', secret: true },
    },
    required: ['url'],
  },
  onIncidentEvent: async () => {},
});

const tools = defineToolProvider({
  id: 'clock',
  displayName: 'Clock',
  credentialSchema: emptyObjectSchema,
  tools: [
    {
      name: 'now',
      description: 'Current time',
      inputSchema: emptyObjectSchema,
      readOnly: true,
      execute: async () => ({ text: 'now' }),
    },
  ],
});

const runner = defineRunner({
  id: 'echo',
  displayName: 'Echo',
  start: () => ({ events: (async function* () {})(), cancel: async () => {} }),
});

const registrationError = (host: PluginHost, plugin: AkmatoriPlugin): AkmatoriError => {
  try {
    host.register(plugin);
  } catch (error) {
    return error as AkmatoriError;
  }
  throw new Error(`expected registering ${plugin.name} to fail`);
};

describe('PluginHost registration', () => {
  it('registers every kind of contribution and finds each by id', () => {
    const host = new PluginHost({ coreVersion: '0.1.0' });
    host.register(
      definePlugin({
        name: 'acme',
        version: '1.2.3',
        coreVersion: '^0.1.0',
        adapters: [adapter('a')],
        tools: [tools],
        runners: [runner],
        notifiers: [notifier],
      }),
    );
    expect(host.adapter('a')?.displayName).toBe('Adapter a');
    expect(host.toolProvider('clock')?.tools[0]?.name).toBe('now');
    expect(host.runner('echo')).toBe(runner);
    expect(host.notifier('audit')).toBe(notifier);
    expect(host.plugins).toEqual([
      {
        name: 'acme',
        version: '1.2.3',
        adapters: ['a'],
        tools: ['clock'],
        runners: ['echo'],
        notifiers: ['audit'],
      },
    ]);
  });

  it('rejects an id another plugin already registered, naming both plugins', () => {
    const host = new PluginHost();
    host.register(definePlugin({ name: 'first', adapters: [adapter('dup')] }));
    const error = registrationError(
      host,
      definePlugin({ name: 'second', adapters: [adapter('dup')] }),
    );
    expect(error.code).toBe(CoreErrors.AKM_PLUGIN_DUPLICATE_ID.code);
    expect(error.message).toBe(
      'Plugin "second" registers adapter "dup", which plugin "first" already registered',
    );
  });

  it('rejects a plugin that registers the same id twice itself', () => {
    const error = registrationError(
      new PluginHost(),
      definePlugin({ name: 'twice', adapters: [adapter('x'), adapter('x')] }),
    );
    expect(error.code).toBe('AKM_PLUGIN_DUPLICATE_ID');
  });

  it('allows the same id across different kinds', () => {
    const host = new PluginHost();
    host.register(definePlugin({ name: 'p', adapters: [adapter('echo')], runners: [runner] }));
    expect(host.adapter('echo')).toBeDefined();
    expect(host.runner('echo')).toBeDefined();
  });

  it('rejects a plugin registered twice by name', () => {
    const host = new PluginHost();
    host.register(definePlugin({ name: 'same' }));
    expect(registrationError(host, definePlugin({ name: 'same' })).code).toBe(
      'AKM_PLUGIN_DUPLICATE_NAME',
    );
  });

  it('rejects a plugin whose core version range excludes this core', () => {
    const error = registrationError(
      new PluginHost({ coreVersion: '0.1.0' }),
      definePlugin({ name: 'future', coreVersion: '^2.0.0' }),
    );
    expect(error.code).toBe(CoreErrors.AKM_PLUGIN_CORE_VERSION.code);
    expect(error.message).toBe('Plugin "future" requires @akmatori/core ^2.0.0, but this is 0.1.0');
  });

  it('rejects a core version that is not a semver range', () => {
    const error = registrationError(
      new PluginHost(),
      definePlugin({ name: 'sloppy', coreVersion: 'latest please' }),
    );
    expect(error.code).toBe('AKM_PLUGIN_INVALID');
  });

  it('rejects a config schema with an unknown keyword (a typo) and says where', () => {
    const error = registrationError(
      new PluginHost(),
      definePlugin({
        name: 'typo',
        adapters: [
          adapter('t', { type: 'object', properties: { url: { type: 'string', formt: 'uri' } } }),
        ],
      }),
    );
    expect(error.code).toBe(CoreErrors.AKM_PLUGIN_INVALID_SCHEMA.code);
    expect(error.message).toMatch(/adapter "t" has an invalid configSchema: .*formt/);
  });

  it('rejects a config schema that is not an object schema', () => {
    const error = registrationError(
      new PluginHost(),
      definePlugin({ name: 'flat', adapters: [adapter('f', { type: 'string' })] }),
    );
    expect(error.code).toBe('AKM_PLUGIN_INVALID_SCHEMA');
    expect(error.message).toContain('type "object"');
  });

  it('rejects an invalid tool input schema', () => {
    const bad = defineToolProvider({
      ...tools,
      id: 'bad-tools',
      tools: [
        {
          ...tools.tools[0]!,
          inputSchema: { type: 'object', properties: { n: { type: 'nonsense' } } } as never,
        },
      ],
    });
    const error = registrationError(new PluginHost(), definePlugin({ name: 'bt', tools: [bad] }));
    expect(error.code).toBe('AKM_PLUGIN_INVALID_SCHEMA');
    expect(error.message).toContain('inputSchema of tool "now"');
  });

  it('registers a credential schema whose destinations name its secret fields', () => {
    const host = new PluginHost();
    const credentialSchema: ObjectSchema = {
      type: 'object',
      properties: {
        url: { type: 'string', destinationOf: ['token'] },
        token: { type: 'string', secret: true },
      },
    };
    host.register(
      definePlugin({ name: 'dest', tools: [defineToolProvider({ ...tools, credentialSchema })] }),
    );
    expect(host.toolProvider('clock')?.credentialSchema).toEqual(credentialSchema);
  });

  it('refuses a destinationOf that names a field which is not a secret of the schema', () => {
    const bad = defineToolProvider({
      ...tools,
      credentialSchema: {
        type: 'object',
        properties: {
          hosts: {
            type: 'array',
            items: {
              type: 'object',
              properties: { address: { type: 'string', destinationOf: ['passwd'] } },
            },
          },
          user: { type: 'string' },
          password: { type: 'string', secret: true },
        },
      },
    });
    const error = registrationError(new PluginHost(), definePlugin({ name: 'd', tools: [bad] }));
    expect(error.code).toBe('AKM_PLUGIN_INVALID_SCHEMA');
    expect(error.message).toContain(
      'credentialSchema: destinationOf names "passwd", which is not a top-level secret field',
    );
  });

  it('registers a tool provider that offers no tools yet (a credential type only)', () => {
    const host = new PluginHost();
    host.register(
      definePlugin({
        name: 'empty',
        tools: [defineToolProvider({ ...tools, id: 'bare', tools: [] })],
      }),
    );
    expect(host.toolProvider('bare')?.tools).toEqual([]);
  });

  it('still refuses a tool with a bad name', () => {
    const bad = defineToolProvider({
      ...tools,
      id: 'bad-name',
      tools: [{ ...tools.tools[0]!, name: 'Run Command' }],
    });
    const error = registrationError(new PluginHost(), definePlugin({ name: 'bn', tools: [bad] }));
    expect(error.code).toBe('AKM_PLUGIN_INVALID');
    expect(error.message).toContain('"Run Command": use a-z, 0-9 and _');
  });

  it('refuses a tool provider whose tools are not a list', () => {
    const bad = { ...tools, id: 'no-list', tools: undefined } as never;
    const error = registrationError(new PluginHost(), definePlugin({ name: 'nl', tools: [bad] }));
    expect(error.code).toBe('AKM_PLUGIN_INVALID');
    expect(error.message).toContain('must list its tools');
  });

  it('lists every shape problem at once', () => {
    const broken = {
      id: 'Bad Id',
      displayName: '',
      configSchema: emptyObjectSchema,
      samples: [],
      fingerprintFields: [],
    } as never;
    const error = registrationError(
      new PluginHost(),
      definePlugin({ name: 'broken', adapters: [broken] }),
    );
    expect(error.code).toBe('AKM_PLUGIN_INVALID');
    for (const fragment of [
      'lowercase letters',
      'needs a displayName',
      'needs a parse() function',
      'at least one sample',
      'fingerprintFields',
      'authenticate',
    ]) {
      expect(error.message).toContain(fragment);
    }
  });

  it('registers nothing from a plugin that fails validation', () => {
    const host = new PluginHost();
    registrationError(
      host,
      definePlugin({
        name: 'half',
        adapters: [
          adapter('good'),
          adapter('bad', { type: 'object', properties: { x: { type: 'wat' } } }),
        ],
      }),
    );
    expect(host.adapter('good')).toBeUndefined();
    expect(host.plugins).toEqual([]);
    host.register(definePlugin({ name: 'half', adapters: [adapter('good')] }));
    expect(host.adapter('good')).toBeDefined();
  });

  it('checks values against a registered schema, with the secret and description annotations allowed', () => {
    const host = new PluginHost();
    host.register(definePlugin({ name: 'n', notifiers: [notifier] }));
    expect(
      host.checkSchema('notifier', 'audit', 'configSchema', { url: 'https://x.example' }),
    ).toEqual({ valid: true });
    const bad = host.checkSchema('notifier', 'audit', 'configSchema', { url: 'not a url' });
    expect(bad.valid).toBe(false);
  });
});
