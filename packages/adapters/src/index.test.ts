import { PluginHost } from '@akmatori/core';
import { execFileSync } from 'node:child_process';
import { checkAlertAdapterContract } from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import * as adapters from './index.js';

// The public API is exactly these names. A change here is a change to what the app and
// plugin authors depend on: make it on purpose.
describe('@akmatori/adapters exports', () => {
  it('exports exactly the five adapters and the plugin', () => {
    expect(Object.keys(adapters).sort()).toEqual(
      [
        'alertmanagerAdapter',
        'builtinAdapters',
        'datadogAdapter',
        'grafanaAdapter',
        'pagerdutyAdapter',
        'zabbixAdapter',
      ].sort(),
    );
  });

  it('bundles all five adapters in the builtin plugin', () => {
    const plugin = adapters.builtinAdapters();
    expect(plugin).toMatchObject({ name: '@akmatori/adapters', coreVersion: '^0.1.0' });
    expect(plugin.adapters?.map((adapter) => adapter.id)).toEqual([
      'alertmanager',
      'grafana',
      'pagerduty',
      'datadog',
      'zabbix',
    ]);
  });

  it('registers with the plugin host, whose validation accepts every adapter and schema', () => {
    const host = new PluginHost();
    host.register(adapters.builtinAdapters());
    for (const id of ['alertmanager', 'grafana', 'pagerduty', 'datadog', 'zabbix']) {
      expect(host.adapter(id)?.id).toBe(id);
    }
    expect(
      host.checkSchema('adapter', 'grafana', 'configSchema', { timestamp_header: 'X-Ts' }),
    ).toMatchObject({
      valid: true,
    });
    expect(
      host.checkSchema('adapter', 'grafana', 'configSchema', { signature: 'x' }),
    ).toMatchObject({
      valid: false,
    });
    expect(host.checkSchema('adapter', 'datadog', 'configSchema', {})).toMatchObject({
      valid: true,
    });
  });

  it('passes the adapter contract for every bundled adapter', () => {
    for (const adapter of adapters.builtinAdapters().adapters ?? []) {
      expect(checkAlertAdapterContract(adapter), adapter.id).toEqual([]);
    }
  });

  it('blocks deep imports through the exports map', () => {
    const deepImport = (): string =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('@akmatori/adapters/dist/zabbix/adapter.js')"],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    expect(deepImport).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
