import {
  CoreErrors,
  bearerMatches,
  isAkmatoriError,
  type Clock,
  type Logger,
  type NormalizedAlert,
  type PluginHost,
  type WebhookRequest,
} from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { AlertSourceCache } from './alert-source-cache.js';
import { applyFieldMappings } from './field-mappings.js';
import type { IngestBatcher } from './ingest-batcher.js';
import { toReceivedAlert } from './received-alert.js';

/** What a webhook delivery produced. */
export interface IngestReceipt {
  /** How many alerts the payload held. */
  readonly received: number;
  /** The ids the stored alert events got, in payload order. */
  readonly ids: number[];
}

/**
 * The ingest pipeline for one delivery: find the source, authenticate the sender, parse the
 * payload with the source's adapter, apply field mappings, and store the alerts durably.
 * Resolves only after the alerts are committed.
 */
export class AlertIngestor {
  readonly #cache: AlertSourceCache;
  readonly #plugins: PluginHost;
  readonly #batcher: IngestBatcher;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #sourceLogs = new Map<string, Logger>();

  constructor(deps: {
    cache: AlertSourceCache;
    plugins: PluginHost;
    batcher: IngestBatcher;
    clock: Clock;
    log: Logger;
  }) {
    this.#cache = deps.cache;
    this.#plugins = deps.plugins;
    this.#batcher = deps.batcher;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  /**
   * Ingests one delivery. Throws `AKM_SOURCE_NOT_FOUND` (404), `AKM_WEBHOOK_UNAUTHORIZED` (401)
   * or `AKM_PAYLOAD_INVALID` (400). `trusted` skips authentication (for the source test).
   */
  async ingest(
    sourceId: string,
    request: WebhookRequest,
    options: { trusted?: boolean } = {},
  ): Promise<IngestReceipt> {
    const source = await this.#cache.get(sourceId);
    const adapter = source?.record.enabled
      ? this.#plugins.adapter(source.record.sourceType)
      : undefined;
    if (source === undefined || adapter === undefined) throw AppErrors.AKM_SOURCE_NOT_FOUND();

    const receivedAt = this.#clock.now();
    const log = this.#sourceLog(sourceId, adapter.id);
    const context = { config: source.record.config, secret: source.secret, log, receivedAt };
    if (source.secret !== undefined && options.trusted !== true) {
      const accepted =
        bearerMatches(request.headers, source.secret) ||
        safeVerify(() => adapter.verify?.(request, context) === true);
      if (!accepted) throw AppErrors.AKM_WEBHOOK_UNAUTHORIZED({ how: adapter.authentication });
    }

    let alerts: NormalizedAlert[];
    try {
      alerts = adapter.parse(request, context);
      if (!Array.isArray(alerts)) throw new TypeError('the adapter returned no list of alerts');
    } catch (error) {
      if (isAkmatoriError(error, CoreErrors.AKM_PAYLOAD_INVALID)) throw error;
      throw CoreErrors.AKM_PAYLOAD_INVALID(
        { reason: (error as Error)?.message ?? String(error) },
        { cause: error },
      );
    }

    const events = alerts.map((alert) => ({
      sourceId,
      receivedAt,
      alert: toReceivedAlert(
        applyFieldMappings(alert, source.record.fieldMappings, request.body),
        source.record,
      ),
    }));
    const ids = await this.#batcher.submit(events);
    return { received: alerts.length, ids };
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

function safeVerify(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}
