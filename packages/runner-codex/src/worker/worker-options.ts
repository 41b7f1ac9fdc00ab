import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@akmatori/core';
import type { CodexConfigOptions } from '../codex-config.js';
import type { AgentContainment } from '../sandbox/agent-containment.js';
import type { RunCodexOptions } from '../run-codex.js';
import { WORKER_PATH, workerMessageLimits } from '../protocol/worker-protocol.js';
import { sessionArchiveDefaults } from './session-archive.js';
import { CodexRunnerErrors } from '../errors.js';

/** How {@link startWorker} connects to the API and carries out runs. */
export interface WorkerOptions {
  /** The API's base URL, `http(s)://host:port`; the worker connects to `ws(s)://host:port/ws/worker`. */
  readonly apiUrl: string;
  /** The worker token, sent as `Authorization: Bearer`. */
  readonly workerToken: string;
  /** This worker's name at the API. Default `<hostname>-<pid>-<random>`. */
  readonly workerId?: string;
  /** How many runs it carries out at once; more are rejected. Default 2. */
  readonly capacity?: number;
  /** Directory holding the run directories, one per run: `<runsDir>/<runId>/`. */
  readonly runsDir: string;
  /** Logger for the connection and the runs (never the tokens). */
  readonly log: Logger;
  /** Heartbeat interval in milliseconds. Default: the one the API's `welcome` asks for. */
  readonly heartbeatMs?: number;
  /** Reconnect backoff: first delay, in milliseconds. Default 500. */
  readonly reconnectInitialMs?: number;
  /** Reconnect backoff: longest delay, in milliseconds. Default 30000. */
  readonly reconnectMaxMs?: number;
  /** Reconnect backoff: share of each delay drawn at random (0 to 1). Default 0.3. */
  readonly reconnectJitter?: number;
  /** How long `stop` waits for the runs' last messages to reach the API, in milliseconds. Default 5000. */
  readonly stopTimeoutMs?: number;
  /**
   * Largest session archive sent back, in bytes; a larger session is not sent (logged).
   * Default and most: 20 MiB (`workerMessageLimits.maxSessionBytes`, what the API accepts).
   */
  readonly maxSessionBytes?: number;
  /**
   * How the agent is contained: `bwrap` (default: each run's Codex in a bubblewrap sandbox that
   * holds only its run directory and reaches only the gateway; runs fail with the reason when
   * this machine cannot start it) or `container` (the worker's own container is the sandbox:
   * Codex runs directly, with `danger-full-access` unless `config.sandboxMode` says otherwise).
   */
  readonly containment?: AgentContainment['kind'];
  /** The bubblewrap executable. Default: `bwrap` on PATH. */
  readonly bwrapPath?: string;
  /** Codex settings of this worker's runs besides what the assignment says (sandbox, timeouts, retries…). */
  readonly config?: Omit<CodexConfigOptions, 'gatewayUrl' | 'model' | 'reasoningEffort'>;
  /** Process settings passed to `runCodex`. */
  readonly process?: Pick<
    RunCodexOptions,
    | 'killGraceMs'
    | 'codexEntryPoint'
    | 'path'
    | 'lang'
    | 'maxLineBytes'
    | 'maxStderrBytes'
    | 'configOverrides'
  >;
}

/** Defaults of {@link WorkerOptions}. */
export const workerDefaults = Object.freeze({
  capacity: 2,
  containment: 'bwrap' as AgentContainment['kind'],
  reconnectInitialMs: 500,
  reconnectMaxMs: 30_000,
  reconnectJitter: 0.3,
  stopTimeoutMs: 5_000,
  maxSessionBytes: sessionArchiveDefaults.maxArchiveBytes,
});

/** {@link WorkerOptions} with defaults applied and the socket URL worked out. */
export interface ResolvedWorkerOptions extends Omit<
  WorkerOptions,
  keyof typeof workerDefaults | 'workerId'
> {
  readonly workerId: string;
  readonly socketUrl: string;
  readonly capacity: number;
  readonly containment: AgentContainment['kind'];
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  readonly reconnectJitter: number;
  readonly stopTimeoutMs: number;
  readonly maxSessionBytes: number;
}

/** Checks `options` and fills in the defaults; throws `AKM_CODEX_WORKER_OPTION_INVALID` naming a bad option. */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const capacity = options.capacity ?? workerDefaults.capacity;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw CodexRunnerErrors.AKM_CODEX_WORKER_OPTION_INVALID({
      reason: `capacity must be a positive integer, not ${capacity}`,
    });
  }
  if (options.workerToken === '')
    throw CodexRunnerErrors.AKM_CODEX_WORKER_OPTION_INVALID({ reason: 'workerToken is empty' });
  const maxSessionBytes = options.maxSessionBytes ?? workerDefaults.maxSessionBytes;
  if (!(maxSessionBytes > 0 && maxSessionBytes <= workerMessageLimits.maxSessionBytes)) {
    throw CodexRunnerErrors.AKM_CODEX_WORKER_OPTION_INVALID({
      reason: `maxSessionBytes must be between 1 and ${workerMessageLimits.maxSessionBytes} (what the API accepts), not ${maxSessionBytes}`,
    });
  }
  const jitter = options.reconnectJitter ?? workerDefaults.reconnectJitter;
  if (!(jitter >= 0 && jitter <= 1)) {
    throw CodexRunnerErrors.AKM_CODEX_WORKER_OPTION_INVALID({
      reason: `reconnectJitter must be between 0 and 1, not ${jitter}`,
    });
  }
  return {
    ...options,
    workerId: options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    socketUrl: workerSocketUrl(options.apiUrl),
    capacity,
    containment: options.containment ?? workerDefaults.containment,
    config:
      options.containment === 'container'
        ? { sandboxMode: 'danger-full-access', ...options.config }
        : options.config,
    reconnectInitialMs: options.reconnectInitialMs ?? workerDefaults.reconnectInitialMs,
    reconnectMaxMs: options.reconnectMaxMs ?? workerDefaults.reconnectMaxMs,
    reconnectJitter: jitter,
    stopTimeoutMs: options.stopTimeoutMs ?? workerDefaults.stopTimeoutMs,
    maxSessionBytes,
  };
}

/** `http(s)://host:port[/prefix]` → `ws(s)://host:port[/prefix]/ws/worker`. */
export function workerSocketUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw CodexRunnerErrors.AKM_CODEX_API_URL_INVALID({ apiUrl, problem: 'is not a URL' });
  }
  const schemes: Record<string, string> = {
    'http:': 'ws:',
    'https:': 'wss:',
    'ws:': 'ws:',
    'wss:': 'wss:',
  };
  const scheme = schemes[url.protocol];
  if (scheme === undefined) {
    throw CodexRunnerErrors.AKM_CODEX_API_URL_INVALID({
      apiUrl,
      problem: 'must be http(s)://host:port',
    });
  }
  url.protocol = scheme;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${WORKER_PATH}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): `initialMs · 2^attempt`,
 * at most `maxMs`, less a random share of up to `jitter` of it.
 */
export function reconnectDelay(
  attempt: number,
  settings: Pick<
    ResolvedWorkerOptions,
    'reconnectInitialMs' | 'reconnectMaxMs' | 'reconnectJitter'
  >,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    settings.reconnectMaxMs,
    settings.reconnectInitialMs * 2 ** Math.min(attempt, 30),
  );
  return Math.round(base * (1 - settings.reconnectJitter * random()));
}
