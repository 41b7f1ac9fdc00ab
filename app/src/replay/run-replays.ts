import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger, RunFile } from '@akmatori/core';
import type { LlmProvider } from '@akmatori/gateway';
import { codexRunner, probeAgentSandbox, type AgentContainment } from '@akmatori/runner-codex';
import { AppErrors } from '../errors.js';
import { filesUnder } from '../runs/run-assignment.js';
import type { RunRepository } from '../runs/run-repository.js';
import type { SkillStore } from '../skills/skill-store.js';
import { replayRecording, type ReplayChanges, type ReplayResult } from './replay-run.js';
import { attemptsOf } from './run-attempts.js';
import { recordedTask, type RunRecordingStore } from './run-recording-store.js';

/** What {@link RunReplays} needs. */
export interface RunReplaysOptions {
  readonly runs: Pick<RunRepository, 'get' | 'listByIncident'>;
  readonly recordings: Pick<RunRecordingStore, 'entries'>;
  /** The skills as they are now, for `skillsFrom: current`. */
  readonly skills: Pick<SkillStore, 'get' | 'directory'>;
  /** The configured LLM provider (with its key), for `model` mode. */
  readonly provider: () => Promise<LlmProvider | undefined>;
  /** How the replaying agent is contained, as the embedded worker's (`bwrap`) or `container`. */
  readonly sandbox: 'bwrap' | 'container';
  /** The longest a replay may take. */
  readonly deadlineMs: number;
  readonly log: Logger;
}

/** Which attempt of a run a replay replayed: the last, whose outcome the run has. */
export interface ReplayedAttempt {
  /** The id of the attempt replayed (a run of its own). */
  readonly runId: string;
  /** Its attempt number, from 1. */
  readonly attempt: number;
  /** How many attempts the run had (more than one when a worker was lost mid-run). */
  readonly attempts: number;
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

  /**
   * Replays run `runId` with `changes`: its last attempt (a run whose worker was lost was run
   * again, and the last attempt has its outcome), whichever attempt `runId` names. 404 for an
   * unknown run; 409 when it has not finished or has no recording (a follow-up's must hold the
   * session it resumed).
   */
  async replay(
    runId: string,
    changes: ReplayChanges,
  ): Promise<ReplayResult & { readonly replayed: ReplayedAttempt }> {
    const { runs, recordings, log } = this.#options;
    const asked = await runs.get(runId);
    if (asked === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'run', id: runId });
    const attempts = attemptsOf(await runs.listByIncident(asked.incidentId), asked.id);
    const run = attempts.at(-1) ?? asked;
    if (run.status === 'queued' || run.status === 'running')
      throw AppErrors.AKM_REPLAY_NOT_RECORDED({
        reason:
          run.id === asked.id
            ? 'the run has not finished yet'
            : `its attempt ${run.attempt} has not finished yet`,
      });
    const replayed: ReplayedAttempt = {
      runId: run.id,
      attempt: run.attempt,
      attempts: Math.max(attempts.length, 1),
    };
    const entries = await recordings.entries(run.id);
    if (run.kind === 'follow_up' && recordedTask(entries)?.resume === undefined)
      throw AppErrors.AKM_REPLAY_NOT_RECORDED({
        reason:
          "it is a follow-up recorded before recordings kept the session it resumed (its investigation's earlier turns), so a replay could not give the agent what it had; replay the investigation instead",
      });
    const provider = changes.mode === 'model' ? await this.#options.provider() : undefined;
    const runsDir = await mkdtemp(path.join(tmpdir(), 'akmatori-replay-'));
    try {
      const runner = codexRunner({
        runsDir,
        containment: (gateway) => this.#containment(gateway.url),
      });
      const result = await replayRecording({
        entries,
        originalReport: run.reportMarkdown,
        changes,
        currentSkill: (name) => this.#currentSkill(name),
        ...(provider === undefined ? {} : { provider }),
        runner,
        log: log.child({ run: run.id }),
        signal: AbortSignal.timeout(this.#options.deadlineMs),
      });
      return { ...result, replayed };
    } finally {
      await rm(runsDir, { recursive: true, force: true });
    }
  }

  /** A skill as it is now in the skills directory, all its files; undefined once deleted. */
  async #currentSkill(name: string): Promise<{ name: string; files: RunFile[] } | undefined> {
    const { skills } = this.#options;
    if ((await skills.get(name)) === undefined) return undefined;
    return { name, files: await filesUnder(path.join(skills.directory, name)) };
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
