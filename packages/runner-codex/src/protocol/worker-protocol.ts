import type { RunEvent } from '@akmatori/core';

/**
 * The run protocol between the API and its workers: JSON messages over one WebSocket per
 * worker, opened by the worker at {@link WORKER_PATH} with `Authorization: Bearer <worker
 * token>`. The API hands runs out; the worker streams each run's events one by one, numbered,
 * and the API acknowledges them, so a reconnecting worker re-sends only what was not
 * acknowledged and never the whole log again.
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

/** WebSocket close codes the API uses. */
export const WorkerCloseCodes = Object.freeze({
  /** Bad or missing worker token: do not retry with the same token. */
  unauthorized: 4401,
  /** Protocol version not supported. */
  unsupportedProtocol: 4400,
  /** Replaced by a newer connection of the same worker id. */
  replaced: 4409,
});
