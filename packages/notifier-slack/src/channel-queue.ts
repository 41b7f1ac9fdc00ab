import type { Logger } from '@akmatori/core';
import { slackApiError, slackFailureOf, type SlackApi } from './slack-api.js';

/** How the queues pace their calls. */
export interface ChannelQueueOptions {
  /** At most one edit of a message per this many milliseconds (default 3000). */
  readonly editIntervalMs?: number;
  /** Between two new messages in one channel (Slack allows about one a second; default 1000). */
  readonly postGapMs?: number;
  /** Attempts for a call that fails without a rate limit before it is given up (default 3). */
  readonly attempts?: number;
  readonly log: Logger;
}

type Args = Record<string, unknown>;

interface EditState {
  lastAt: number;
  timer: NodeJS.Timeout | undefined;
  queued: boolean;
  inFlight: boolean;
  /** Resolved once a version built after they asked has landed. */
  waiting: (() => void)[];
  sending: (() => void)[];
  build: () => Promise<Args | undefined>;
}

type Task =
  | {
      kind: 'post';
      build: () => Promise<Args>;
      resolve: (answer: Args) => void;
      reject: (error: unknown) => void;
    }
  | { kind: 'edit'; ts: string };

/** One channel's calls, one at a time, paced, pausing on `429` for as long as Slack says. */
class Lane {
  readonly tasks: Task[] = [];
  readonly edits = new Map<string, EditState>();
  running = false;
  pausedUntil = 0;
  lastPostAt = 0;
}

const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Per-channel queues for Slack calls. New messages keep their order and spacing; edits of a
 * message are coalesced: however often it changes, it is edited at most once per
 * `editIntervalMs`, each edit drawing the latest state when it is sent, so the final state
 * always lands. A `429` pauses the channel for its `Retry-After` and the same call is retried;
 * nothing is dropped for a rate limit.
 *
 * @example
 * ```ts
 * const queues = new ChannelQueues(() => api, { log });
 * const ts = await queues.post('C1', async () => ({ text: 'Incident opened' }));
 * queues.edit('C1', ts, async () => ({ text: 'Incident resolved' }));
 * ```
 */
export class ChannelQueues {
  readonly #api: () => SlackApi | undefined;
  readonly #lanes = new Map<string, Lane>();
  readonly #editIntervalMs: number;
  readonly #postGapMs: number;
  readonly #attempts: number;
  readonly #log: Logger;
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(api: () => SlackApi | undefined, options: ChannelQueueOptions) {
    this.#api = api;
    this.#editIntervalMs = options.editIntervalMs ?? 3000;
    this.#postGapMs = options.postGapMs ?? 1000;
    this.#attempts = options.attempts ?? 3;
    this.#log = options.log;
  }

