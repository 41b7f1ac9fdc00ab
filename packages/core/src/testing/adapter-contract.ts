import type {
  AlertAdapter,
  AlertSourceContext,
  HeaderCheck,
  SignatureMatch,
  WebhookRequest,
} from '../contracts/alert-adapter.js';
import type { NormalizedAlert } from '../contracts/alert.js';
import { definePlugin } from '../contracts/plugin.js';
import { PluginHost } from '../host/plugin-host.js';
import { silentLogger } from '../logging/logger.js';
import { alertProblems, isPayloadError } from './alert-checks.js';
import { testReceivedAt, type FixtureFolder } from './fixtures.js';
import { schemaFieldProblems } from './schema-checks.js';

/** Builds the request an adapter sees for a JSON body (raw bytes, parsed body, headers). */
export function webhookRequest(
  body: unknown,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): WebhookRequest {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { 'content-type': 'application/json', ...lowered }, rawBody, body, query };
}

/** The source's settings a test runs an adapter with; every field has a default. */
export interface SourceOptions<C> {
  /** The source's config; default `{}` (what a source with no settings has). */
  readonly config?: C;
  /** The source's webhook secret; default none. */
  readonly secret?: string;
  /** When the request arrived; default {@link testReceivedAt}. */
  readonly receivedAt?: Date;
}

function sourceContext<C>(options: SourceOptions<C>): AlertSourceContext<C> {
  return {
    config: (options.config ?? {}) as C,
    secret: options.secret,
    log: silentLogger(),
    receivedAt: options.receivedAt ?? testReceivedAt,
  };
}

/**
 * Parses a body with an adapter as the host would: default config unless given, no secret,
 * received at {@link testReceivedAt}.
 *
 * @example
 * ```ts
 * const [alert] = parseWith(uptimeAdapter, { check: 'web', up: false });
 * ```
 */
export function parseWith<C>(
  adapter: AlertAdapter<C>,
  body: unknown,
  options: SourceOptions<C> & { readonly headers?: Record<string, string> } = {},
): NormalizedAlert[] {
  return adapter.parse(webhookRequest(body, options.headers), sourceContext(options));
}

/**
 * Runs the adapter's `verify` as the host runs it, with the source's secret (default config
 * unless given). Throws when the adapter has no `verify`.
 *
 * @example
 * ```ts
 * expect(verifyWith(uptimeAdapter, fixtures.request('down.json', signed), 's3cret')).toBe(true);
 * ```
 */
export function verifyWith<C>(
  adapter: AlertAdapter<C>,
  request: WebhookRequest,
  secret: string,
  config?: C,
): boolean | SignatureMatch {
  if (adapter.verify === undefined) throw new Error(`adapter ${adapter.id} has no verify`);
  return adapter.verify(request, sourceContext({ config, secret }));
}

/**
 * Runs the adapter's `checkHeaders` as the host runs it before reading a body, with the
 * source's secret (default config unless given). Header names are lower-cased, as Node gives
 * them. Throws when the adapter has no `checkHeaders`.
 *
 * @example
 * ```ts
 * expect(checkHeadersWith(uptimeAdapter, { 'x-token': 'guess' }, 's3cret')).toEqual({ outcome: 'refused' });
 * ```
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
    sourceContext({ config, secret }),
  );
}

/** Parses a fixture of a folder with the adapter, at {@link testReceivedAt}. */
export function parseFixture<C>(
  adapter: AlertAdapter<C>,
  folder: FixtureFolder,
  name: string,
  options: SourceOptions<C> = {},
): NormalizedAlert[] {
  return parseWith(adapter, folder.body(name), options);
}

/**
 * What is wrong with how an adapter reads one fixture: it must give at least one alert, the
 * alerts must pass {@link alertProblems}, and a second parse must give the same fingerprints.
 * A fixture whose name contains `invalid` may instead be refused with a payload error; any
 * other exception is a problem.
 *
 * @example
 * ```ts
 * it.each(fixtures.names())('reads %s', (name) => {
 *   expect(fixtureProblems(uptimeAdapter, fixtures, name)).toEqual([]);
 * });
 * ```
 */
