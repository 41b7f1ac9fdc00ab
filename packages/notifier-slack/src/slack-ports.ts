import type { ApprovalView, IncidentView } from './incident-view.js';

/** A message Akmatori posted: where, and its `ts`. */
export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Where the messages Akmatori posted are remembered (Slack's history APIs are rate limited
 * too tightly to look them up): one row per key, claimed before posting so that only one
 * process (of several replicas) posts each message.
 *
 * Keys: `root:<incident>`, `started:<run>`, `end:<run>`, `answer:<run>`, `approval:<id>`,
 * `state:<incident>:<ms>`, `alerts:<incident>:<ms>`.
 */
export interface SlackMessageStore {
  /** The message posted under `key`, if it was posted. */
  get(key: string): Promise<PostedMessage | undefined>;
  /** Claims `key` for posting in `channel`; false when it was claimed before (by anyone). */
  claim(key: string, incidentId: string, channel: string): Promise<boolean>;
  /** Records the `ts` of the message posted under a claimed key. */
  save(key: string, ts: string): Promise<void>;
  /** Gives up a claim whose post failed, so a later event may try again. */
  release(key: string): Promise<void>;
  /** True while `key` is claimed and its post has not landed yet (in any process). */
  posting(key: string): Promise<boolean>;
}

/** The last run of an incident, as the thread needs it. */
export interface RunView {
  readonly id: string;
  readonly kind: 'investigation' | 'follow_up';
  readonly status: string;
  /** The question of a follow-up. */
  readonly prompt: string;
  readonly reportMarkdown: string | null;
  readonly error: string | null;
}

/** What the Slack notifier reads from the host, fresh each time it draws a message. */
export interface SlackIncidentSource {
  /** The incident as the root message shows it. */
  incident(incidentId: string): Promise<IncidentView | undefined>;
  /** The channel its messages go to: its alert source's, where it was started, or the default. */
  channelFor(incidentId: string): Promise<string | undefined>;
  /** Its latest run. */
  lastRun(incidentId: string): Promise<RunView | undefined>;
  /** A run by id. */
  run(runId: string): Promise<RunView | undefined>;
  /** An approval request. */
  approval(approvalId: string): Promise<ApprovalView | undefined>;
}
