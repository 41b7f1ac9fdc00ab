// @vitest-environment jsdom
import {
  alertmanagerAdapter,
  grafanaAdapter,
  pagerdutyAdapter,
  zabbixAdapter,
} from '@akmatori/adapters';
import { sshCredentialSchema, zabbixCredentialSchema } from '@akmatori/tools';
import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import SchemaForm from '../src/schema-form/SchemaForm.vue';
import type { SchemaNode } from '../src/schema-form/schema-node';

type Form = VueWrapper<InstanceType<typeof SchemaForm>>;

// Unmounted after each test, so naive-ui's observers stop before jsdom is torn down.
enableAutoUnmount(afterEach);

function mountForm(schema: unknown, initial?: unknown): Form {
  return mount(SchemaForm, {
    props: { schema: schema as SchemaNode, initial, idPrefix: 'f' },
    attachTo: document.body,
  });
}

/** The value the form last said it would send. */
function lastValue(form: Form): Record<string, unknown> {
  const emitted = form.emitted('update:value') ?? [];
  expect(emitted.length, 'the form emits its value').toBeGreaterThan(0);
  return emitted[emitted.length - 1]![0] as Record<string, unknown>;
}

async function type(form: Form, id: string, text: string): Promise<void> {
  const input = form.find(`#${id}`);
  expect(input.exists(), `an input #${id}`).toBe(true);
  await input.setValue(text);
  await flushPromises();
}

function labels(form: Form): string[] {
  return form.findAll('label').map((label) => label.text().replace(/\s*\*\s*$/, ''));
}

const zabbix = zabbixCredentialSchema as unknown as SchemaNode;
const ssh = sshCredentialSchema as unknown as SchemaNode;

describe('a form generated from the Zabbix tool type', () => {
  it('draws a labelled field for each setting, the secrets as password inputs', () => {
    const form = mountForm(zabbix);
    expect(labels(form)).toEqual(expect.arrayContaining(['API URL', 'API token', 'Username']));
    expect(form.find('#f-api_url').attributes('type')).toBe('text');
    expect(form.find('#f-api_token').attributes('type')).toBe('password');
    expect(form.find('#f-password').attributes('type')).toBe('password');
    expect(form.text()).toContain('URL of the API, e.g. https://zabbix.example.com');
    expect(form.text()).toContain('Verify TLS');
  });

  it('marks the required API URL and names it when the form is checked empty', async () => {
    const form = mountForm(zabbix);
    expect(form.find('[data-field="api_url"]').find('.n-form-item-label__asterisk').exists()).toBe(
      true,
    );
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="api_url"]').text()).toContain('Required');
  });

  it('refuses a URL that is not one and accepts a real one', async () => {
    const form = mountForm(zabbix);
    await type(form, 'f-api_url', 'zabbix.local');
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="api_url"]').text()).toContain('A full URL');
    await type(form, 'f-api_url', 'https://zabbix.example.com/api_jsonrpc.php');
    expect(form.vm.validate()).toBe(true);
  });

  it('emits the settings to send: typed text, the default TLS check, no blank fields', async () => {
    const form = mountForm(zabbix);
    await type(form, 'f-api_url', 'https://zabbix.example.com/api_jsonrpc.php');
    await type(form, 'f-api_token', 's3cret-token');
    expect(lastValue(form)).toEqual({
      api_url: 'https://zabbix.example.com/api_jsonrpc.php',
      api_token: 's3cret-token',
      verify_tls: true,
    });
  });

  it('unticking a checkbox sends false', async () => {
    const form = mountForm(zabbix);
    await form.find('#f-verify_tls').trigger('click');
    await flushPromises();
    expect(lastValue(form).verify_tls).toBe(false);
  });
});

