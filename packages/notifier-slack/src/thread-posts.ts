import type { Logger } from '@akmatori/core';
import type { ChannelQueues } from './channel-queue.js';
import type { SlackMessage } from './incident-view.js';
import type { PostedMessage, SlackMessageStore } from './slack-ports.js';

/**
 * How long an edit waits for its message while another process posts it (a post paused by
 * Slack's rate limits lands late); a post in flight in this process is waited for however long.
 */
const POSTING_WAIT_MS = 60_000;

/** A message as `chat.postMessage` / `chat.update` arguments. */
export const asArgs = (message: SlackMessage): Record<string, unknown> => ({
  text: message.text,
  blocks: message.blocks,
  unfurl_links: false,
  unfurl_media: false,
});

/**
 * The keyed messages of incident threads: each key posted once across replicas (claimed in
 * the store first), and found again for edits, waiting for a post still in flight so that an
 * edit asked for meanwhile (a follow-up's answer, a decided approval) is not lost.
 *
 * @example
 * ```ts
 * const posts = new ThreadPosts({ store, queues, log });
 * await posts.postOnce(`started:${runId}`, incidentId, root, () => milestoneMessage('Started'));
 * ```
 */
export class ThreadPosts {
  readonly #store: SlackMessageStore;
  readonly #queues: ChannelQueues;
  readonly #log: Logger;
  /** Posts this process has claimed and not landed yet, by key. */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(deps: { store: SlackMessageStore; queues: ChannelQueues; log: Logger }) {
    this.#store = deps.store;
    this.#queues = deps.queues;
    this.#log = deps.log;
  }

  /** Posts `draw()` in the thread of `root` unless `key` was claimed before; a failure releases it. */
  async postOnce(
    key: string,
    incidentId: string,
    root: PostedMessage,
    draw: () => SlackMessage | Promise<SlackMessage>,
  ): Promise<void> {
    if (!(await this.#store.claim(key, incidentId, root.channel))) return;
    const posting = this.#post(key, incidentId, root, draw);
    this.#inFlight.set(key, posting);
    try {
      await posting;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  /**
   * The message posted under `key`: waits for a post still in flight (here, or in another
   * process for up to a minute); undefined when nothing was or is being posted.
   */
  async posted(key: string): Promise<PostedMessage | undefined> {
    await this.#inFlight.get(key);
    const deadline = Date.now() + POSTING_WAIT_MS;
    for (;;) {
      const posted = await this.#store.get(key);
      if (posted !== undefined) return posted;
      if (Date.now() >= deadline || !(await this.#store.posting(key))) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Edits the message posted under `key` (once it landed); false when there is none. */
  async edit(key: string, draw: () => SlackMessage | Promise<SlackMessage>): Promise<boolean> {
    const posted = await this.posted(key);
    if (posted === undefined) return false;
    void this.#queues.edit(posted.channel, posted.ts, async () => asArgs(await draw()));
    return true;
  }

  async #post(
    key: string,
    incidentId: string,
    root: PostedMessage,
    draw: () => SlackMessage | Promise<SlackMessage>,
  ): Promise<void> {
    try {
      const answer = await this.#queues.post(root.channel, async () => ({
        ...asArgs(await draw()),
        thread_ts: root.ts,
      }));
      await this.#store.save(key, String(answer.ts));
    } catch (error) {
      await this.#store.release(key);
      this.#log.warn({ err: error, incident: incidentId, key }, 'Slack thread message not posted');
    }
  }
}
