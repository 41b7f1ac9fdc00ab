import { PluginHost } from '@akmatori/core';
import { checkToolProviderContract } from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import * as tools from './index.js';
import {
  alertmanagerTools,
  builtinTools,
  prometheusTools,
  sshTools,
  zabbixTools,
} from './index.js';

describe('@akmatori/tools', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(tools).sort()).toEqual([
      'HostKeyTrustStore',
      'MAX_COMMAND_LENGTH',
      'alertmanagerCredentialSchema',
      'alertmanagerTools',
      'builtinTools',
      'createSshTools',
      'hostKeyFingerprint',
      'httpApiCredentialProblems',
      'judgeCommand',
      'prometheusCredentialSchema',
      'prometheusTools',
      'sshCredentialProblems',
      'sshCredentialSchema',
      'sshTools',
      'zabbixCredentialProblems',
      'zabbixCredentialSchema',
      'zabbixTools',
    ]);
  });

  it('registers the SSH, Zabbix, Prometheus and Alertmanager tool types, their schemas compiling under ajv strict mode', () => {
    const host = new PluginHost();
    host.register(builtinTools());
    expect(host.toolProviders.map((p) => p.id)).toEqual([
      'ssh',
      'zabbix',
      'prometheus',
      'alertmanager',
    ]);
    expect(host.toolProvider('prometheus')).toBe(prometheusTools);
    expect(host.toolProvider('alertmanager')).toBe(alertmanagerTools);
    expect(host.toolProvider('ssh')).toBe(sshTools);
    expect(host.toolProvider('zabbix')).toBe(zabbixTools);
  });

  it.each([
    ['ssh', sshTools],
    ['zabbix', zabbixTools],
    ['prometheus', prometheusTools],
    ['alertmanager', alertmanagerTools],
  ] as const)(
    '%s passes the tool provider contract (every credential and argument described)',
    (_id, provider) => {
      expect(checkToolProviderContract(provider)).toEqual([]);
    },
  );

  it('describes every credential field, and marks the secrets', () => {
    for (const provider of [sshTools, zabbixTools, prometheusTools, alertmanagerTools]) {
      for (const [name, property] of Object.entries(provider.credentialSchema.properties))
        expect(property.description, `${provider.id}.${name}`).toBeTruthy();
    }
    const secrets = (provider: { credentialSchema: typeof sshTools.credentialSchema }): string[] =>
      Object.entries(provider.credentialSchema.properties)
        .filter(([, p]) => p.secret === true)
        .map(([n]) => n);
    expect(secrets(sshTools)).toEqual(['private_key', 'password', 'passphrase']);
    expect(secrets(zabbixTools)).toEqual(['api_token', 'password']);
    for (const provider of [prometheusTools, alertmanagerTools])
      expect(secrets(provider)).toEqual(['bearer_token', 'password', 'tls_client_key']);
  });
});
