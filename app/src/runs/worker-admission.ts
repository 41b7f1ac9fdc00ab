import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { bearerToken, isAkmatoriError, type Logger } from '@akmatori/core';
import { refuseUpgrade } from './upgrade-refusal.js';
import type { WorkerTokenIdentity } from './worker-tokens.js';

/** What the hub needs of the worker tokens (`WorkerTokens`). */
export interface WorkerTokenCheck {
  /** The token `value` stands for; throws an `AkmatoriError` (401) when it is not a live one. */
  authenticate(value: string | undefined): Promise<WorkerTokenIdentity>;
  /** Which of these token ids still work. */
  liveIds(ids: readonly string[]): Promise<Set<string>>;
  /** Records that workers are connected with these tokens now. */
  touch(ids: readonly string[]): Promise<void>;
}

/** How often the tokens of connected workers are recorded as used. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Checks the worker token of an upgrade request before any WebSocket exists. Resolves with
 * the token the worker connects with; otherwise answers the request itself (HTTP 401 with the
 * reason, 503 when the token cannot be checked now), logs why, and resolves undefined.
 */
export async function admitWorker(
  req: IncomingMessage,
  socket: Duplex,
  tokens: WorkerTokenCheck,
  log: Logger,
): Promise<WorkerTokenIdentity | undefined> {
  const remote = req.socket.remoteAddress;
  const ignore = (): void => {}; // a client gone while its token is checked
  socket.on('error', ignore);
  try {
    return await tokens.authenticate(bearerToken(req.headers));
  } catch (error) {
    if (isAkmatoriError(error) && error.statusCode === 401) {
      log.warn({ remote, reason: error.message }, 'worker refused: bad token');
      refuseUpgrade(socket, 401, error);
    } else {
      log.error({ err: error, remote }, 'worker token could not be checked');
      refuseUpgrade(socket, 503, {
        code: 'HTTP_503',
        message: 'The worker token could not be checked now; try again',
      });
    }
    return undefined;
  } finally {
    socket.off('error', ignore);
  }
}

/**
 * Checks the tokens of connected workers again, so that a token revoked through another API
 * process disconnects its workers here too, and records their use at most once a minute.
 * One check at a time.
 */
export class TokenRecheck {
  readonly #tokens: WorkerTokenCheck;
  readonly #now: () => number;
  #running = false;
  #touchedAt = 0;

  constructor(tokens: WorkerTokenCheck, now: () => number) {
    this.#tokens = tokens;
    this.#now = now;
  }

  /** Calls `revoked` with each token id of `connected` that no longer works. */
  async run(
    connected: readonly { readonly token: WorkerTokenIdentity }[],
    revoked: (tokenId: string) => void,
  ): Promise<void> {
    if (this.#running) return;
    const ids = [
      ...new Set(connected.map((worker) => worker.token.id).filter((id) => id !== null)),
    ];
    if (ids.length === 0) return;
    this.#running = true;
    try {
      const live = await this.#tokens.liveIds(ids);
      for (const id of ids) if (!live.has(id)) revoked(id);
      if (live.size > 0 && this.#now() - this.#touchedAt >= TOUCH_INTERVAL_MS) {
        this.#touchedAt = this.#now();
        await this.#tokens.touch([...live]);
      }
    } finally {
      this.#running = false;
    }
  }
}
