import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerToken, type Logger } from '@akmatori/core';
import { createModelProxy, type LlmProvider, type RecordedModelExchange } from '@akmatori/gateway';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  isInitializeRequest,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { RecordedTools } from './recorded-tools.js';

/** Where the replay's model calls are answered from. */
export type ReplayModel =
  /** The recorded responses, the n-th for the n-th call. */
  | { readonly kind: 'recorded'; readonly exchanges: readonly RecordedModelExchange[] }
  /** A real OpenAI-compatible endpoint. */
  | { readonly kind: 'provider'; readonly provider: LlmProvider };

/** A running replay server: the gateway a replayed run's agent talks to. */
export interface ReplayServer {
  /** Base URL (`http://127.0.0.1:<port>`): `/mcp` and `/v1/responses`. */
  readonly url: string;
  /** The bearer token the agent must send. */
  readonly token: string;
  /** Model calls made so far. */
  readonly modelCalls: () => number;
  close(): Promise<void>;
}

/**
 * Starts a stand-in for the gateway on 127.0.0.1 for one replay: MCP at `/mcp` lists the
 * recorded tools and answers every call from the recording ({@link RecordedTools}; nothing
 * real is ever called), and `/v1/responses` answers the model calls from the recorded
 * responses or forwards them to a real provider. Requests need the server's own token.
 *
 * @example
 * ```ts
 * const server = await startReplayServer({ tools, model: { kind: 'recorded', exchanges }, log });
 * // run the agent against server.url with server.token, then:
 * await server.close();
 * ```
 */
export async function startReplayServer(options: {
  readonly tools: RecordedTools;
  readonly model: ReplayModel;
  readonly log: Logger;
}): Promise<ReplayServer> {
  const token = randomBytes(24).toString('base64url');
  const transports = new Map<string, StreamableHTTPServerTransport>();
  let modelCalls = 0;
  const proxy =
    options.model.kind === 'provider'
      ? createModelProxy({
          provider: async () => (options.model as { provider: LlmProvider }).provider,
          recordUsage: () => {},
          log: options.log.child({ component: 'replay-model' }),
        })
      : undefined;

  const answerModel = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const index = modelCalls++;
    if (proxy !== undefined) return proxy(req, res);
    for await (const _chunk of req); // the request itself is not needed: the answer is recorded
    const exchanges = (options.model as { exchanges: readonly RecordedModelExchange[] }).exchanges;
    const exchange = exchanges[index];
    if (exchange === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            type: 'invalid_request_error',
            message: `not recorded: the recording holds ${exchanges.length} model calls and this is call #${index + 1}`,
          },
        }),
      );
      return;
    }
    res.writeHead(exchange.status, { 'content-type': exchange.contentType });
    res.end(exchange.response);
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = transports.get(sessionId);
      if (transport === undefined) return sendJson(res, 404, { error: 'unknown session' });
      return transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return sendJson(res, 400, { error: 'initialize first' });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void transports.set(id, transport),
      onsessionclosed: (id) => void transports.delete(id),
    });
    await replayMcpServer(options.tools).connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handled =
      bearerToken(req.headers) !== token
        ? Promise.resolve(sendJson(res, 401, { error: 'token required' }))
        : path === '/mcp'
          ? handleMcp(req, res)
          : path === '/v1/responses' && req.method === 'POST'
            ? answerModel(req, res)
            : Promise.resolve(sendJson(res, 404, { error: 'not found' }));
    handled.catch((error: unknown) => {
      options.log.error({ err: error }, 'replay request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'replay request failed' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    modelCalls: () => modelCalls,
    close: async () => {
      await Promise.all([...transports.values()].map((transport) => transport.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function replayMcpServer(tools: RecordedTools): McpServer {
  const server = new McpServer(
    { name: 'akmatori-gateway', version: 'replay' },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.list.map((tool) => ({ ...tool }) as Tool),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const answer = tools.answer(request.params.name, request.params.arguments ?? {});
    const result: CallToolResult = {
      content: [{ type: 'text', text: answer.text }],
      isError: answer.isError,
    };
    return answer.structured === undefined
      ? result
      : { ...result, structuredContent: { ...answer.structured } };
  });
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