  #lane(channel: string): Lane {
    let lane = this.#lanes.get(channel);
    if (lane === undefined) {
      lane = new Lane();
      this.#lanes.set(channel, lane);
    }
    return lane;
  }

  /** Posts a new message (`chat.postMessage`, built when its turn comes); resolves with Slack's answer. */
  post(channel: string, build: () => Promise<Args>): Promise<Args> {
    return new Promise((resolve, reject) => {
      const lane = this.#lane(channel);
      lane.tasks.push({ kind: 'post', build, resolve, reject });
      this.#run(channel, lane);
    });
  }

  /**
   * Asks for message `ts` to show the latest state: `build` draws it when the edit is sent
   * (`undefined`: nothing to edit). Resolves once an edit built after this call has landed
   * (or was given up).
   */
  edit(channel: string, ts: string, build: () => Promise<Args | undefined>): Promise<void> {
    const lane = this.#lane(channel);
    let state = lane.edits.get(ts);
    if (state === undefined) {
      state = {
        lastAt: 0,
        timer: undefined,
        queued: false,
        inFlight: false,
        waiting: [],
        sending: [],
        build,
      };
      lane.edits.set(ts, state);
    }
    state.build = build;
    const landed = new Promise<void>((resolve) => state.waiting.push(resolve));
    this.#schedule(channel, lane, ts, state);
    return landed;
  }

  #schedule(channel: string, lane: Lane, ts: string, state: EditState): void {
    if (state.queued || state.inFlight || state.timer !== undefined || this.#stopped) return;
    const delay = state.lastAt + this.#editIntervalMs - Date.now();
    const enqueue = (): void => {
      state.timer = undefined;
      state.queued = true;
      lane.tasks.push({ kind: 'edit', ts });
      this.#run(channel, lane);
    };
    if (delay <= 0) enqueue();
    else {
      state.timer = setTimeout(enqueue, delay);
      state.timer.unref();
    }
  }

  #run(channel: string, lane: Lane): void {
    if (lane.running || this.#stopped) return;
    lane.running = true;
    void this.#drain(channel, lane).finally(() => {
      lane.running = false;
      if (lane.tasks.length > 0 && !this.#stopped) this.#run(channel, lane);
      else this.#notifyIdle();
    });
  }

  async #drain(channel: string, lane: Lane): Promise<void> {
    let failures = 0;
    while (lane.tasks.length > 0 && !this.#stopped) {
      await sleep(lane.pausedUntil - Date.now());
      const task = lane.tasks[0]!;
      if (task.kind === 'post') await sleep(lane.lastPostAt + this.#postGapMs - Date.now());
      const state = task.kind === 'edit' ? lane.edits.get(task.ts) : undefined;
      if (state !== undefined && !state.inFlight) {
        state.inFlight = true;
        state.queued = false;
        state.sending.push(...state.waiting);
        state.waiting = [];
      }
      try {
        await this.#send(channel, task, state);
        lane.tasks.shift();
        failures = 0;
        this.#finish(channel, lane, task, state);
      } catch (error) {
        const slackError = slackFailureOf(error);
        if (slackError?.retryAfterSeconds !== undefined) {
          lane.pausedUntil = Date.now() + slackError.retryAfterSeconds * 1000;
          this.#log.warn(
            { channel, retryAfterSeconds: slackError.retryAfterSeconds },
            'Slack rate limit: channel paused',
          );
          continue;
        }
        failures += 1;
        if (slackError?.transient !== false && failures < this.#attempts) {
          await sleep(500 * failures);
          continue;
        }
        lane.tasks.shift();
        failures = 0;
        this.#log.warn({ channel, err: error, kind: task.kind }, 'Slack call given up');
        if (task.kind === 'post') task.reject(error);
        this.#finish(channel, lane, task, state);
      }
    }
  }

  async #send(channel: string, task: Task, state: EditState | undefined): Promise<void> {
    const api = this.#api();
    if (api === undefined) throw slackApiError('not_configured');
    if (task.kind === 'post') {
      const args = await task.build();
      const lane = this.#lane(channel);
      lane.lastPostAt = Date.now();
      task.resolve(await api.call('chat.postMessage', { ...args, channel }));
      return;
    }
    const args = await state!.build();
    if (args === undefined) return;
    await api.call('chat.update', { ...args, channel, ts: task.ts });
  }

  #finish(channel: string, lane: Lane, task: Task, state: EditState | undefined): void {
    if (task.kind !== 'edit' || state === undefined) return;
    state.inFlight = false;
    state.lastAt = Date.now();
    for (const resolve of state.sending) resolve();
    state.sending = [];
    if (state.waiting.length > 0) this.#schedule(channel, lane, task.ts, state);
    this.#prune(lane);
  }

  /** Forgets messages edited longer ago than the interval with nothing pending. */
  #prune(lane: Lane): void {
    if (lane.edits.size < 50) return;
    const before = Date.now() - this.#editIntervalMs;
    for (const [ts, state] of lane.edits)
      if (
        !state.queued &&
        !state.inFlight &&
        state.timer === undefined &&
        state.waiting.length === 0 &&
        state.lastAt < before
      )
        lane.edits.delete(ts);
  }

  /** True when nothing waits to be sent. */
  get idle(): boolean {
    return [...this.#lanes.values()].every(
      (lane) =>
        lane.tasks.length === 0 &&
        !lane.running &&
        [...lane.edits.values()].every((s) => s.timer === undefined),
    );
  }

  #notifyIdle(): void {
    if (!this.idle) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves once every queued post and edit has been sent. */
  async settled(): Promise<void> {
    while (!this.idle && !this.#stopped)
      await new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
        setTimeout(resolve, 250).unref();
      });
  }

  /** Stops sending; queued calls are dropped (posts reject). */
  stop(): void {
    this.#stopped = true;
    for (const lane of this.#lanes.values()) {
      for (const task of lane.tasks)
        if (task.kind === 'post') task.reject(slackApiError('stopped'));
      for (const state of lane.edits.values()) {
        if (state.timer !== undefined) clearTimeout(state.timer);
        for (const resolve of [...state.waiting, ...state.sending]) resolve();
      }
      lane.tasks.length = 0;
    }
  }
}