export function fixtureProblems<C>(
  adapter: AlertAdapter<C>,
  folder: FixtureFolder,
  name: string,
  options: SourceOptions<C> = {},
): string[] {
  let alerts: NormalizedAlert[];
  try {
    alerts = parseFixture(adapter, folder, name, options);
  } catch (error) {
    if (name.includes('invalid') && isPayloadError(error)) {
      return error.message === '' ? [`${name}: refused without a reason`] : [];
    }
    return [`${name}: threw ${String(error)}`];
  }
  if (alerts.length === 0) return [`${name}: gives no alerts`];
  const problems = alertProblems(alerts).map((problem) => `${name}: ${problem}`);
  const again = parseFixture(adapter, folder, name, options).map((alert) => alert.fingerprint);
  if (JSON.stringify(again) !== JSON.stringify(alerts.map((alert) => alert.fingerprint))) {
    problems.push(`${name}: fingerprints differ between two parses of the same payload`);
  }
  return problems;
}

/** Bodies that are valid JSON but not a JSON object, which every adapter must refuse. */
export const nonObjectBodies: readonly (readonly [kind: string, body: unknown])[] = Object.freeze([
  ['null', null],
  ['a string', 'not json at all'],
  ['a number', 42],
  ['a boolean', true],
  ['an array', [{ status: 'firing' }]],
] as const);

/**
 * The contract every alert adapter must meet: the plugin host registers it (id, samples,
 * fingerprint fields, authentication sentence, functions, its config schema compiling under
 * ajv's strict mode); every config field says what it is ({@link schemaFieldProblems}); each sample
 * parses into at least one alert that passes {@link alertProblems}, with the same
 * fingerprints twice; and a body that is not a JSON object ({@link nonObjectBodies}) is
 * refused with a payload error, not a crash. Returns the problems found (empty when the
 * adapter passes), so it works with any test runner.
 *
 * @example
 * ```ts
 * expect(checkAlertAdapterContract(alertmanagerAdapter)).toEqual([]);
 * ```
 */
export function checkAlertAdapterContract<C>(adapter: AlertAdapter<C>): string[] {
  try {
    new PluginHost().register(
      definePlugin({ name: `contract-of-${adapter.id}`, adapters: [adapter] }),
    );
  } catch (error) {
    return [`the plugin host refuses it: ${(error as Error).message}`];
  }
  const problems = schemaFieldProblems(adapter.configSchema, 'configSchema.');
  for (const sample of adapter.samples) {
    const where = `sample "${sample.name}"`;
    const options = sample.headers === undefined ? {} : { headers: { ...sample.headers } };
    let first: NormalizedAlert[];
    try {
      first = parseWith(adapter, sample.body, options);
    } catch (error) {
      problems.push(`${where} does not parse: ${(error as Error).message}`);
      continue;
    }
    if (first.length === 0) problems.push(`${where} gives no alerts`);
    const second = parseWith(adapter, sample.body, options);
    if (
      JSON.stringify(first.map((a) => a.fingerprint)) !==
      JSON.stringify(second.map((a) => a.fingerprint))
    ) {
      problems.push(`${where}: fingerprints differ between two parses of the same payload`);
    }
    problems.push(...alertProblems(first).map((problem) => `${where} ${problem}`));
  }
  for (const [kind, body] of nonObjectBodies) {
    try {
      parseWith(adapter, body);
      problems.push(`accepts a body that is ${kind} (it must throw payloadError)`);
    } catch (error) {
      if (!isPayloadError(error)) {
        problems.push(`a body that is ${kind} throws ${String(error)}, not a payloadError`);
      }
    }
  }
  return problems;
}
