import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import type { LlmProvider } from '@akmatori/gateway';
import { codexRunner, probeAgentSandbox, type AgentContainment } from '@akmatori/runner-codex';
import { AppErrors } from '../errors.js';
import type { RunRepository } from '../runs/run-repository.js';
import { replayRecording, type ReplayChanges, type ReplayResult } from './replay-run.js';
import type { RunRecordingStore } from './run-recording-store.js';

/** What {@link RunReplays} needs. */
export interface RunReplaysOptions {
  readonly runs: Pick<RunRepository, 'get'>;
  readonly recordings: Pick<RunRecordingStore, 'entries'>;
  /** The configured LLM provider (with its key), for `model` mode. */
  readonly provider: () => Promise<LlmProvider | undefined>;
  /** How the replaying agent is contained, as the embedded worker's (`bwrap`) or `container`. */
  readonly sandbox: 'bwrap' | 'container';
  /** The longest a replay may take. */
  readonly deadlineMs: number;
  readonly log: Logger;
}

/**
 * Replays recorded runs with the Codex runner in this process (one scratch directory per
 * replay, removed afterwards), the agent contained as the embedded worker's is.
 *
 * @example
 * ```ts
 * const result = await replays.replay(runId, { mode: 'recorded' });
 * ```
 */
export class RunReplays {
  readonly #options: RunReplaysOptions;

  constructor(options: RunReplaysOptions) {
    this.#options = options;
  }

  /** Replays run `runId` with `changes`; 404 for an unknown run, 409 when it has no recording. */
  async replay(runId: string, changes: ReplayChanges): Promise<ReplayResult> {
    const { runs, recordings, log } = this.#options;
    const run = await runs.get(runId);
    if (run === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'run', id: runId });
    if (run.status === 'queued' || run.status === 'running')
      throw AppErrors.AKM_REPLAY_NOT_RECORDED({ reason: 'the run has not finished yet' });
    const entries = await recordings.entries(runId);
    const provider = changes.mode === 'model' ? await this.#options.provider() : undefined;
    const runsDir = await mkdtemp(path.join(tmpdir(), 'akmatori-replay-'));
    try {
      const runner = codexRunner({
        runsDir,
        containment: (gateway) => this.#containment(gateway.url),
      });
      return await replayRecording({
        entries,
        originalReport: run.reportMarkdown,
        changes,
        ...(provider === undefined ? {} : { provider }),
        runner,
        log: log.child({ run: runId }),
        signal: AbortSignal.timeout(this.#options.deadlineMs),
      });
    } finally {
      await rm(runsDir, { recursive: true, force: true });
    }
  }

  async #containment(gatewayUrl: string): Promise<AgentContainment> {
    if (this.#options.sandbox === 'container') return { kind: 'container' };
    const probe = await probeAgentSandbox({ log: this.#options.log });
    if (!probe.ok)
      throw AppErrors.AKM_REPLAY_UNAVAILABLE({
        reason: `the agent sandbox is unavailable: ${probe.reason}`,
      });
    return { kind: 'bwrap', gatewayUrl, innerSandbox: probe.innerSandbox };
  }
}
