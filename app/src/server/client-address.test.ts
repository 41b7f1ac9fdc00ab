import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { addressBucket, proxyTrust } from './client-address.js';

/** What `request.ip` is for a request from `remoteAddress` carrying `forwardedFor`. */
async function clientAddress(
  hops: number,
  remoteAddress: string,
  forwardedFor?: string,
): Promise<string> {
  const app = Fastify({ trustProxy: proxyTrust(hops) });
  app.get('/', async (request) => ({ ip: request.ip }));
  try {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      remoteAddress,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    });
    return response.json<{ ip: string }>().ip;
  } finally {
    await app.close();
  }
}

describe('the client address from trusted proxy hops', () => {
  it('with 0 hops is the socket address, whatever X-Forwarded-For says', async () => {
    expect(await clientAddress(0, '198.51.100.9', '203.0.113.1')).toBe('198.51.100.9');
    expect(await clientAddress(0, '198.51.100.9')).toBe('198.51.100.9');
  });

  it('with 1 hop is the entry the proxy appended, never one the client wrote before it', async () => {
    expect(await clientAddress(1, '10.0.0.2', '203.0.113.1')).toBe('203.0.113.1');
    expect(await clientAddress(1, '10.0.0.2', '192.0.2.66, 203.0.113.1')).toBe('203.0.113.1');
  });

  it('with 2 hops is the entry before the inner proxy', async () => {
    expect(await clientAddress(2, '10.0.0.2', '192.0.2.66, 203.0.113.1, 10.0.0.1')).toBe(
      '203.0.113.1',
    );
  });

  it('with more hops than entries is the leftmost entry', async () => {
    expect(await clientAddress(3, '10.0.0.2', '203.0.113.1')).toBe('203.0.113.1');
  });

  it('with hops but no X-Forwarded-For is the socket address (the proxy itself)', async () => {
    expect(await clientAddress(1, '10.0.0.2')).toBe('10.0.0.2');
  });
});

describe('the unit an address is counted by', () => {
  it('is an IPv4 address itself, also when IPv4-mapped', () => {
    expect(addressBucket('192.0.2.7')).toBe('192.0.2.7');
    expect(addressBucket('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressBucket('::ffff:c000:207')).toBe('192.0.2.7');
  });

  it('is the /64 of an IPv6 address', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves anything that is not an IP address as it is', () => {
    expect(addressBucket('unknown')).toBe('unknown');
  });
});
