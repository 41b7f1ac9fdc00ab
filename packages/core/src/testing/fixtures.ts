import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WebhookRequest } from '../contracts/alert-adapter.js';

/** The arrival time the kit parses with unless a test gives another: 2026-01-01T00:00:00Z. */
export const testReceivedAt: Date = new Date('2026-01-01T00:00:00Z');

/**
 * A folder of real payloads a sender emitted (`*.json`), each with a `<name>.source.txt`
 * beside it saying where it came from. Made by {@link fixtureFolder}.
 */
export interface FixtureFolder {
  /** Absolute path of the folder, ending with a separator. */
  readonly dir: string;
  /** Every `*.json` file in it, sorted. */
  names(): string[];
  /** A fixture's exact bytes. */
  raw(name: string): Buffer;
  /** A fixture parsed as JSON. */
  body(name: string): unknown;
  /**
   * The request the sender made: the fixture's exact bytes, its parsed body and the given
   * headers (lower-cased, with `content-type: application/json`).
   */
  request(name: string, headers?: Record<string, string>): WebhookRequest;
  /** The fixtures that have no `.source.txt` beside them (empty when every one says where it came from). */
  withoutProvenance(): string[];
}

/**
 * Opens a folder of fixtures, by absolute path or `file:` URL. Files are read when asked for,
 * so fixtures added later are covered by tests that loop over {@link FixtureFolder.names}.
 *
 * @example
 * ```ts
 * const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
 * const alerts = parseWith(uptimeAdapter, fixtures.body('down.json'));
 * ```
 */
export function fixtureFolder(dir: string | URL): FixtureFolder {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const base = path.endsWith('/') ? path : `${path}/`;
  const raw = (name: string): Buffer => readFileSync(`${base}${name}`);
  const body = (name: string): unknown => JSON.parse(raw(name).toString('utf8')) as unknown;
  const names = (): string[] =>
    readdirSync(base)
      .filter((name) => name.endsWith('.json'))
      .sort();
  return {
    dir: base,
    names,
    raw,
    body,
    request: (name, headers = {}) => ({
      headers: Object.fromEntries(
        Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      ),
      rawBody: raw(name),
      body: body(name),
      query: {},
    }),
    withoutProvenance: () =>
      names().filter((name) => !existsSync(`${base}${name.replace(/\.json$/, '.source.txt')}`)),
  };
}