describe('secrets on edit', () => {
  const stored = {
    api_url: 'https://zabbix.example.com/api_jsonrpc.php',
    api_token: { set: true },
    verify_tls: false,
  };

  it('shows a stored secret as set without any value in the input', () => {
    const form = mountForm(zabbix, stored);
    const token = form.find('#f-api_token');
    expect((token.element as HTMLInputElement).value).toBe('');
    expect(token.attributes('placeholder')).toContain('Leave blank to keep');
    expect(form.find('[data-field="api_token"] [data-testid="secret-set"]').text()).toBe('set');
    expect(form.find('[data-field="password"] [data-testid="secret-set"]').exists()).toBe(false);
    expect(form.html()).not.toContain('"set"');
  });

  it('leaves a blank stored secret out of the value, so the API keeps it', async () => {
    const form = mountForm(zabbix, stored);
    await type(form, 'f-username', 'akmatori');
    expect(lastValue(form)).toEqual({
      api_url: 'https://zabbix.example.com/api_jsonrpc.php',
      username: 'akmatori',
      verify_tls: false,
    });
    expect(form.vm.validate()).toBe(true);
  });

  it('sends a new value typed over a stored secret', async () => {
    const form = mountForm(zabbix, stored);
    await type(form, 'f-api_token', 'rotated');
    expect(lastValue(form).api_token).toBe('rotated');
  });

  it('accepts a required secret left blank when it is stored, not when it is not', async () => {
    const schema = {
      type: 'object',
      required: ['token'],
      properties: { token: { type: 'string', writeOnly: true } },
    };
    expect(mountForm(schema, { token: { set: true } }).vm.validate()).toBe(true);
    const fresh = mountForm(schema);
    expect(fresh.vm.validate()).toBe(false);
    await flushPromises();
    expect(fresh.find('[data-field="token"]').text()).toContain('Required');
  });
});

describe('a form generated from the SSH tool type', () => {
  it('starts with one host, its required fields marked, and a key as a multi-line secret', () => {
    const form = mountForm(ssh);
    expect(form.find('[data-field="hosts.0"]').exists()).toBe(true);
    for (const field of ['name', 'address', 'user'])
      expect(
        form.find(`[data-field="hosts.0.${field}"] .n-form-item-label__asterisk`).exists(),
        `hosts.0.${field} is marked required`,
      ).toBe(true);
    expect(form.find('#f-private_key').element.tagName).toBe('TEXTAREA');
    expect(form.find('#f-password').attributes('type')).toBe('password');
  });

  it('validates each host: required fields, the name pattern and the port range', async () => {
    const form = mountForm(ssh);
    await type(form, 'f-hosts-0-name', 'web 1');
    await form.find('#f-hosts-0-port').setValue('70000');
    await form.find('#f-hosts-0-port').trigger('blur');
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="hosts.0.name"]').text()).toContain('Does not match');
    expect(form.find('[data-field="hosts.0.address"]').text()).toContain('Required');
    expect(form.find('[data-field="hosts.0.user"]').text()).toContain('Required');
    expect(form.find('[data-field="hosts.0.port"]').text()).toContain('At most 65535');
  });

  it('adds and removes hosts, and emits the list of hosts with their typed fields', async () => {
    const form = mountForm(ssh);
    await type(form, 'f-hosts-0-name', 'web-1');
    await type(form, 'f-hosts-0-address', '10.0.0.5');
    await type(form, 'f-hosts-0-user', 'akmatori');
    await form.find('#f-hosts-0-trust_on_first_use').trigger('click');
    await type(form, 'f-password', 'hunter2');
    const add = form.findAll('button').find((button) => button.text() === 'Add host');
    expect(add, 'an Add host button').toBeDefined();
    await add!.trigger('click');
    await flushPromises();
    expect(form.find('#f-hosts-1-name').exists()).toBe(true);
    const remove = form.findAll('button').find((button) => button.text() === 'Remove host 2');
    await remove!.trigger('click');
    await flushPromises();
    expect(form.find('#f-hosts-1-name').exists()).toBe(false);
    expect(lastValue(form)).toEqual({
      hosts: [
        {
          name: 'web-1',
          address: '10.0.0.5',
          port: 22,
          user: 'akmatori',
          allow_root: false,
          trust_on_first_use: true,
          allow_write: false,
        },
      ],
      network_allowlist: [],
      password: 'hunter2',
    });
    expect(form.vm.validate()).toBe(true);
  });

  it('edits the network allowlist as a list of strings', async () => {
    const form = mountForm(ssh, {
      hosts: [{ name: 'a', address: 'a', user: 'u', trust_on_first_use: true }],
      network_allowlist: ['*.example.com'],
      private_key: { set: true },
    });
    const entries = form.findAll('[data-field="network_allowlist"] input');
    expect(entries.map((input) => (input.element as HTMLInputElement).value)).toEqual([
      '*.example.com',
    ]);
    await entries[0]!.setValue('grafana.example.com:3000');
    await flushPromises();
    expect(lastValue(form).network_allowlist).toEqual(['grafana.example.com:3000']);
    expect(lastValue(form)).not.toHaveProperty('private_key');
    expect(form.find('[data-field="private_key"] [data-testid="secret-set"]').exists()).toBe(true);
  });
});

