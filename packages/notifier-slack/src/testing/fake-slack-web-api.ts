import type { FakeSlackMessage, FakeSlackState } from './fake-slack-state.js';

/** What a Web API method answers: HTTP status, JSON body, extra headers. */
export interface WebApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

const ok = (body: Record<string, unknown> = {}): WebApiAnswer => ({
  status: 200,
  body: { ok: true, ...body },
});
/** Slack answers most failures with HTTP 200 and `{"ok": false, "error": "<code>"}`. */
export const slackError = (error: string, extra: Record<string, unknown> = {}): WebApiAnswer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** Slack's documented and observed block limits. */
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_TEXT_TOTAL = 13_000;

/** Blocks arrive JSON-encoded in a form field, or as an array in a JSON body. */
function parseBlocks(value: unknown): Record<string, unknown>[] | 'invalid' | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** The characters of a block's text, its fields and its elements' texts. */
function blockTextLength(block: Record<string, unknown>): number {
  const text = (block.text as { text?: string } | undefined)?.text ?? '';
  const fields = (block.fields as { text?: string }[] | undefined) ?? [];
  return text.length + fields.reduce((sum, field) => sum + (field.text?.length ?? 0), 0);
}

/** Checks blocks the way Slack does; returns the error code or undefined. */
function checkBlocks(blocks: readonly Record<string, unknown>[]): string | undefined {
  if (blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  let total = 0;
  for (const block of blocks) {
    if (typeof block.type !== 'string') return 'invalid_blocks';
    const text = (block.text as { text?: string } | undefined)?.text ?? '';
    if (block.type === 'section' && text.length > MAX_SECTION_TEXT) return 'invalid_blocks';
    if (block.type === 'actions' && !Array.isArray(block.elements)) return 'invalid_blocks';
    total += blockTextLength(block);
  }
  return total > MAX_TEXT_TOTAL ? 'msg_blocks_too_long' : undefined;
}

type Args = Record<string, unknown>;
type Method = (state: FakeSlackState, args: Args, token: string) => WebApiAnswer;

function content(args: Args): { text: string; blocks: Record<string, unknown>[] } | string {
  const blocks = parseBlocks(args.blocks);
  if (blocks === 'invalid') return 'invalid_blocks';
  const text = typeof args.text === 'string' ? args.text : '';
  if (text === '' && (blocks === undefined || blocks.length === 0)) return 'no_text';
  if (blocks !== undefined) {
    const problem = checkBlocks(blocks);
    if (problem !== undefined) return problem;
  }
  if (text.length > 40_000) return 'msg_too_long';
  return { text, blocks: blocks ?? [] };
}

const messageJson = (state: FakeSlackState, message: FakeSlackMessage): Args => ({
  type: 'message',
  user: message.user,
  bot_id: state.botId,
  text: message.text,
  blocks: message.blocks,
  ts: message.ts,
  ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
});

function userJson(state: FakeSlackState, id: string): Args | undefined {
  const user = state.users.get(id);
  if (user === undefined) return undefined;
  return {
    id: user.id,
    team_id: state.teamId,
    name: user.name,
    real_name: user.name,
    deleted: false,
    is_bot: user.isBot === true,
    profile: {
      real_name: user.name,
      display_name: user.name,
      ...(user.email === undefined ? {} : { email: user.email }),
    },
  };
}

/** The Web API methods the fake implements, by name. */
export const webApiMethods: Readonly<Record<string, Method>> = {
  'auth.test': (state) =>
    ok({
      url: 'https://akmatori-test.slack.com/',
      team: 'Akmatori Test',
      user: 'akmatori',
      team_id: state.teamId,
      user_id: state.botUserId,
      bot_id: state.botId,
      is_enterprise_install: false,
    }),
  'chat.postMessage': (state, args) => {
    const channel = String(args.channel ?? '');
    if (!state.channels.has(channel)) return slackError('channel_not_found');
    const body = content(args);
    if (typeof body === 'string') return slackError(body);
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (threadTs !== undefined && state.message(channel, threadTs) === undefined)
      return slackError('thread_not_found');
    const message: FakeSlackMessage = {
      channel,
      ts: state.nextTs(),
      threadTs,
      user: state.botUserId,
      text: body.text,
      blocks: body.blocks,
      edits: 0,
    };
    state.messages.push(message);
    return ok({ channel, ts: message.ts, message: messageJson(state, message) });
  },
  'chat.update': (state, args) => {
    const channel = String(args.channel ?? '');
    if (!state.channels.has(channel)) return slackError('channel_not_found');
    const message = state.message(channel, String(args.ts ?? ''));
    if (message === undefined) return slackError('message_not_found');
    if (message.user !== state.botUserId) return slackError('cant_update_message');
    const body = content(args);
    if (typeof body === 'string') return slackError(body);
    message.text = body.text;
    message.blocks = body.blocks;
    message.edits += 1;
    return ok({
      channel,
      ts: message.ts,
      text: message.text,
      message: messageJson(state, message),
    });
  },
  'chat.postEphemeral': (state, args) => {
    const channel = String(args.channel ?? '');
    if (!state.channels.has(channel)) return slackError('channel_not_found');
    const user = String(args.user ?? '');
    if (!state.users.has(user)) return slackError('user_not_found');
    const body = content(args);
    if (typeof body === 'string') return slackError(body);
    state.ephemerals.push({
      channel,
      user,
      text: body.text,
      blocks: body.blocks,
      threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
    });
    return ok({ message_ts: state.nextTs() });
  },
  'users.info': (state, args) => {
    const user = userJson(state, String(args.user ?? ''));
    return user === undefined ? slackError('user_not_found') : ok({ user });
  },
  'users.lookupByEmail': (state, args) => {
    const email = String(args.email ?? '').toLowerCase();
    const found = [...state.users.values()].find((u) => u.email?.toLowerCase() === email);
    return found === undefined
      ? slackError('users_not_found')
      : ok({ user: userJson(state, found.id) });
  },
};
