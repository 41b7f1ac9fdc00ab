import type { PostedMessage, SlackMessageStore } from '@akmatori/notifier-slack';
import type { Knex } from 'knex';

/**
 * How long the id of a handled Slack event is kept: Slack retries an event within minutes, so
 * a day is ample. The retention job deletes older ones (`slack_events` in its report).
 */
export const SLACK_EVENT_KEEP_MS = 86_400_000;

/** A claim without a `ts` older than this was left by a process that died while posting. */
const STALE_CLAIM_MS = 60_000;

/**
 * What Akmatori posted to Slack (`slack_messages`), and which Slack events it handled
 * (`slack_events`), in the database so that replicas share them.
 */
export class SlackDatabaseStore implements SlackMessageStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The message posted under `key`. */
  async get(key: string): Promise<PostedMessage | undefined> {
    const row = (await this.#knex('slack_messages')
      .select('channel', 'ts')
      .where({ key })
      .whereNotNull('ts')
      .first()) as { channel: string; ts: string } | undefined;
    return row;
  }

  /** Claims `key`; a stale claim (no `ts` after a minute) is taken over. */
  async claim(key: string, incidentId: string, channel: string): Promise<boolean> {
    const inserted = (await this.#knex('slack_messages')
      .insert({ key, incident_id: incidentId, channel, ts: null, created_at: new Date() })
      .onConflict('key')
      .ignore()
      .returning('key')) as unknown[];
    if (inserted.length > 0) return true;
    const taken = await this.#knex('slack_messages')
      .where({ key })
      .whereNull('ts')
      .andWhere('created_at', '<', new Date(Date.now() - STALE_CLAIM_MS))
      .update({ channel, created_at: new Date() });
    return taken > 0;
  }

  /** Records the posted message's `ts`. */
  async save(key: string, ts: string): Promise<void> {
    await this.#knex('slack_messages').where({ key }).update({ ts });
  }

  /** True while `key` is claimed and not yet posted (a claim gone stale does not count). */
  async posting(key: string): Promise<boolean> {
    const row = (await this.#knex('slack_messages')
      .select('key')
      .where({ key })
      .whereNull('ts')
      .andWhere('created_at', '>=', new Date(Date.now() - STALE_CLAIM_MS))
      .first()) as { key: string } | undefined;
    return row !== undefined;
  }

  /** Drops a claim whose post failed. */
  async release(key: string): Promise<void> {
    await this.#knex('slack_messages').where({ key }).whereNull('ts').delete();
  }

  /** The incident whose root message is `ts` in `channel` (a thread's parent). */
  async incidentOfThread(channel: string, ts: string): Promise<string | undefined> {
    const row = (await this.#knex('slack_messages')
      .select('incident_id')
      .where({ channel, ts })
      .andWhere('key', 'like', 'root:%')
      .first()) as { incident_id: string } | undefined;
    return row?.incident_id;
  }

  /** Records a Slack event id; false when it was handled before (a retry) within {@link SLACK_EVENT_KEEP_MS}. */
  async firstDelivery(eventId: string): Promise<boolean> {
    const inserted = (await this.#knex('slack_events')
      .insert({ event_id: eventId, received_at: new Date() })
      .onConflict('event_id')
      .ignore()
      .returning('event_id')) as unknown[];
    return inserted.length > 0;
  }
}
