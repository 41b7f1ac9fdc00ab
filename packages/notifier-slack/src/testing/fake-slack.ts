import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  blockActions,
  eventCallback,
  slackSignature,
  slashCommand,
  type ButtonClick,
} from './fake-slack-payloads.js';
import { FakeSocketMode } from './fake-slack-socket.js';
import {
  FakeSlackState,
  type FakeSlackCall,
  type FakeSlackEphemeral,
  type FakeSlackMessage,
  type FakeSlackUser,
} from './fake-slack-state.js';
import { slackError, webApiMethods, type WebApiAnswer } from './fake-slack-web-api.js';

/** How the fake Slack starts. */
export interface FakeSlackOptions {
  /** The bot token (`xoxb-`) Web API calls must carry. */
  readonly botToken?: string;
  /** The app-level token (`xapp-`) `apps.connections.open` must carry. */
  readonly appToken?: string;
  /** The secret signing requests posted to the app in HTTP mode. */
  readonly signingSecret?: string;
  /** Channels that exist, id to name. Default: `C0ALERTS` (alerts) and `C0OTHER` (general). */
  readonly channels?: Readonly<Record<string, string>>;
  /** Users of the workspace. */
  readonly users?: readonly FakeSlackUser[];
}

/** What the app answered to something the fake delivered to it. */
export interface Delivery {
  /** The HTTP status (Socket Mode: 200 once acknowledged). */
  readonly status: number;
  /** The response body (HTTP) or the ack's payload (Socket Mode). */
  readonly body: unknown;
  /** Milliseconds until the app answered. */
  readonly afterMs: number;
}

