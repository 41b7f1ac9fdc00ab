import {
  type AlertAdapter,
  type AlertSourceContext,
  bearerMatches,
  type Clock,
  CoreErrors,
  type HeaderCheck,
  isAkmatoriError,
  type Logger,
  type NormalizedAlert,
  type PluginHost,
  type SignatureMatch,
  type WebhookRequest,
} from '@akmatori/core';
import type { NewAlertEvent } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import type { AlertSourceCache, ResolvedAlertSource } from './alert-source-cache.js';
import { alertFromMappings, applyFieldMappings } from './field-mappings.js';
import type { IngestBatcher } from './ingest-batcher.js';
import { toReceivedAlert } from './received-alert.js';
import type { ReplayGuard } from './replay-guard.js';
import type { SourceRateLimiter } from './source-rate-limiter.js';

/** What a webhook delivery produced. */
export interface IngestReceipt {
  /** How many alerts the payload held. */
  readonly received: number;
  /** The ids the stored alert events got, in payload order. */
  readonly ids: number[];
}

/** A delivery let in before its body was read: its source, and whether the sender is proven. */
export interface WebhookAdmission {
  /** The source's id (from the URL). */
  readonly sourceId: string;
  /** The source and its opened secret. */
  readonly source: ResolvedAlertSource;
  /** The source's adapter. */
  readonly adapter: AlertAdapter<unknown>;
  /** What the adapter gets besides the request. */
  readonly context: AlertSourceContext<unknown>;
  /** True when the headers proved the sender; false when `verify` must see the body first. */
  readonly authenticated: boolean;
}

type Headers = WebhookRequest['headers'];

/**
 * The ingest pipeline for one delivery, in two steps so that unknown sources and bad
 * credentials cost almost nothing. `admit`, before the body is read: find the source,
 * authenticate what the headers can prove, apply the source's rate limit. `ingest`, after:
 * verify what needs the body (HMAC signatures, refusing stale and replayed ones), parse the
 * payload with the source's adapter, apply field mappings, and store the alerts durably.
 * Resolves only after the alerts are committed.
 */
export class AlertIngestor {
  readonly #cache: AlertSourceCache;
  readonly #plugins: PluginHost;
  readonly #batcher: IngestBatcher;
  readonly #limiter: SourceRateLimiter;
  readonly #replays: ReplayGuard;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #sourceLogs = new Map<string, Logger>();

