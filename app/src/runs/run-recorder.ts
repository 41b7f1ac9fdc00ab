import type { RunEvent } from '@akmatori/core';
import type { RunEventStream } from './run-event-stream.js';
import type { RunRepository, RunUsage } from './run-repository.js';

/**
 * Stores one run's events as they arrive and publishes each once stored, while keeping what
 * the end of the run needs: the thread id, the final message, the failure, the token usage.
 */
export class RunRecorder {
  readonly #runs: RunRepository;
  readonly #stream: RunEventStream;
  readonly #runId: string;
  readonly #incidentId: string;
  sessionId: string | undefined;
  summary: string | undefined;
  lastMessage = '';
  failure: string | undefined;
  usage: RunUsage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  #seq = 0;

  constructor(deps: {
    runs: RunRepository;
    stream: RunEventStream;
    runId: string;
    incidentId: string;
  }) {
    this.#runs = deps.runs;
    this.#stream = deps.stream;
    this.#runId = deps.runId;
    this.#incidentId = deps.incidentId;
  }

  /** The seq of the last event recorded. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Records an event numbered by its sender (a worker); a repeated seq is ignored. */
  async record(seq: number, event: RunEvent, at: Date): Promise<void> {
    const stored = await this.#runs.appendEvent({
      runId: this.#runId,
      incidentId: this.#incidentId,
      seq,
      event,
      at,
    });
    this.#seq = Math.max(this.#seq, seq);
    if (stored === undefined) return;
    this.#observe(event);
    this.#stream.publish(stored);
  }

  /** Records an event the API itself numbers (a local runner plugin, or the API's own notes). */
  next(event: RunEvent, at: Date): Promise<void> {
    return this.record(this.#seq + 1, event, at);
  }

  #observe(event: RunEvent): void {
    switch (event.type) {
      case 'run.started':
        if (event.sessionId !== undefined) this.sessionId = event.sessionId;
        return;
      case 'agent.message':
        this.lastMessage = event.text;
        return;
      case 'run.completed':
        this.summary = event.summary;
        return;
      case 'run.failed':
        this.failure = event.error;
        return;
      case 'usage':
        this.usage = {
          inputTokens: this.usage.inputTokens + event.usage.inputTokens,
          cachedInputTokens: this.usage.cachedInputTokens + (event.usage.cachedInputTokens ?? 0),
          outputTokens: this.usage.outputTokens + event.usage.outputTokens,
          reasoningTokens: this.usage.reasoningTokens + (event.usage.reasoningTokens ?? 0),
        };
        return;
      default:
        return;
    }
  }
}