/** A fake Slack on loopback: the Web API methods Akmatori uses, Socket Mode, signed HTTP posts. */
export interface FakeSlack {
  /** The Web API base URL for `slackApiUrl` / `api_url`, ending in `/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly state: FakeSlackState;
  /** Every Web API call, in order. */
  readonly calls: readonly FakeSlackCall[];
  /** Messages posted (latest version), optionally of one channel. */
  messages(channel?: string): FakeSlackMessage[];
  /** Replies in the thread of `ts`. */
  thread(channel: string, ts: string): FakeSlackMessage[];
  /** Ephemeral messages shown, optionally to one user. */
  ephemerals(user?: string): FakeSlackEphemeral[];
  /** Adds a user to the workspace. */
  addUser(user: FakeSlackUser): void;
  /** The next `count` calls of `method` answer `429` with `Retry-After: retryAfterSeconds`. */
  rateLimit(method: string, count: number, retryAfterSeconds: number): void;
  /** How many apps are connected over Socket Mode. */
  readonly socketConnections: number;
  /** Where events go: Socket Mode (default) or signed HTTP posts to `url`. */
  deliverTo(target: { mode: 'socket' } | { mode: 'http'; url: string }): void;
  /** Delivers an Events API event (`app_mention`, ...); `eventId` repeats it as Slack's retries do. */
  sendEvent(
    event: Record<string, unknown>,
    options?: { eventId?: string; retryNum?: number },
  ): Promise<Delivery>;
  /** Delivers a button click (`block_actions`). */
  clickButton(click: ButtonClick): Promise<Delivery>;
  /** Delivers a slash command. */
  runCommand(input: {
    user: string;
    channel: string;
    command?: string;
    text: string;
  }): Promise<Delivery>;
  /** Posts a raw body to the HTTP target with the given headers (for signature tests). */
  postRaw(body: string, headers: Record<string, string>): Promise<Delivery>;
  /** Stops the server and the sockets. */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form fields (how `@slack/web-api` sends) or a JSON body. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.startsWith('application/json') === true)
    return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * Starts a fake Slack on 127.0.0.1. The real `@slack/bolt` connects to it with
 * `clientOptions: { slackApiUrl: fake.apiUrl }`.
 *
 * @example
 * ```ts
 * const slack = await startFakeSlack({ users: [{ id: 'U1', name: 'ann', email: 'ann@example.com' }] });
 * // ... point the app at slack.apiUrl, then:
 * await slack.sendEvent({ type: 'app_mention', user: 'U1', channel: 'C0ALERTS', text: '<@U0AKMBOT> hi' });
 * await slack.close();
 * ```
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? `xoxb-fake-${randomUUID()}`;
  const appToken = options.appToken ?? `xapp-fake-${randomUUID()}`;
  const signingSecret = options.signingSecret ?? randomUUID().replaceAll('-', '');
  const state = new FakeSlackState();
  for (const [id, name] of Object.entries(
    options.channels ?? { C0ALERTS: 'alerts', C0OTHER: 'general' },
  ))
    state.channels.set(id, name);
  for (const user of options.users ?? []) state.users.set(user.id, user);
  const socketMode = new FakeSocketMode();
  const limits = new Map<string, { count: number; retryAfter: number }>();
  let target: { mode: 'socket' } | { mode: 'http'; url: string } = { mode: 'socket' };

  const answer = (
    method: string,
    token: string | undefined,
    args: Record<string, unknown>,
  ): WebApiAnswer => {
    const limit = limits.get(method);
    if (limit !== undefined && limit.count > 0) {
      limit.count -= 1;
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(limit.retryAfter) },
      };
    }
    if (token === undefined || token === '') return slackError('not_authed');
    if (method === 'apps.connections.open') {
      if (token !== appToken)
        return slackError(token.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth');
      return {
        status: 200,
        body: { ok: true, url: `ws://127.0.0.1:${port}${socketMode.issueTicket()}` },
      };
    }
    if (token !== botToken) return slackError('invalid_auth');
    const handler = webApiMethods[method];
    return handler === undefined
      ? { status: 404, body: { ok: false, error: 'unknown_method', req_method: method } }
      : handler(state, args, token);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = url.pathname.replace(/^\/api\//, '');
      const text = await readBody(req);
      let args: Record<string, unknown>;
      try {
        args = parseArgs(text, req.headers['content-type']);
      } catch {
        args = {};
      }
      const header = req.headers.authorization;
      const token =
        header?.startsWith('Bearer ') === true
          ? header.slice(7)
          : (args.token as string | undefined);
      const result = answer(method, token, args);
      const { token: _dropped, ...recorded } = args;
      state.calls.push({
        method,
        token,
        args: recorded,
        status: result.status,
        result: result.body.ok === true ? 'ok' : String(result.body.error),
        at: Date.now(),
      });
      res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
      res.end(JSON.stringify(result.body));
    })();
  });
  server.on('upgrade', (req, socket, head: Buffer) => socketMode.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const postSigned = async (
    body: string,
    contentType: string,
    extra: Record<string, string> = {},
  ): Promise<Delivery> => {
    const timestamp = Math.floor(Date.now() / 1000);
    return post(body, {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(signingSecret, timestamp, body),
      ...extra,
    });
  };
  const post = async (body: string, headers: Record<string, string>): Promise<Delivery> => {
    if (target.mode !== 'http') throw new Error('fake Slack: deliverTo({mode: "http", url}) first');
    const started = Date.now();
    const response = await fetch(target.url, { method: 'POST', headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? '' : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, afterMs: Date.now() - started };
  };
  const fromAck = (ack: { payload: Record<string, unknown>; afterMs: number }): Delivery => ({
    status: 200,
    body: ack.payload,
    afterMs: ack.afterMs,
  });

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    botToken,
    appToken,
    signingSecret,
    state,
    calls: state.calls,
    messages: (channel) =>
      state.messages.filter((m) => channel === undefined || m.channel === channel),
    thread: (channel, ts) =>
      state.messages.filter((m) => m.channel === channel && m.threadTs === ts),
    ephemerals: (user) => state.ephemerals.filter((e) => user === undefined || e.user === user),
    addUser: (user) => state.users.set(user.id, user),
    rateLimit: (method, count, retryAfter) => limits.set(method, { count, retryAfter }),
    get socketConnections() {
      return socketMode.connections;
    },
    deliverTo: (next) => {
      target = next;
    },
    sendEvent: async (event, eventOptions = {}) => {
      const payload = eventCallback(
        state,
        event,
        eventOptions.eventId ?? `Ev${randomUUID().slice(0, 12)}`,
      );
      if (target.mode === 'socket')
        return fromAck(
          await socketMode.deliver('events_api', payload, {
            retryAttempt: eventOptions.retryNum ?? 0,
          }),
        );
      return postSigned(
        JSON.stringify(payload),
        'application/json',
        eventOptions.retryNum === undefined
          ? {}
          : {
              'x-slack-retry-num': String(eventOptions.retryNum),
              'x-slack-retry-reason': 'http_timeout',
            },
      );
    },
    clickButton: async (click) => {
      const payload = blockActions(state, click);
      if (target.mode === 'socket')
        return fromAck(await socketMode.deliver('interactive', payload));
      return postSigned(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    },
    runCommand: async (input) => {
      const fields = slashCommand(state, { command: '/akmatori', ...input });
      if (target.mode === 'socket')
        return fromAck(await socketMode.deliver('slash_commands', fields));
      return postSigned(
        new URLSearchParams(fields).toString(),
        'application/x-www-form-urlencoded',
      );
    },
    postRaw: (body, headers) => post(body, headers),
    close: async () => {
      await socketMode.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