  constructor(deps: {
    cache: AlertSourceCache;
    plugins: PluginHost;
    batcher: IngestBatcher;
    limiter: SourceRateLimiter;
    replays: ReplayGuard;
    clock: Clock;
    log: Logger;
  }) {
    this.#cache = deps.cache;
    this.#plugins = deps.plugins;
    this.#batcher = deps.batcher;
    this.#limiter = deps.limiter;
    this.#replays = deps.replays;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  /**
   * Judges a delivery from its URL and headers alone. Throws `AKM_SOURCE_NOT_FOUND` (404) for an
   * unknown or disabled source, `AKM_WEBHOOK_UNAUTHORIZED` (401) for credentials the headers
   * show to be missing or wrong, `AKM_WEBHOOK_SIGNATURE_STALE` (401) for a signing time in the
   * headers that is too far off, and `AKM_WEBHOOK_RATE_LIMITED` (429, with
   * `details.retry_after_seconds`) over the source's rate limit.
   */
  async admit(sourceId: string, headers: Headers): Promise<WebhookAdmission> {
    const admission = await this.#find(sourceId);
    const { source, adapter, context } = admission;
    let authenticated = false;
    if (source.secret === undefined) {
      if (!source.record.allowUnauthenticated)
        throw AppErrors.AKM_WEBHOOK_UNAUTHORIZED({
          how: 'nothing: the source has no secret and does not allow unauthenticated requests',
        });
      authenticated = true;
    } else if (bearerMatches(headers, source.secret)) {
      authenticated = true;
    } else {
      const check: HeaderCheck | undefined = safely(
        () =>
          adapter.checkHeaders?.(headers, context) ??
          (adapter.verify === undefined ? { outcome: 'refused' } : { outcome: 'needs-body' }),
      );
      if (check?.outcome !== 'accepted' && check?.outcome !== 'needs-body')
        throw AppErrors.AKM_WEBHOOK_UNAUTHORIZED({
          how: adapter.authentication,
          ...(typeof check?.reason === 'string' ? { reason: check.reason } : {}),
        });
      if (check.outcome === 'needs-body' && check.signedAt instanceof Date)
        this.#replays.checkFresh(check.signedAt, context.receivedAt);
      authenticated = check.outcome === 'accepted';
    }

    const limit = source.record.rateLimitPerMinute;
    const retryAfterSeconds = this.#limiter.take(sourceId, limit);
    if (retryAfterSeconds > 0)
      throw AppErrors.AKM_WEBHOOK_RATE_LIMITED(
        { limitPerMinute: limit, retryAfterSeconds },
        { details: { retry_after_seconds: retryAfterSeconds } },
      );
    return { ...admission, authenticated };
  }

  /**
   * Completes an admitted delivery once its body is read. Throws `AKM_WEBHOOK_UNAUTHORIZED`
   * (401) when the body does not prove the sender, `AKM_WEBHOOK_SIGNATURE_STALE` (401) for a
   * signature dated too far off, `AKM_WEBHOOK_REPLAYED` (409) for a signature this source
   * already accepted, or `AKM_PAYLOAD_INVALID` (400).
   */
  async ingest(admission: WebhookAdmission, request: WebhookRequest): Promise<IngestReceipt> {
    let signature: SignatureMatch | undefined;
    if (!admission.authenticated) {
      const verdict = safely(() => admission.adapter.verify?.(request, admission.context));
      if (verdict !== true && !isSignatureMatch(verdict))
        throw AppErrors.AKM_WEBHOOK_UNAUTHORIZED({ how: admission.adapter.authentication });
      if (verdict !== true) {
        signature = verdict;
        this.#replays.checkFresh(signature.signedAt, admission.context.receivedAt);
      }
    }
    const events = this.#parse(admission, request);
    const release =
      signature === undefined
        ? undefined
        : await this.#replays.claim(admission.sourceId, signature, admission.context.receivedAt);
    try {
      const ids = await this.#batcher.submit(events);
      return { received: events.length, ids };
    } catch (error) {
      await release?.().catch((releaseError: unknown) =>
        admission.context.log.warn(
          { err: releaseError },
          'could not forget the signature of a failed request; its retry will be refused',
        ),
      );
      throw error;
    }
  }

  /**
   * Ingests a delivery without authentication or rate limit (the source test route, where an
   * operator sends the adapter's sample). Throws like `admit` and `ingest` otherwise. With
   * `test`, the alerts are marked as a test: the incident they open says so and is investigated
   * only when `test.investigate` is true.
   */
  async ingestTrusted(
    sourceId: string,
    request: WebhookRequest,
    options: { test?: { investigate: boolean } } = {},
  ): Promise<IngestReceipt> {
    const admission = { ...(await this.#find(sourceId)), authenticated: true };
    const { test } = options;
    const parsed = this.#parse(admission, request);
    const events =
      test === undefined
        ? parsed
        : parsed.map((event) => ({ ...event, alert: { ...event.alert, test } }));
    return { received: events.length, ids: await this.#batcher.submit(events) };
  }

  /** True when an alert source with this id exists, enabled or not (from the source cache). */
  async hasSource(sourceId: string): Promise<boolean> {
    return (await this.#cache.get(sourceId).catch(() => undefined)) !== undefined;
  }

  async #find(sourceId: string): Promise<Omit<WebhookAdmission, 'authenticated'>> {
    const source = await this.#cache.get(sourceId);
    const adapter = source?.record.enabled
      ? (this.#plugins.adapter(source.record.sourceType) as AlertAdapter<unknown> | undefined)
      : undefined;
    if (source === undefined || adapter === undefined) throw AppErrors.AKM_SOURCE_NOT_FOUND();
    const context = {
      config: source.record.config,
      secret: source.secret,
      log: this.#sourceLog(sourceId, adapter.id),
      receivedAt: this.#clock.now(),
    };
    return { sourceId, source, adapter, context };
  }

  #parse(admission: WebhookAdmission, request: WebhookRequest): NewAlertEvent[] {
    const { sourceId, source, adapter, context } = admission;
    let alerts: NormalizedAlert[];
    try {
      alerts = adapter.parse(request, context);
      if (!Array.isArray(alerts)) throw new TypeError('the adapter returned no list of alerts');
    } catch (error) {
      // The source's field mappings may describe a payload the adapter does not know.
      const mapped = alertFromMappings(
        source.record.fieldMappings,
        request.body,
        source.record.sourceType,
        context.receivedAt,
      );
      if (mapped !== undefined) alerts = [mapped];
      else if (isAkmatoriError(error, CoreErrors.AKM_PAYLOAD_INVALID)) throw error;
      else
        throw CoreErrors.AKM_PAYLOAD_INVALID(
          { reason: (error as Error)?.message ?? String(error) },
          { cause: error },
        );
    }
    return alerts.map((alert) => ({
      sourceId,
      receivedAt: context.receivedAt,
      alert: toReceivedAlert(
        applyFieldMappings(alert, source.record.fieldMappings, request.body),
        source.record,
      ),
    }));
  }

  /** One child logger per source, made once rather than per request. */
  #sourceLog(sourceId: string, sourceType: string): Logger {
    let log = this.#sourceLogs.get(sourceId);
    if (log === undefined) {
      if (this.#sourceLogs.size > 1000) this.#sourceLogs.clear();
      log = this.#log.child({ source: sourceId, sourceType });
      this.#sourceLogs.set(sourceId, log);
    }
    return log;
  }
}

/** Runs plugin code that must not throw; a throw counts as no answer. */
function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

function isSignatureMatch(value: unknown): value is SignatureMatch {
  const candidate = value as SignatureMatch | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.signature === 'string' &&
    candidate.signature !== '' &&
    candidate.signedAt instanceof Date &&
    !Number.isNaN(candidate.signedAt.getTime())
  );
}
