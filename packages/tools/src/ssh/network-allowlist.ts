/**
 * Network destinations a tool instance lets read-only commands reach (its
 * `network_allowlist` setting). Anything that can carry data to a destination not on the
 * list (a request, a DNS name, a ping) is not read-only.
 */
export interface NetworkAllowlist {
  /** The entries as configured, for messages. */
  readonly entries: readonly string[];
  /** Whether `host` (a name or an address) on `port` may be reached. */
  allowsHost(host: string, port?: number): boolean;
  /** Whether a request for `url` (absolute http or https) may be made. */
  allowsUrl(url: string): boolean;
}

/** What the read-only policy knows about where a command runs. */
export interface PolicyContext {
  /** Destinations read-only network commands may reach; empty by default. */
  readonly network: NetworkAllowlist;
}

interface Entry {
  /** Lower-case host name or address; `.example.com` for any name under example.com. */
  readonly host: string;
  readonly port?: number;
  /** For URL entries: scheme and path prefix. */
  readonly scheme?: string;
  readonly pathPrefix?: string;
}

/** Default ports of the URL schemes the policy lets through. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * Parses allowlist entries: `host`, `*.domain` (names under the domain), `host:port`,
 * `[v6]:port`, or an `http(s)://host[:port]/path` URL prefix. Returns the reason for the
 * first entry it cannot read.
 *
 * @example
 * ```ts
 * const list = networkAllowlist(['grafana.internal:3000', 'https://status.example.com/api/']);
 * if (typeof list !== 'string') list.allowsHost('grafana.internal', 3000); // true
 * ```
 */
export function networkAllowlist(entries: readonly string[] = []): NetworkAllowlist | string {
  const parsed: Entry[] = [];
  for (const entry of entries) {
    const read = readEntry(entry);
    if (typeof read === 'string')
      return `network_allowlist entry ${JSON.stringify(entry)}: ${read}`;
    parsed.push(read);
  }
  const hostMatches = (entry: Entry, host: string): boolean => {
    const name = normalizeHost(host);
    if (entry.host.startsWith('.'))
      return name.endsWith(entry.host) && name.length > entry.host.length;
    return name === entry.host;
  };
  return Object.freeze({
    entries: Object.freeze([...entries]),
    allowsHost: (host: string, port?: number) =>
      parsed.some(
        (entry) =>
          entry.scheme === undefined &&
          hostMatches(entry, host) &&
          (entry.port === undefined || entry.port === port),
      ),
    allowsUrl: (url: string) => {
      const target = readUrl(url);
      if (target === null) return false;
      return parsed.some((entry) => {
        if (!hostMatches(entry, target.host)) return false;
        if (entry.scheme === undefined)
          return entry.port === undefined || entry.port === target.port;
        return (
          entry.scheme === target.scheme &&
          (entry.port ?? DEFAULT_PORTS[entry.scheme]) === target.port &&
          target.path.startsWith(entry.pathPrefix ?? '/')
        );
      });
    },
  });
}

/** An allowlist that allows nothing: the default of an instance without the setting. */
export const EMPTY_NETWORK_ALLOWLIST = networkAllowlist([]) as NetworkAllowlist;

/** The default policy context: no network destination is allowed. */
export const DEFAULT_POLICY_CONTEXT: PolicyContext = Object.freeze({
  network: EMPTY_NETWORK_ALLOWLIST,
});

const HOST_NAME = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*\.?$/;
const IPV6 = /^[0-9a-f:.]+$/;

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

function readEntry(text: string): Entry | string {
  if (/^https?:\/\//i.test(text)) {
    const url = readUrl(text);
    if (url === null) return 'not a valid http(s) URL';
    return { host: url.host, port: url.port, scheme: url.scheme, pathPrefix: url.path };
  }
  if (text.includes('://')) return 'only http:// and https:// URLs can be listed';
  let host = text;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(text);
  if (v6 !== null) {
    host = v6[1] ?? '';
    if (v6[2] !== undefined) port = Number(v6[2]);
    if (!IPV6.test(host.toLowerCase())) return 'not an IPv6 address';
  } else {
    const colon = text.lastIndexOf(':');
    if (colon !== -1) {
      host = text.slice(0, colon);
      port = Number(text.slice(colon + 1));
      if (!/^[0-9]+$/.test(text.slice(colon + 1))) return 'the port is not a number';
    }
    if (!HOST_NAME.test(host.toLowerCase())) return 'not a host name, address, host:port or URL';
  }
  if (port !== undefined && (port < 1 || port > 65535)) return 'the port is not 1-65535';
  const name = normalizeHost(host);
  return {
    host: name.startsWith('*.') ? name.slice(1) : name,
    ...(port === undefined ? {} : { port }),
  };
}

function readUrl(
  text: string,
): { scheme: string; host: string; port: number; path: string } | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const scheme = url.protocol.replace(/:$/, '');
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined || url.username !== '' || url.password !== '') return null;
  return {
    scheme,
    host: normalizeHost(url.hostname),
    port: url.port === '' ? defaultPort : Number(url.port),
    path: url.pathname,
  };
}
