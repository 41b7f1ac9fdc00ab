import { describe, expect, it } from 'vitest';
import { networkAllowlist, type NetworkAllowlist } from './network-allowlist.js';

const list = networkAllowlist([
  'grafana.internal',
  '*.example.com',
  '10.0.0.5:9090',
  '[::1]:8080',
  'https://status.example.org/api/',
]) as NetworkAllowlist;

describe('the network allowlist', () => {
  it('allows listed hosts, names under a listed domain and listed ports', () => {
    expect(list.allowsHost('GRAFANA.internal.')).toBe(true);
    expect(list.allowsHost('a.b.example.com')).toBe(true);
    expect(list.allowsHost('example.com')).toBe(false);
    expect(list.allowsHost('evil-example.com')).toBe(false);
    expect(list.allowsHost('10.0.0.5', 9090)).toBe(true);
    expect(list.allowsHost('10.0.0.5', 22)).toBe(false);
    expect(list.allowsHost('10.0.0.5')).toBe(false);
  });

  it('allows URLs by host, port, scheme and path prefix', () => {
    expect(list.allowsUrl('https://status.example.org/api/v1?x=1')).toBe(true);
    expect(list.allowsUrl('https://status.example.org/admin')).toBe(false);
    expect(list.allowsUrl('http://status.example.org/api/')).toBe(false);
    expect(list.allowsUrl('http://10.0.0.5:9090/metrics')).toBe(true);
    expect(list.allowsUrl('http://[::1]:8080/')).toBe(true);
    expect(list.allowsUrl('http://grafana.internal:3000/')).toBe(true);
  });

  it('never allows user info, other schemes or hosts hidden behind "@"', () => {
    expect(list.allowsUrl('http://grafana.internal@evil.test/')).toBe(false);
    expect(list.allowsUrl('http://user:pw@grafana.internal/')).toBe(false);
    expect(list.allowsUrl('ftp://grafana.internal/')).toBe(false);
  });

  it('names the entry it cannot read', () => {
    expect(networkAllowlist(['ok.example', 'bad host'])).toBe(
      'network_allowlist entry "bad host": not a host name, address, host:port or URL',
    );
    expect(networkAllowlist(['x:99999'])).toContain('the port is not 1-65535');
  });
});