describe('forms generated from the alert source types', () => {
  it('say so when a type has no settings (Alertmanager, PagerDuty) and send {}', () => {
    for (const adapter of [alertmanagerAdapter, pagerdutyAdapter]) {
      const form = mountForm(adapter.configSchema);
      expect(form.text()).toContain('This type has no settings.');
      expect(lastValue(form)).toEqual({});
      expect(form.vm.validate()).toBe(true);
    }
  });

  it('label Grafana headers by their titles and leave blank ones out', async () => {
    const form = mountForm(grafanaAdapter.configSchema);
    expect(labels(form)).toEqual(['Signature header', 'Timestamp header']);
    await type(form, 'f-timestamp_header', 'X-Ts');
    expect(lastValue(form)).toEqual({ timestamp_header: 'X-Ts' });
  });

  it('fill the Zabbix time zone with its default', () => {
    const form = mountForm(zabbixAdapter.configSchema);
    expect((form.find('#f-time_zone').element as HTMLInputElement).value).toBe('UTC');
    expect(lastValue(form)).toEqual({ time_zone: 'UTC' });
  });
});

describe('other field kinds', () => {
  const schema = {
    type: 'object',
    required: ['mode'],
    properties: {
      mode: { type: 'string', enum: ['pull', 'push'], description: 'How data moves' },
      retries: { type: 'integer', minimum: 0, maximum: 5 },
      limits: {
        type: 'object',
        title: 'Limits',
        required: ['rate'],
        properties: { rate: { type: 'number', minimum: 0.5 } },
      },
      extra: { description: 'anything' },
    },
  };

  it('draws choices as radio buttons and sends the one picked', async () => {
    const form = mountForm(schema);
    expect(form.findAll('[data-field="mode"] input[type="radio"]')).toHaveLength(2);
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="mode"]').text()).toContain('Required');
    await form.findAll('[data-field="mode"] input[type="radio"]')[1]!.setValue(true);
    await flushPromises();
    expect(lastValue(form).mode).toBe('push');
  });

  it('checks number ranges inside nested objects and parses JSON fields', async () => {
    const form = mountForm(schema);
    expect(form.find('fieldset[data-field="limits"] legend').text()).toBe('Limits');
    await form.find('#f-limits-rate').setValue('0.1');
    await form.find('#f-limits-rate').trigger('blur');
    await type(form, 'f-extra', '{"a": [1, 2]}');
    await form.findAll('[data-field="mode"] input[type="radio"]')[0]!.setValue(true);
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="limits.rate"]').text()).toContain('At least 0.5');
    await form.find('#f-limits-rate').setValue('2');
    await form.find('#f-limits-rate').trigger('blur');
    await flushPromises();
    expect(form.vm.validate()).toBe(true);
    expect(lastValue(form)).toEqual({ mode: 'pull', limits: { rate: 2 }, extra: { a: [1, 2] } });
  });
});

describe('removing a stored secret', () => {
  const stored = {
    hosts: [{ name: 'a', address: 'a', user: 'u', trust_on_first_use: true }],
    private_key: { set: true },
    passphrase: { set: true },
  };
  const button = (form: Form, field: string, text: string) =>
    form
      .find(`[data-field="${field}"]`)
      .findAll('button')
      .find((b) => b.text() === text);

  it('sends null for a removed secret, and keeps it again on Keep', async () => {
    const form = mountForm(ssh, stored);
    expect(lastValue(form)).not.toHaveProperty('passphrase');
    await button(form, 'passphrase', 'Remove')!.trigger('click');
    await flushPromises();
    expect(lastValue(form).passphrase).toBeNull();
    expect(form.find('#f-passphrase').attributes('placeholder')).toContain('Will be removed');
    expect(form.find('[data-field="passphrase"] [data-testid="secret-set"]').exists()).toBe(false);
    await button(form, 'passphrase', 'Keep')!.trigger('click');
    await flushPromises();
    expect(lastValue(form)).not.toHaveProperty('passphrase');
  });

  it('names a required secret that was removed', async () => {
    const schema = {
      type: 'object',
      required: ['token'],
      properties: { token: { type: 'string', secret: true } },
    };
    const form = mountForm(schema, { token: { set: true } });
    await button(form, 'token', 'Remove')!.trigger('click');
    expect(form.vm.validate()).toBe(false);
    await flushPromises();
    expect(form.find('[data-field="token"]').text()).toContain('Required');
  });

  it('offers no Remove for a secret that is not stored', () => {
    const form = mountForm(ssh, stored);
    expect(button(form, 'password', 'Remove')).toBeUndefined();
  });
});
