import type { Logger } from '../logging/logger.js';
import type { NormalizedAlert } from './alert.js';
import type { ObjectSchema, SchemaValue } from './schema.js';

/** An incoming webhook request as an adapter sees it. */
export interface WebhookRequest {
  /** Lower-cased header names to values. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes received: signatures are computed over these. */
  readonly rawBody: Buffer;
  /** The body parsed as JSON. */
  readonly body: unknown;
  /** Query string parameters. */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
}

/** What an adapter gets besides the request: its source's settings. */
export interface AlertSourceContext<Config> {
  /** The alert source's validated configuration. */
  readonly config: Config;
  /** The source's shared webhook secret, when one is set. */
  readonly secret: string | undefined;
  /** A logger scoped to this adapter and source. */
  readonly log: Logger;
  /** When the request arrived; use it for alerts that carry no time of their own. */
  readonly receivedAt: Date;
}

/**
 * What an adapter can tell from the request's headers alone, before the body is read (see
 * {@link AlertAdapter.checkHeaders}).
 * - `accepted`: the headers carry credentials that prove the secret (HTTP basic auth, say).
 * - `refused`: they carry none this adapter accepts, or malformed ones. The host answers 401
 *   without reading the body. `reason` (never secret) is added to the message.
 * - `needs-body`: the credentials cover the body (an HMAC signature, a key inside the payload);
 *   `verify` decides once the body is read. `signedAt`, when a header carries the signing time,
 *   lets the host refuse a stale signature before reading the body.
 */
export type HeaderCheck =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'refused'; readonly reason?: string }
  | { readonly outcome: 'needs-body'; readonly signedAt?: Date };

/**
 * What `verify` returns for a request accepted because of its HMAC signature. The host refuses
 * the request when `signedAt` is more than 5 minutes off its clock, and when the same signature
 * was accepted before for this source within that window (a replay).
 */
export interface SignatureMatch {
  /** The signature that matched, as sent (the host keeps only a hash of it). */
  readonly signature: string;
  /** When the sender signed it: a time covered by the signature, never an unsigned header. */
  readonly signedAt: Date;
}

/** A real payload the adapter's sender emits, used by `POST /api/alert-sources/{uuid}/test` and contract tests. */
export interface AdapterSample {
  /** What the sample shows, e.g. `two alerts firing`. */
  readonly name: string;
  /** The JSON body as the sender sends it. */
  readonly body: unknown;
  /** Headers the sender adds, if they matter. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Turns one monitoring system's webhooks into normalized alerts.
 *
 * @example
 * ```ts
 * const adapter = defineAlertAdapter({
 *   id: 'uptime',
 *   displayName: 'Uptime checker',
 *   configSchema: emptyObjectSchema,
 *   authentication: 'Authorization: Bearer <webhook secret>',
 *   fingerprintFields: ['check'],
 *   samples: [{ name: 'down', body: { check: 'web', up: false } }],
 *   parse: (req) => {
 *     const body = req.body as { check: string; up: boolean };
 *     return [{ name: body.check, status: body.up ? 'resolved' : 'firing', severity: 'critical',
 *       fingerprint: body.check, labels: {}, annotations: {} }];
 *   },
 * });
 * ```
 */
export interface AlertAdapter<Config = Record<string, unknown>> {
  /** Unique source type name, used in URLs and the API (`alertmanager`, `grafana`...). */
  readonly id: string;
  /** Name shown to operators. */
  readonly displayName: string;
  /** Schema of the per-source configuration. */
  readonly configSchema: ObjectSchema;
  /** How a sender authenticates, in a sentence for the dashboard and docs. */
  readonly authentication: string;
  /** Payload fields that make up an alert's identity, for documentation and contract tests. */
  readonly fingerprintFields: readonly string[];
  /** Real payloads from the sender. At least one. */
  readonly samples: readonly AdapterSample[];
  /**
   * Judges the request from its headers, before the body is read, so that a sender without
   * valid credentials costs almost nothing. Called only when the source has a secret and the
   * request does not carry `Authorization: Bearer <secret>` (the host accepts that itself).
   * Must not throw; compare in constant time.
   * When absent: `needs-body` if the adapter has `verify`, else `refused`.
   */
  checkHeaders?(
    headers: WebhookRequest['headers'],
    context: AlertSourceContext<Config>,
  ): HeaderCheck;
  /**
   * Checks the request came from the configured sender, once its body is read. Return true
   * to accept, or a {@link SignatureMatch} when an HMAC signature accepted it (the host then
   * refuses stale signatures and replays). Called only when the source has a secret, the
   * bearer token did not match, and `checkHeaders` (if any) answered `needs-body`. Compare in
   * constant time. When absent, only `Authorization: Bearer <secret>` is accepted.
   */
  verify?(request: WebhookRequest, context: AlertSourceContext<Config>): boolean | SignatureMatch;
  /**
   * Reads the payload into alerts. When the payload cannot be read, throw
   * `payloadError('reason')`; the host answers 400 with that reason. Any other exception
   * is also answered 400 (with its message), never 5xx.
   */
  parse(request: WebhookRequest, context: AlertSourceContext<Config>): NormalizedAlert[];
}

/**
 * Declares an alert adapter. Returns it unchanged (frozen); the host validates it on
 * registration. The config type that `checkHeaders`, `verify` and `parse` get is read from
 * `configSchema` ({@link SchemaValue}): write the schema inline or keep it in a constant made
 * with `defineSchema` (or `as const`), and there is no config interface to keep in step.
 *
 * @example
 * ```ts
 * const uptimeAdapter = defineAlertAdapter({
 *   id: 'uptime',
 *   displayName: 'Uptime checker',
 *   configSchema: {
 *     type: 'object',
 *     additionalProperties: false,
 *     properties: { region: { type: 'string', description: 'Region the checks run from.' } },
 *   },
 *   authentication: 'Authorization: Bearer <webhook secret>',
 *   fingerprintFields: ['check'],
 *   samples: [{ name: 'down', body: { check: 'web', up: false } }],
 *   parse: (request, { config }) => parseUptime(request.body, config.region), // region: string | undefined
 * });
 * ```
 */
export function defineAlertAdapter<const Schema extends ObjectSchema>(
  adapter: AlertAdapter<SchemaValue<Schema>> & { readonly configSchema: Schema },
): AlertAdapter<SchemaValue<Schema>>;
/**
 * Declares an alert adapter whose config type is written by hand.
 *
 * @deprecated Let the type come from `configSchema` (call without a type argument); a
 * hand-written config type is checked against nothing.
 */
export function defineAlertAdapter<Config>(adapter: AlertAdapter<Config>): AlertAdapter<Config>;
export function defineAlertAdapter<Config>(adapter: AlertAdapter<Config>): AlertAdapter<Config> {
  return Object.freeze(adapter);
}
