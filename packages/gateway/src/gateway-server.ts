import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bearerToken,
  isAkmatoriError,
  scrubSecrets,
  scrubValue,
  type Logger,
  type PluginHost,
} from '@akmatori/core';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { GatewayErrors } from './errors.js';
import type { GatewayStore } from './gateway-store.js';
import { checkHost } from './host-check.js';
import { parseJson, readBody, sendError, sendJson } from './http-io.js';
import { createMcpSession } from './mcp-session.js';
import { createModelProxy, type ModelExchange } from './model-proxy.js';
import { createSpendGuard } from './spend-guard.js';
import { RunLimits } from './run-limits.js';
import { RunTokenVerifier, type RunTokenClaims } from './run-token.js';
import { ToolCalls } from './tool-call.js';

/** How a gateway is set up. Every limit has a default. */
export interface GatewayOptions {
  readonly store: GatewayStore;
  /** Where the tool providers come from. */
  readonly plugins: Pick<PluginHost, 'toolProvider'>;
  readonly log: Logger;
  /** The gateway's version, sent to MCP clients. */
  readonly version: string;
  /** Host names the gateway answers to (DNS-rebinding guard); empty accepts any. */
  readonly allowedHosts: readonly string[];
  /** Largest MCP request body; default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Largest model request body; default 16 MiB. */
  readonly modelBodyLimitBytes?: number;
  /** Tool calls of one run at once; default 4. */
  readonly maxConcurrentCalls?: number;
  /** Tool calls of one run a minute; default 120. */
  readonly maxCallsPerMinute?: number;
  /** Model calls of one run at once; default 4. */
  readonly maxConcurrentModelCalls?: number;
  /** Longest tool call, approval wait included; default 15 minutes. */
  readonly callTimeoutMs?: number;
  /** How long a write action waits for an operator; default 5 minutes. */
  readonly approvalTimeoutMs?: number;
  /** An MCP session unused this long is closed; default 30 minutes. */
  readonly sessionIdleMs?: number;
  /** The clock tokens are checked against. */
  readonly now?: () => Date;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly runId: string;
  lastUsed: number;
}

const MAX_SESSIONS_PER_RUN = 8;

/**
 * The MCP gateway: Streamable HTTP MCP at `/mcp` (one MCP server per session), the model
 * proxy at `/v1/responses`, and `/health`. Every request but `/health` needs a valid run
 * token; each is checked, not only the first of a session.
 *
 * @example
 * ```ts
 * const gateway = new Gateway({ store, plugins, log, version: '0.1.0', allowedHosts: [] });
 * const url = await gateway.listen(8081, '127.0.0.1');
 * ```
 */
