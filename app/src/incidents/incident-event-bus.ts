import { EventEmitter } from 'node:events';
import type { IncidentEvent, IncidentSummary, Logger } from '@akmatori/core';
import type { IncidentRecord } from '@akmatori/host';

/** What notifiers, the dashboard and tests learn about incident changes, in-process. */
export class IncidentEventBus {
  readonly #emitter = new EventEmitter();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
    this.#emitter.setMaxListeners(100);
  }

  /** Delivers an event to every listener; a listener that throws is logged, not fatal. */
  publish(event: IncidentEvent): void {
    for (const listener of this.#emitter.listeners('event') as ((
      event: IncidentEvent,
    ) => unknown)[]) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) =>
          this.#log.error({ err: error, type: event.type }, 'incident event listener failed'),
        );
    }
  }

  /** Calls `listener` for every event; returns a function that stops it. */
  subscribe(listener: (event: IncidentEvent) => unknown): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}

/** The part of an incident record that travels in events. */
export function incidentSummary(record: IncidentRecord): IncidentSummary {
  return {
    uuid: record.id,
    title: record.title,
    status: record.status,
    state: record.state,
    severity: record.severity,
    sourceType: record.sourceType,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
