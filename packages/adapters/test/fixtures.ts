/**
 * Test support for the adapters: reading fixtures, checking normalized alerts, and the
 * invariants every fixture of a folder must meet (so `captured_*.json` files added later are
 * covered without new tests).
 */
import {
  alertSeverities,
  isAkmatoriError,
  silentLogger,
  type AkmatoriError,
  type AlertAdapter,
  type HeaderCheck,
  type NormalizedAlert,
  type SignatureMatch,
  type WebhookRequest,
} from '@akmatori/core';
import { parseWith } from '@akmatori/core/testing';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/** The arrival time every test parses with, unless it says otherwise. */
export const receivedAt = new Date('2026-01-01T00:00:00Z');

/** One adapter's `fixtures/` folder. */
export interface FixtureFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Every `*.json` file in it, sorted. */
  names(): string[];
  /** A fixture's exact bytes. */
  raw(name: string): Buffer;
  /** A fixture parsed as JSON. */
  body(name: string): unknown;
  /** The request the sender made: the fixture's exact bytes, parsed body and the given headers. */
  request(name: string, headers?: Record<string, string>): WebhookRequest;
}

/**
 * The fixtures folder of an adapter, by its folder name under `src/`.
 */
export function fixtureFolder(adapterFolder: string): FixtureFolder {
  const dir = fileURLToPath(new URL(`../src/${adapterFolder}/fixtures/`, import.meta.url));
  const raw = (name: string): Buffer => readFileSync(`${dir}${name}`);
  return {
    dir,
    names: () =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .sort(),
    raw,
    body: (name) => JSON.parse(raw(name).toString('utf8')) as unknown,
    request: (name, headers = {}) => ({
      headers: Object.fromEntries(
        Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      ),
      rawBody: raw(name),
      body: JSON.parse(raw(name).toString('utf8')) as unknown,
      query: {},
    }),
  };
}

/** The adapter's verify, run as the host runs it (with a secret, default config unless given). */
export function verifyWith<C>(
  adapter: AlertAdapter<C>,
  request: WebhookRequest,
  secret: string,
  config?: C,
): boolean | SignatureMatch {
  if (adapter.verify === undefined) throw new Error(`adapter ${adapter.id} has no verify`);
  return adapter.verify(request, {
    config: (config ?? {}) as C,
    secret,
    log: silentLogger(),
    receivedAt,
  });
}

/**
 * The adapter's checkHeaders, run as the host runs it before reading a body (with a secret,
 * default config unless given). Header names are lower-cased, as Node gives them.
 */
export function checkHeadersWith<C>(
  adapter: AlertAdapter<C>,
  headers: Record<string, string>,
  secret: string,
  config?: C,
): HeaderCheck {
  if (adapter.checkHeaders === undefined)
    throw new Error(`adapter ${adapter.id} has no checkHeaders`);
  return adapter.checkHeaders(
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    { config: (config ?? {}) as C, secret, log: silentLogger(), receivedAt },
  );
}

/** Parses a fixture with the adapter, at `receivedAt`. */
export function parseFixture<C>(
  adapter: AlertAdapter<C>,
  folder: FixtureFolder,
  name: string,
): NormalizedAlert[] {
  return parseWith(adapter, folder.body(name), { receivedAt });
}

/**
 * The error a parse threw, which must be Akmatori's payload error; fails the test when the
 * payload was accepted or something else was thrown (a TypeError escaping, say).
 */
export function payloadErrorOf(parse: () => unknown): AkmatoriError {
  try {
    parse();
  } catch (error) {
    if (isAkmatoriError(error) && error.code === 'AKM_PAYLOAD_INVALID') return error;
    throw new Error(`expected a payload error (AKM_PAYLOAD_INVALID), got: ${String(error)}`, {
      cause: error,
    });
  }
  throw new Error('expected a payload error, but the payload was accepted');
}

/**
 * What is wrong with normalized alerts, in the terms of `checkAlertAdapterContract`: a name,
 * a known status and severity, a fingerprint, string labels and annotations, valid dates, and
 * an `endsAt` only on resolved alerts.
 */
