import {
  describeSchemaErrors,
  CoreErrors,
  type IncidentEvent,
  type Logger,
  type Notifier,
  type PluginHost,
} from '@akmatori/core';
import type { IncidentEventBus } from './incident-event-bus.js';

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 500;

/**
 * Delivers every incident event to the notifiers named in the `notifiers` setting, each with
 * its validated config. A failing notifier is retried a few times and logged; it never holds
 * up the others or the engine.
 */
export class NotifierDispatch {
  readonly #targets: { notifier: Notifier; config: Record<string, unknown> }[];
  readonly #log: Logger;

  /** Validates the configured notifiers; throws `AKM_CONFIG_INVALID` for an unknown id or bad config. */
  constructor(
    plugins: PluginHost,
    configured: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
    log: Logger,
  ) {
    this.#log = log;
    const problems: string[] = [];
    this.#targets = [];
    for (const [id, config] of Object.entries(configured)) {
      const notifier = plugins.notifier(id);
      if (notifier === undefined) {
        problems.push(
          `notifiers.${id}: no notifier "${id}" is registered (known: ${plugins.notifiers.map((n) => n.id).join(', ') || 'none'})`,
        );
        continue;
      }
      const check = plugins.checkSchema('notifier', id, 'configSchema', config);
      if (!check.valid) {
        problems.push(
          ...describeSchemaErrors(
            check.errors,
            (path) => `notifiers.${id}${path.replaceAll('/', '.')}`,
          ),
        );
        continue;
      }
      this.#targets.push({ notifier, config: { ...config } });
    }
    if (problems.length > 0) throw CoreErrors.AKM_CONFIG_INVALID({ problems });
  }

  /** Starts delivering the bus's events; returns a function that stops it. */
  attach(bus: IncidentEventBus): () => void {
    return bus.subscribe((event) =>
      Promise.all(this.#targets.map((target) => this.#deliver(target, event))),
    );
  }

  async #deliver(
    target: { notifier: Notifier; config: Record<string, unknown> },
    event: IncidentEvent,
  ): Promise<void> {
    const log = this.#log.child({ notifier: target.notifier.id, incident: event.incident.uuid });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await target.notifier.onIncidentEvent(event, { config: target.config, log });
        return;
      } catch (error) {
        log.warn({ err: error, attempt, type: event.type }, 'notifier failed');
        if (attempt < ATTEMPTS)
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
    log.error({ type: event.type }, 'notifier gave up on this event');
  }
}
