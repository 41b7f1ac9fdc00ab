import type { RunEvent } from '@akmatori/core';
import { workerMessageLimits, type WorkerMessage } from '../protocol/worker-protocol.js';
import { boundedEventMessage } from './bounded-event.js';

/** A `run.event` message. */
export type RunEventMessage = Extract<WorkerMessage, { type: 'run.event' }>;
/** A `run.finished` message. */
export type RunFinishedMessage = Extract<WorkerMessage, { type: 'run.finished' }>;

/**
 * What a run still owes the API: its events numbered 1, 2, 3… and kept until acknowledged
 * (acks are cumulative), then its `run.finished`, kept until the API closes the run. After a
 * reconnect, {@link RunOutbox.unacknowledged} is sent again, in order. An event whose message
 * would be over `maxEventBytes` (default `workerMessageLimits.maxEventBytes`) is shortened
 * first, so the API never refuses it.
 */
export class RunOutbox {
  readonly #pending: RunEventMessage[] = [];
  #lastSeq = 0;
  #acknowledged = 0;
  #finished: RunFinishedMessage | undefined;

  constructor(
    readonly runId: string,
    private readonly maxEventBytes: number = workerMessageLimits.maxEventBytes,
  ) {}

  /** The seq of the last event added (0 before the first). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The highest seq the API acknowledged. */
  get acknowledged(): number {
    return this.#acknowledged;
  }

  /** The `run.finished` message, once the run has ended. */
  get finished(): RunFinishedMessage | undefined {
    return this.#finished;
  }

  /** Numbers `event` and keeps it until acknowledged; returns the message to send. */
  add(event: RunEvent, at: Date = new Date()): RunEventMessage {
    if (this.#finished !== undefined) throw new Error(`run ${this.runId} has already finished`);
    this.#lastSeq += 1;
    const message = boundedEventMessage(
      { type: 'run.event', runId: this.runId, seq: this.#lastSeq, at: at.toISOString(), event },
      this.maxEventBytes,
    );
    this.#pending.push(message);
    return message;
  }

  /** Records the end of the run; returns the message to send. */
  finish(details: Omit<RunFinishedMessage, 'type' | 'runId' | 'lastSeq'>): RunFinishedMessage {
    this.#finished ??= {
      type: 'run.finished',
      runId: this.runId,
      lastSeq: this.#lastSeq,
      ...details,
    };
    return this.#finished;
  }

  /** Drops the events up to and including `seq`. */
  acknowledge(seq: number): void {
    if (seq <= this.#acknowledged) return;
    this.#acknowledged = Math.min(seq, this.#lastSeq);
    while (this.#pending.length > 0 && this.#pending[0]!.seq <= this.#acknowledged) {
      this.#pending.shift();
    }
  }

  /** What to send again after a reconnect: the unacknowledged events, then `run.finished`. */
  unacknowledged(): WorkerMessage[] {
    return this.#finished === undefined ? [...this.#pending] : [...this.#pending, this.#finished];
  }

  /** Whether every event is acknowledged. */
  get drained(): boolean {
    return this.#pending.length === 0;
  }
}