export function alertProblems(alerts: readonly NormalizedAlert[]): string[] {
  const problems: string[] = [];
  alerts.forEach((alert, index) => {
    const at = `alert ${index}`;
    if (typeof alert.name !== 'string' || alert.name.trim() === '') {
      problems.push(`${at}: empty name`);
    }
    if (alert.status !== 'firing' && alert.status !== 'resolved') {
      problems.push(`${at}: status ${String(alert.status)}`);
    }
    if (!alertSeverities.includes(alert.severity)) {
      problems.push(`${at}: severity ${String(alert.severity)}`);
    }
    if (typeof alert.fingerprint !== 'string' || alert.fingerprint === '') {
      problems.push(`${at}: empty fingerprint`);
    }
    for (const field of ['labels', 'annotations'] as const) {
      const record: unknown = alert[field];
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        problems.push(`${at}: ${field} must be an object`);
      } else if (Object.values(record).some((value) => typeof value !== 'string')) {
        problems.push(`${at}: ${field} values must be strings`);
      }
    }
    for (const field of ['startsAt', 'endsAt'] as const) {
      const value = alert[field];
      if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
        problems.push(`${at}: ${field} must be a valid Date`);
      }
    }
    if (!(alert.startsAt instanceof Date)) problems.push(`${at}: no startsAt`);
    if (alert.status === 'firing' && alert.endsAt !== undefined) {
      problems.push(`${at}: a firing alert has an endsAt`);
    }
    if (alert.status === 'resolved' && alert.endsAt === undefined) {
      problems.push(`${at}: a resolved alert has no endsAt`);
    }
  });
  return problems;
}

/**
 * Registers the tests every fixture of a folder must pass: it says where it came from, and it
 * parses into valid alerts with stable fingerprints, unless its name contains `invalid`, in
 * which case it may instead be refused with a payload error.
 */
export function itHandlesEveryFixture<C>(adapter: AlertAdapter<C>, folder: FixtureFolder): void {
  it('has a .source.txt next to every fixture, saying where it came from', () => {
    const missing = folder
      .names()
      .filter((name) => !existsSync(`${folder.dir}${name.replace(/\.json$/, '.source.txt')}`));
    expect(missing, 'fixtures without provenance').toEqual([]);
  });

  it.each(folder.names())('reads %s into valid alerts, the same way twice', (name) => {
    let alerts: NormalizedAlert[];
    try {
      alerts = parseFixture(adapter, folder, name);
    } catch (error) {
      if (!name.includes('invalid')) throw error;
      expect(payloadErrorOf(() => parseFixture(adapter, folder, name)).message).not.toBe('');
      return;
    }
    expect(alerts.length, 'alerts read from the fixture').toBeGreaterThan(0);
    expect(alertProblems(alerts)).toEqual([]);
    const again = parseFixture(adapter, folder, name).map((alert) => alert.fingerprint);
    expect(again).toEqual(alerts.map((alert) => alert.fingerprint));
  });
}

/** Bodies that are valid JSON but not a JSON object, which every adapter must refuse. */
export const nonObjectBodies: readonly [string, unknown][] = [
  ['null', null],
  ['a string', 'not json at all'],
  ['a number', 42],
  ['a boolean', true],
  ['an array', [{ status: 'firing' }]],
];

/** Values a mangled payload may hold where a field was expected. */
const weirdValues: readonly unknown[] = [
  null,
  0,
  -1,
  1e20,
  '',
  'x',
  '{EVENT.ID}',
  true,
  [],
  [null],
  {},
];

/** Every path into a JSON value (object keys and array indexes), parents first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function replaced(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/**
 * Registers a test that mangles every field of every fixture (null, numbers, strings, lists,
 * objects, a macro) and checks each result is either valid alerts or a payload error: never
 * a TypeError escaping `parse`.
 */
export function itSurvivesMangledFields<C>(adapter: AlertAdapter<C>, folder: FixtureFolder): void {
  it('reads any field of any fixture replaced by a value of another type, or refuses it with a payload error', () => {
    const failures: string[] = [];
    for (const name of folder.names()) {
      const body = folder.body(name);
      for (const path of pathsOf(body)) {
        for (const value of weirdValues) {
          const where = `${name} ${path.join('.')} = ${JSON.stringify(value)}`;
          try {
            const problems = alertProblems(
              parseWith(adapter, replaced(body, path, value), { receivedAt }),
            );
            if (problems.length > 0) failures.push(`${where}: ${problems.join('; ')}`);
          } catch (error) {
            if (!isAkmatoriError(error) || error.code !== 'AKM_PAYLOAD_INVALID') {
              failures.push(`${where}: threw ${String(error)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
}
