import { isIPv4, isIPv6 } from 'node:net';

/** Fastify's `trustProxy` option as a function: whether to believe the hop at `hop` (0 = the socket). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * Fastify's `trustProxy` for `hops` trusted reverse proxies (`AKMATORI_TRUSTED_PROXY_HOPS`).
 * The client address (`request.ip`) is then the socket's address with 0 hops, the last
 * `X-Forwarded-For` entry with 1 (the one our proxy appended), the one before it with 2, and
 * so on; entries further left, which the client wrote itself, are never believed. With fewer
 * entries than hops the leftmost one is taken. A function is passed because Fastify (5.12.1 on)
 * no longer honours a number here: it treats one as "trust nothing".
 *
 * Hop counting cannot tell a proxy from a client: the API port must be reachable only through
 * those proxies, or a client connecting directly could write its own address.
 *
 * @example
 * ```ts
 * Fastify({ trustProxy: proxyTrust(1) }); // behind one nginx
 * ```
 */
export function proxyTrust(hops: number): false | ProxyTrust {
  if (hops === 0) return false;
  return (_address, hop) => hop < hops;
}

/**
 * The unit a client address is counted by: an IPv4 address itself (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address by its /64, since one subscriber usually holds
 * a whole /64. Anything else is returned as it is.
 *
 * @example
 * ```ts
 * addressBucket('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * addressBucket('::ffff:192.0.2.7'); // '192.0.2.7'
 * ```
 */
export function addressBucket(address: string): string {
  if (isIPv4(address)) return address;
  const bare = address.split('%')[0] ?? address;
  if (!isIPv6(bare)) return address;
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6] ?? 0, groups[7] ?? 0];
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (zone id already removed). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const written = [...part(head), ...(tail === undefined ? [] : part(tail))];
  const zeros = tail === undefined ? [] : Array<string>(8 - written.length).fill('0');
  return [...part(head), ...zeros, ...(tail === undefined ? [] : part(tail))].map((g) =>
    Number.parseInt(g, 16),
  );
}
