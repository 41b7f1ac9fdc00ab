import type { RunEvent } from '@akmatori/core';

/**
 * The run protocol between the API and its workers: JSON messages over one WebSocket per
 * worker, opened by the worker at {@link WORKER_PATH} with `Authorization: Bearer <worker
 * token>` (the API answers a missing, unknown or revoked token with HTTP 401 and a JSON
 * reason, before any WebSocket exists). The API hands runs out; the worker streams each run's
 * events one by one, numbered, and the API acknowledges them, so a reconnecting worker
 * re-sends only what was not acknowledged and never the whole log again. The API checks every
 * message against {@link workerMessageSchema} and {@link workerMessageLimits}, and takes
 * reports only about runs it gave to that worker.
 */
export const WORKER_PROTOCOL_VERSION = 1;

/** Where workers connect. */
export const WORKER_PATH = '/ws/worker';

/** A file of a skill, relative to the skill's directory. */
export interface AssignedFile {
  readonly path: string;
  readonly contentBase64: string;
}

/** A skill copied into the run's workspace under `.agents/skills/<name>/`. */
export interface AssignedSkill {
  readonly name: string;
  readonly files: readonly AssignedFile[];
}

/** A Codex session carried between workers: its files under CODEX_HOME, gzipped JSON, base64. */
export interface SessionArchive {
  /** base64 of gzip(JSON `[{path, contentBase64}]`), paths relative to CODEX_HOME. */
  readonly gzipBase64: string;
}

/** Everything a worker needs to carry out one run; nothing else reaches it. */
export interface RunAssignment {
  readonly runId: string;
  readonly incidentId: string;
  /** The instruction (the incident task, or the operator's follow-up message). */
  readonly prompt: string;
  /** `AGENTS.md` for the workspace: instructions and the incident context. */
  readonly agentsMd: string;
  /** The gateway's base URL; the model proxy is `<url>/v1`, MCP is `<url>/mcp`. */
  readonly gatewayUrl: string;
  /** The run token for the gateway (the only credential a worker ever holds). */
  readonly runToken: string;
  readonly model: string;
  readonly reasoningEffort?: string;
  /** Overall deadline of the run. */
  readonly deadlineMs: number;
  readonly skills: readonly AssignedSkill[];
  readonly contextFiles: readonly AssignedFile[];
  /** For a follow-up: the thread to resume and its session files. */
  readonly resume?: { readonly sessionId: string; readonly archive: SessionArchive };
}

/** Messages a worker sends. */
export type WorkerMessage =
  | {
      readonly type: 'hello';
      readonly protocol: number;
      readonly workerId: string;
      readonly capacity: number;
      readonly version: string;
      /** Runs still going on this worker (after a reconnect). */
      readonly running: readonly string[];
    }
  | { readonly type: 'heartbeat'; readonly running: readonly string[] }
  | { readonly type: 'run.accepted'; readonly runId: string }
  | { readonly type: 'run.rejected'; readonly runId: string; readonly reason: string }
  | {
      readonly type: 'run.event';
      readonly runId: string;
      /** 1, 2, 3… per run, with no gaps. */
      readonly seq: number;
      /** When the worker saw it (ISO 8601). */
      readonly at: string;
      readonly event: RunEvent;
    }
  | {
      readonly type: 'run.finished';
      readonly runId: string;
      readonly outcome: 'completed' | 'failed' | 'cancelled';
      /** The last event's seq: the API has all events once it acknowledged this one. */
      readonly lastSeq: number;
      /** The Codex thread, for follow-ups. */
      readonly sessionId?: string;
      /** The session files, so a follow-up can resume on any worker. */
      readonly session?: SessionArchive;
    };

/** Messages the API sends. */
export type ApiMessage =
  | { readonly type: 'welcome'; readonly heartbeatMs: number }
  | { readonly type: 'run.start'; readonly run: RunAssignment }
  | { readonly type: 'run.cancel'; readonly runId: string; readonly reason: string }
  /** Every event of the run up to and including `seq` is stored. */
  | { readonly type: 'ack'; readonly runId: string; readonly seq: number }
  /** The run is closed on the API side (finished, cancelled, or given to another worker). */
  | { readonly type: 'run.closed'; readonly runId: string };

/**
 * Size limits of the worker protocol, in bytes of a message's JSON text (UTF-8). The API
 * refuses a message over its limit and closes the connection (close code 1009), so a worker
 * keeps within them: it shortens the text of an oversized event and leaves out a session
 * archive that is too large (a follow-up then cannot resume that run).
 */
export const workerMessageLimits = Object.freeze({
  /**
   * Largest message a worker may send (the socket's `maxPayload` at the API): a
   * `run.finished` carrying the largest session archive, with room to spare.
   */
  maxMessageBytes: 24 * 1024 * 1024,
  /** Largest session archive a `run.finished` may carry (length of `gzipBase64`). */
  maxSessionBytes: 20 * 1024 * 1024,
  /**
   * Largest `run.event`. Codex's own events are at most 1 MiB (longer JSONL lines are
   * dropped by the runner), so only an event the runner made larger needs shortening.
   */
  maxEventBytes: 2 * 1024 * 1024,
  /** Largest `hello`, `heartbeat`, `run.accepted` or `run.rejected`. */
  maxControlBytes: 64 * 1024,
});

/** WebSocket close codes the API uses. */
export const WorkerCloseCodes = Object.freeze({
  /** The worker token was revoked while the worker was connected: do not retry with it. */
  unauthorized: 4401,
  /** Protocol version not supported. */
  unsupportedProtocol: 4400,
  /** The worker id is connected (or holding runs) under another worker token. */
  workerIdTaken: 4403,
  /** Replaced by a newer connection of the same worker id. */
  replaced: 4409,
  /**
   * A message broke the protocol: not JSON, not valid against the message schema, or sent
   * out of turn (anything before `hello`, a second `hello`).
   */
  invalidMessage: 4422,
  /** A message was over its size limit ({@link workerMessageLimits}); WebSocket's own code. */
  tooLarge: 1009,
});
