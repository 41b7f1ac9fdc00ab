import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sseFrame } from './responses-stream.js';
import type { Scenario, ScenarioTurn } from './scenario.js';
import { answerTurn, type TurnAnswer } from './turn-answer.js';

/** One request the scripted model received. */
export interface RecordedRequest {
  /** HTTP method (Codex sends `POST`). */
  readonly method: string;
  /** Request path, such as `/v1/responses`. */
  readonly path: string;
  /** Request headers, lower-cased (`authorization`, `x-codex-*`, `session-id`…). */
  readonly headers: IncomingHttpHeaders;
  /** The JSON body (`model`, `input`, `tools`…); `{}` when it was not a JSON object. */
  readonly body: Record<string, unknown>;
}

/** A fake of the model's Responses API, answering from a scenario. */
export interface ScriptedModel {
  /** API root to configure as a provider's base URL: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Every `POST /v1/responses` received so far, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Stops the server, cutting off answers still streaming. */
  close(): Promise<void>;
}

/**
 * Starts a scripted model on 127.0.0.1: the n-th turn of `scenario` answers the n-th
 * `POST /v1/responses` as a Responses API SSE stream (or an HTTP error). A request with
 * no turn left gets a 400 whose message says so, which fails the Codex run visibly.
 *
 * @example
 * ```ts
 * const model = await startScriptedModel([[shell('echo hi')], [message('It said hi.')]]);
 * // point Codex (or the gateway's LLM provider) at model.baseUrl, run, then:
 * outputText(lastFunctionCallOutput(model.requests)); // '…Output:\nhi\n'
 * await model.close();
 * ```
 */
export async function startScriptedModel(
  scenario: Scenario | readonly ScenarioTurn[],
): Promise<ScriptedModel> {
  const turns: readonly ScenarioTurn[] = 'turns' in scenario ? scenario.turns : scenario;
  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();
  let turnIndex = 0;
  let searched = false;

  const next = (body: Record<string, unknown>): TurnAnswer => {
    const request = requests.length;
    const turn = turns[turnIndex];
    if (turn === undefined) {
      return {
        kind: 'error',
        pauseMs: 0,
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            message: `scripted model: no turn left for request #${request} (the scenario has ${turns.length})`,
          },
        },
      };
    }
    const answer = answerTurn(turn, body, { request, searched });
    searched = answer.kind === 'stream' && !answer.turnDone;
    if (!searched) turnIndex += 1;
    return answer;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    if (req.method !== 'POST' || path !== '/v1/responses') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      return;
    }
    const body = parseObject(raw);
    requests.push({ method: req.method, path, headers: req.headers, body });
    const answer = next(body);
    const signal = AbortSignal.any([stopping.signal, closedSignal(res)]);
    if (answer.kind === 'error') {
      if (answer.pauseMs > 0) await sleep(answer.pauseMs, undefined, { signal }).catch(() => {});
      if (signal.aborted) return void res.destroy();
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const frame of answer.frames) {
      if (frame.kind === 'pause') {
        await sleep(frame.ms, undefined, { signal }).catch(() => {});
      }
      if (signal.aborted) return void res.destroy();
      if (frame.kind === 'event') res.write(sseFrame(frame.event));
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON: recorded as an empty body
  }
  return {};
}

/** Aborted when the client goes away before the answer is finished. */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
