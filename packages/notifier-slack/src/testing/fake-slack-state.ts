/** A message as the fake Slack holds it (the latest version after edits). */
export interface FakeSlackMessage {
  readonly channel: string;
  readonly ts: string;
  /** The parent's ts for a thread reply. */
  readonly threadTs: string | undefined;
  /** The user or bot that posted it. */
  readonly user: string;
  text: string;
  blocks: readonly Record<string, unknown>[];
  /** How many times `chat.update` changed it. */
  edits: number;
}

/** An ephemeral message shown to one user. */
export interface FakeSlackEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly threadTs: string | undefined;
}

/** A Slack user of the fake workspace. */
export interface FakeSlackUser {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly isBot?: boolean;
}

/** One Web API call the fake received. */
export interface FakeSlackCall {
  readonly method: string;
  /** The token it carried (header or form field), undefined when none. */
  readonly token: string | undefined;
  readonly args: Readonly<Record<string, unknown>>;
  /** The HTTP status answered. */
  readonly status: number;
  /** `ok` of the answer, or the error. */
  readonly result: 'ok' | string;
  readonly at: number;
}

/** The workspace the fake holds: channels, users, messages, ephemerals and the calls made. */
export class FakeSlackState {
  readonly teamId = 'T0AKMATORI';
  readonly botUserId = 'U0AKMBOT';
  readonly botId = 'B0AKMBOT';
  readonly appId = 'A0AKMATORI';
  readonly channels = new Map<string, string>();
  readonly users = new Map<string, FakeSlackUser>();
  readonly messages: FakeSlackMessage[] = [];
  readonly ephemerals: FakeSlackEphemeral[] = [];
  readonly calls: FakeSlackCall[] = [];
  #seq = 0;

  /** A fresh message timestamp, unique and increasing, as Slack's `1700000000.000100`. */
  nextTs(): string {
    this.#seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }

  /** The message `ts` in `channel`. */
  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }
}
