import { PluginHost, definePlugin } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { zabbixCredentialProblems } from './zabbix-credentials.js';
import { zabbixTools } from './zabbix-tools.js';

const host = new PluginHost();
host.register(definePlugin({ name: 'zabbix-only', tools: [zabbixTools] }));
const schemaAccepts = (settings: unknown): boolean =>
  host.checkSchema('tool provider', 'zabbix', 'credentialSchema', settings).valid;
const api_url = 'https://zabbix.example.com/api_jsonrpc.php';

describe('zabbix credentials', () => {
  it('accept an API URL with a token', () => {
    expect(schemaAccepts({ api_url, api_token: 't', verify_tls: false })).toBe(true);
    expect(zabbixCredentialProblems({ api_url, api_token: 't' })).toEqual([]);
  });

  it('accept a username with a password', () => {
    expect(schemaAccepts({ api_url, username: 'u', password: 'p' })).toBe(true);
    expect(zabbixCredentialProblems({ api_url, username: 'u', password: 'p' })).toEqual([]);
  });

  it('need a token, or a username and a password', () => {
    expect(schemaAccepts({ api_url, username: 'u' })).toBe(false);
    expect(zabbixCredentialProblems({ api_url, username: 'u' })).toEqual([
      'api_token, or username and password, is required',
    ]);
  });

  it('refuse an API URL that is not an http(s) URL', () => {
    expect(schemaAccepts({ api_url: 'not a url', api_token: 't' })).toBe(false);
    expect(schemaAccepts({ api_url: 'ftp://zabbix/api', api_token: 't' })).toBe(false);
  });
});
