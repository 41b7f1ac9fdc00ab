import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '@akmatori/core';

/** Slack signs every request; one older than this is refused as a replay. */
const MAX_AGE_SECONDS = 300;
/** Slack gives up waiting for an answer after 3 s. */
const ACK_TIMEOUT_MS = 3000;

/** What `POST /slack/events` answers. */
export interface SlackHttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/** True when `signature` is Slack's v0 signature of `body` at `timestamp` with `secret`, and fresh. */
export function validSlackSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (timestamp === undefined || signature === undefined || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Events and slash commands arrive as JSON or form fields; interactions as a `payload` field. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded') === true) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    return payload === null
      ? Object.fromEntries(form)
      : (JSON.parse(payload) as Record<string, unknown>);
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

const answer = (status: number, body: unknown = ''): SlackHttpAnswer =>
  typeof body === 'string'
    ? { status, body, contentType: 'text/plain; charset=utf-8' }
    : { status, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' };

/**
 * Bolt's receiver for HTTP mode, served by the app's own HTTP server at `POST /slack/events`
 * (events, interactivity and slash commands alike): checks Slack's signature (bad or older
 * than five minutes: 401), answers `url_verification`, hands the rest to Bolt and answers as
 * soon as the listener acknowledges.
 */
export class SlackHttpReceiver implements Receiver {
  readonly #signingSecret: string;
  readonly #log: Logger;
  #app: App | undefined;

  constructor(signingSecret: string, log: Logger) {
    this.#signingSecret = signingSecret;
    this.#log = log;
  }

  init(app: App): void {
    this.#app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Handles one request from Slack. */
  async handle(raw: string, headers: Record<string, string | undefined>): Promise<SlackHttpAnswer> {
    const timestamp = headers['x-slack-request-timestamp'];
    if (!validSlackSignature(this.#signingSecret, timestamp, headers['x-slack-signature'], raw))
      return answer(401, { ok: false, error: 'invalid signature' });
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, headers['content-type']);
    } catch {
      return answer(400, { ok: false, error: 'unreadable body' });
    }
    if (body.type === 'url_verification') return answer(200, { challenge: body.challenge });
    const app = this.#app;
    if (app === undefined) return answer(503, { ok: false, error: 'not ready' });
    return new Promise<SlackHttpAnswer>((resolve) => {
      let answered = false;
      const settle = (result: SlackHttpAnswer): void => {
        if (answered) return;
        answered = true;
        resolve(result);
      };
      const timer = setTimeout(() => settle(answer(200)), ACK_TIMEOUT_MS);
      timer.unref();
      const retryNum = headers['x-slack-retry-num'];
      const retryReason = headers['x-slack-retry-reason'];
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          clearTimeout(timer);
          settle(answer(200, response ?? ''));
        },
        ...(retryNum === undefined ? {} : { retryNum: Number(retryNum) }),
        ...(retryReason === undefined ? {} : { retryReason }),
      };
      app
        .processEvent(event)
        .catch((error: unknown) => this.#log.warn({ err: error }, 'Slack request handling failed'))
        .finally(() => {
          clearTimeout(timer);
          settle(answer(200));
        });
    });
  }
}
