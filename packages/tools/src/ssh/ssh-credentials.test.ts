import { PluginHost, definePlugin } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { sshCredentialProblems } from './ssh-credentials.js';
import { sshTools } from './ssh-tools.js';

const fingerprint = 'SHA256:' + 'a'.repeat(43);
const web = {
  name: 'web',
  address: 'web1.example.com',
  user: 'akmatori',
  host_key_fingerprint: fingerprint,
};

const host = new PluginHost();
host.register(definePlugin({ name: 'ssh-only', tools: [sshTools] }));
const schemaAccepts = (settings: unknown): boolean =>
  host.checkSchema('tool provider', 'ssh', 'credentialSchema', settings).valid;

describe('ssh credentials', () => {
  it('accept a host with a fingerprint and a private key', () => {
    const settings = { hosts: [web], private_key: 'KEY' };
    expect(schemaAccepts(settings)).toBe(true);
    expect(sshCredentialProblems(settings)).toEqual([]);
  });

  it('accept trust on first use instead of a fingerprint, and a password instead of a key', () => {
    const settings = {
      hosts: [{ name: 'db', address: '10.0.0.5', user: 'ops', trust_on_first_use: true }],
      password: 'pw',
    };
    expect(schemaAccepts(settings)).toBe(true);
    expect(sshCredentialProblems(settings)).toEqual([]);
  });

  it('refuse root unless allow_root is true', () => {
    const settings = { hosts: [{ ...web, user: 'root' }], private_key: 'KEY' };
    expect(schemaAccepts(settings)).toBe(false);
    expect(sshCredentialProblems(settings)).toEqual([
      'hosts.0.user is root but allow_root is not true',
    ]);
    const allowed = { hosts: [{ ...web, user: 'root', allow_root: true }], private_key: 'KEY' };
    expect(schemaAccepts(allowed)).toBe(true);
    expect(sshCredentialProblems(allowed)).toEqual([]);
  });

  it('need a host key fingerprint unless trust_on_first_use', () => {
    const settings = { hosts: [{ name: 'web', address: 'w', user: 'u' }], private_key: 'KEY' };
    expect(schemaAccepts(settings)).toBe(false);
    expect(sshCredentialProblems(settings)).toEqual([
      'hosts.0.host_key_fingerprint is required unless trust_on_first_use is true',
    ]);
  });

  it('refuse a fingerprint not in ssh-keygen SHA256 form', () => {
    expect(
      schemaAccepts({ hosts: [{ ...web, host_key_fingerprint: 'MD5:aa:bb' }], private_key: 'K' }),
    ).toBe(false);
  });

  it('need a private key or a password', () => {
    const settings = { hosts: [web] };
    expect(schemaAccepts(settings)).toBe(false);
    expect(sshCredentialProblems(settings)).toEqual(['private_key or password is required']);
  });

  it('need jump_host to name another host, without loops', () => {
    const a = { ...web, name: 'a', jump_host: 'b' };
    const b = { ...web, name: 'b', jump_host: 'a' };
    expect(
      sshCredentialProblems({ hosts: [{ ...web, jump_host: 'bastion' }], password: 'p' }),
    ).toEqual(['hosts.0.jump_host "bastion" is not a host in this list']);
    expect(sshCredentialProblems({ hosts: [{ ...web, jump_host: 'web' }], password: 'p' })).toEqual(
      ['hosts.0.jump_host names the host itself'],
    );
    expect(sshCredentialProblems({ hosts: [a, b], password: 'p' })).toEqual([
      'hosts.0.jump_host makes a loop of jump hosts',
      'hosts.1.jump_host makes a loop of jump hosts',
    ]);
    expect(
      sshCredentialProblems({
        hosts: [
          { ...web, name: 'bastion' },
          { ...web, jump_host: 'bastion' },
        ],
        password: 'p',
      }),
    ).toEqual([]);
  });

  it('need unique host names', () => {
    expect(sshCredentialProblems({ hosts: [web, web], password: 'p' })).toEqual([
      'hosts.1.name "web" is used by another host',
    ]);
  });

  it('accept a network allowlist of hosts, domains, ports and URL prefixes', () => {
    const settings = {
      hosts: [web],
      private_key: 'KEY',
      network_allowlist: [
        'grafana.internal',
        '*.example.com',
        '10.0.0.5:9090',
        '[::1]:8080',
        'https://status.example.com/api/',
      ],
    };
    expect(schemaAccepts(settings)).toBe(true);
    expect(sshCredentialProblems(settings)).toEqual([]);
  });

  it('name a network allowlist entry that cannot be read', () => {
    const settings = { hosts: [web], private_key: 'KEY', network_allowlist: ['ftp://x', 'a b'] };
    expect(sshCredentialProblems(settings)).toEqual([
      'network_allowlist entry "ftp://x": only http:// and https:// URLs can be listed',
    ]);
  });
});
