import type { AlertAdapter } from '../contracts/alert-adapter.js';
import { alertProblems, isPayloadError } from './alert-checks.js';
import { parseWith } from './adapter-contract.js';
import type { FixtureFolder } from './fixtures.js';

/** One damaged copy of a payload, and what was done to it. */
export interface MangledPayload {
  /** What changed, e.g. `alerts.0.labels = null` or `alerts.0.startsAt removed`. */
  readonly change: string;
  /** The damaged payload. */
  readonly body: unknown;
}

/** A string long enough to catch code that copies or matches it without a bound. */
const hugeString = 'x'.repeat(100_000);

/**
 * What a field may hold instead of what the sender usually puts there: other JSON types,
 * empty and huge values, an unexpanded template macro, and Unicode that trips naive code
 * (a right-to-left override, a NUL, an emoji outside the BMP, a lone surrogate).
 */
const replacements: readonly [string, unknown][] = [
  ['null', null],
  ['0', 0],
  ['-1', -1],
  ['1e20', 1e20],
  ['the largest number', Number.MAX_VALUE],
  ['""', ''],
  ['"x"', 'x'],
  ['a macro', '{EVENT.ID}'],
  ['a huge string', hugeString],
  ['unicode', 'ünïcödé \u202e\u0000 😀 \ud800'],
  ['true', true],
  ['[]', []],
  ['[null]', [null]],
  ['{}', {}],
];

type Path = (string | number)[];

/** Every path into a JSON value (object keys and array indexes), parents first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Container = Record<string | number, unknown>;

/** A deep copy of `body` with `change` applied to the parent of `path` and its last key. */
function edited(
  body: unknown,
  path: Path,
  change: (parent: Container, key: string | number) => void,
): unknown {
  const copy = structuredClone(body);
  let node = copy as Container;
  for (const key of path.slice(0, -1)) node = node[key] as Container;
  change(node, path[path.length - 1] as string | number);
  return copy;
}

/**
 * Every damaged copy of a payload: each field (at any depth, array items included) replaced by
 * values of other types, empty, huge or odd Unicode; removed (spliced out of an array); and,
 * for strings and arrays, cut to half their length.
 *
 * @example
 * ```ts
 * for (const { change, body } of mangledPayloads(sample)) parseWith(uptimeAdapter, body);
 * ```
 */
export function* mangledPayloads(body: unknown): Generator<MangledPayload> {
  for (const path of pathsOf(body)) {
    const at = path.join('.');
    for (const [label, value] of replacements) {
      yield {
        change: `${at} = ${label}`,
        body: edited(body, path, (parent, key) => {
          parent[key] = structuredClone(value);
        }),
      };
    }
    yield {
      change: `${at} removed`,
      body: edited(body, path, (parent, key) => {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      }),
    };
    const value = path.reduce<unknown>((node, key) => (node as Container)[key], body);
    if (typeof value === 'string' || Array.isArray(value)) {
      yield {
        change: `${at} cut to half its length`,
        body: edited(body, path, (parent, key) => {
          parent[key] = value.slice(0, Math.floor(value.length / 2));
        }),
      };
    }
  }
}

/**
 * Parses every damaged copy of the given payloads ({@link mangledPayloads}) and says which
 * were neither read into sound alerts ({@link alertProblems}) nor refused with a payload
 * error: a `TypeError` escaping `parse`, say, or an alert without a name. Empty when the
 * adapter handles them all; no payloads at all is a problem too (an empty fixture folder).
 *
 * @example
 * ```ts
 * expect(mangledPayloadProblems(uptimeAdapter, fixtureFolder(fixturesUrl))).toEqual([]);
 * ```
 */
export function mangledPayloadProblems<C>(
  adapter: AlertAdapter<C>,
  payloads: FixtureFolder | Readonly<Record<string, unknown>>,
): string[] {
  const bodies: [string, unknown][] = isFixtureFolder(payloads)
    ? payloads.names().map((name) => [name, payloads.body(name)])
    : Object.entries(payloads);
  if (bodies.length === 0) return ['no payloads to mangle'];
  const problems: string[] = [];
  for (const [name, original] of bodies) {
    for (const { change, body } of mangledPayloads(original)) {
      try {
        const found = alertProblems(parseWith(adapter, body));
        if (found.length > 0) problems.push(`${name} ${change}: ${found.join('; ')}`);
      } catch (error) {
        if (!isPayloadError(error)) problems.push(`${name} ${change}: threw ${String(error)}`);
      }
    }
  }
  return problems;
}

function isFixtureFolder(value: unknown): value is FixtureFolder {
  return typeof (value as Partial<FixtureFolder>).names === 'function';
}