export class Gateway {
  readonly server: Server;
  readonly #options: GatewayOptions;
  readonly #calls: ToolCalls;
  readonly #sessions = new Map<string, Session>();
  readonly #modelCalls = new Map<string, number>();
  readonly #sweeper: NodeJS.Timeout;
  #verifier: Promise<RunTokenVerifier> | undefined;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#calls = new ToolCalls({
      store: options.store,
      limits: new RunLimits({
        maxConcurrentCalls: options.maxConcurrentCalls ?? 4,
        maxCallsPerMinute: options.maxCallsPerMinute ?? 120,
      }),
      log: options.log.child({ component: 'tool-calls' }),
      callTimeoutMs: options.callTimeoutMs ?? 15 * 60_000,
      approvalTimeoutMs: options.approvalTimeoutMs ?? 5 * 60_000,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, (req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!isExpected(error)) options.log.error({ err: error }, 'gateway request failed');
        sendError(res, error);
      });
    });
    this.server.keepAliveTimeout = 5_000;
    const idle = options.sessionIdleMs ?? 30 * 60_000;
    this.#sweeper = setInterval(() => this.#closeIdleSessions(idle), Math.min(idle, 60_000));
    this.#sweeper.unref();
  }

  /** Listens; resolves with the base URL. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${shown}:${address.port}`;
  }

  /** Closes every MCP session and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.all([...this.#sessions.values()].map((session) => session.transport.close()));
    this.#sessions.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setTimeout(() => this.server.closeAllConnections(), 2_000).unref();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    checkHost(req, this.#options.allowedHosts);
    if (path === '/health' && req.method === 'GET') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (path !== '/mcp' && path !== '/v1/responses')
      throw GatewayErrors.AKM_GATEWAY_NOT_FOUND({ method: req.method ?? '', path });
    const token = bearerToken(req.headers);
    if (token === undefined) throw GatewayErrors.AKM_GATEWAY_TOKEN_MISSING();
    const claims = await (await this.#tokenVerifier()).verify(token);
    // Tokens die with their run. Operator tokens (POST /api/gateway/tokens) belong to no run:
    // they grant tools only, never the model, and live until their short expiry.
    if (!claims.operator && !(await this.#options.store.runActive(claims.runId)))
      throw GatewayErrors.AKM_GATEWAY_RUN_ENDED({ runId: claims.runId });
    this.#options.log.debug(
      { method: req.method, path, run: claims.runId, session: req.headers['mcp-session-id'] },
      'gateway request',
    );
    if (path === '/mcp') await this.#handleMcp(req, res, token, claims);
    else await this.#handleModel(req, res, claims);
  }

  async #handleMcp(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    token: string,
    claims: RunTokenClaims,
  ): Promise<void> {
    req.auth = {
      token,
      clientId: claims.runId,
      scopes: [],
      expiresAt: Math.floor(claims.expiresAt.getTime() / 1000),
      extra: { claims },
    };
    const body =
      req.method === 'POST'
        ? parseJson(await readBody(req, this.#options.bodyLimitBytes ?? 1024 * 1024))
        : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.#sessions.get(sessionId);
      if (session === undefined) throw GatewayErrors.AKM_GATEWAY_SESSION_UNKNOWN();
      if (session.runId !== claims.runId) throw GatewayErrors.AKM_GATEWAY_SESSION_FORBIDDEN();
      session.lastUsed = Date.now();
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body))
      throw GatewayErrors.AKM_GATEWAY_SESSION_REQUIRED();
    this.#limitSessions(claims.runId);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.#sessions.set(id, { transport, runId: claims.runId, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        this.#sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.#sessions.delete(transport.sessionId);
    };
    const server = createMcpSession({
      store: this.#options.store,
      plugins: this.#options.plugins,
      calls: this.#calls,
      version: this.#options.version,
      log: this.#options.log.child({ component: 'mcp', run: claims.runId }),
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async #handleModel(
    req: IncomingMessage,
    res: ServerResponse,
    claims: RunTokenClaims,
  ): Promise<void> {
    if (!claims.model) throw GatewayErrors.AKM_GATEWAY_MODEL_NOT_ALLOWED();
    const inFlight = this.#modelCalls.get(claims.runId) ?? 0;
    const max = this.#options.maxConcurrentModelCalls ?? 4;
    if (inFlight >= max)
      throw GatewayErrors.AKM_GATEWAY_RATE_LIMITED({
        reason: `at most ${max} model calls at once`,
      });
    this.#modelCalls.set(claims.runId, inFlight + 1);
    try {
      const { store } = this.#options;
      const log = this.#options.log.child({ component: 'model-proxy', run: claims.runId });
      const run = { runId: claims.runId, incidentId: claims.incidentId };
      const now = this.#options.now;
      const guard = createSpendGuard({ store, run, log, ...(now === undefined ? {} : { now }) });
      const proxy = createModelProxy({
        provider: () => store.llmProvider(),
        admit: () => guard.admit(),
        recordUsage: (usage, call) => guard.record(usage, call.model),
        ...(store.recordEntry === undefined
          ? {}
          : { recordExchange: (exchange: ModelExchange) => this.#record(claims, exchange) }),
        log,
        bodyLimitBytes: this.#options.modelBodyLimitBytes ?? 16 * 1024 * 1024,
      });
      await proxy(req, res);
    } finally {
      const left = (this.#modelCalls.get(claims.runId) ?? 1) - 1;
      if (left <= 0) this.#modelCalls.delete(claims.runId);
      else this.#modelCalls.set(claims.runId, left);
    }
  }

  /** Adds a model call to the run's recording, scrubbed of the key and the tools' secrets. */
  async #record(claims: RunTokenClaims, exchange: ModelExchange): Promise<void> {
    const { store } = this.#options;
    const secrets = [exchange.apiKey];
    for (const grant of claims.grants)
      secrets.push(...((await store.toolInstance(grant.instanceId))?.secretValues ?? []));
    const text = exchange.response.toString('utf8');
    let request: unknown;
    try {
      request = JSON.parse(exchange.request.toString('utf8'));
    } catch {
      request = exchange.request.toString('utf8');
    }
    await store.recordEntry?.(
      { runId: claims.runId, incidentId: claims.incidentId },
      {
        kind: 'model',
        request: scrubValue(request, secrets),
        status: exchange.status,
        contentType: exchange.contentType,
        response: scrubSecrets(text, secrets),
      },
    );
  }

  #tokenVerifier(): Promise<RunTokenVerifier> {
    this.#verifier ??= this.#options.store
      .runTokenPublicKey()
      .then((jwk) => RunTokenVerifier.fromJwk(jwk, this.#options.now));
    this.#verifier.catch(() => {
      this.#verifier = undefined;
    });
    return this.#verifier;
  }

  /** Keeps at most a few sessions per run: the oldest goes when a run opens one more. */
  #limitSessions(runId: string): void {
    const ofRun = [...this.#sessions.entries()]
      .filter(([, session]) => session.runId === runId)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [id, session] of ofRun.slice(
      0,
      Math.max(0, ofRun.length - MAX_SESSIONS_PER_RUN + 1),
    )) {
      this.#sessions.delete(id);
      void session.transport.close();
    }
  }

  #closeIdleSessions(idleMs: number): void {
    const now = Date.now();
    for (const [id, session] of this.#sessions) {
      if (now - session.lastUsed < idleMs) continue;
      this.#sessions.delete(id);
      void session.transport.close();
    }
  }
}

function isExpected(error: unknown): boolean {
  return isAkmatoriError(error) && error.statusCode < 500;
}
