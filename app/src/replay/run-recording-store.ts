import type { Clock, RunFile, RunTask } from '@akmatori/core';
import type { SecretBox } from '@akmatori/host';
import type { RecordedEntry } from '@akmatori/gateway';
import type { Knex } from 'knex';

/**
 * The context a run's recording entries are sealed under: an entry cannot be opened as
 * another run's, nor as a tool secret.
 *
 * @example
 * ```ts
 * secretBox.seal(JSON.stringify(entry), recordingContext(runId));
 * ```
 */
export function recordingContext(runId: string): string {
  return `run-recording:${runId}`;
}

/**
 * Reads and writes runs' recordings (`run_recordings`): the gateway appends model exchanges,
 * tool lists and tool results; the dispatcher appends the run's task. Every entry is sealed
 * with the secret box; reading opens them in the order they were recorded.
 *
 * @example
 * ```ts
 * const store = new RunRecordingStore({ knex, secretBox, clock });
 * const entries = await store.entries(runId);
 * ```
 */
export class RunRecordingStore {
  readonly #options: { readonly knex: Knex; readonly secretBox: SecretBox; readonly clock: Clock };

  constructor(options: { knex: Knex; secretBox: SecretBox; clock: Clock }) {
    this.#options = options;
  }

  /**
   * Records the run's task, with the session a follow-up resumes (its earlier turns), so a
   * replay of the follow-up gives the agent what it had.
   */
  async recordTask(task: RunTask): Promise<void> {
    await this.append(
      { runId: task.runId, incidentId: task.incidentId },
      { kind: 'task', task: storedTask(task) },
    );
  }

  /** Appends one entry (already scrubbed) to the run's recording, sealed. */
  async append(run: { runId: string; incidentId: string }, entry: RecordedEntry): Promise<void> {
    const { knex, secretBox, clock } = this.#options;
    await knex('run_recordings').insert({
      run_id: run.runId,
      incident_id: run.incidentId,
      kind: entry.kind,
      sealed: secretBox.seal(JSON.stringify(entry), recordingContext(run.runId)),
      recorded_at: clock.now(),
    });
  }

  /** The run's entries, opened, in the order they were recorded; empty when none is kept. */
  async entries(runId: string): Promise<RecordedEntry[]> {
    const rows = (await this.#options
      .knex('run_recordings')
      .select('sealed')
      .where({ run_id: runId })
      .orderBy('id')) as { sealed: string }[];
    return rows.map(
      (row) =>
        JSON.parse(
          this.#options.secretBox.open(row.sealed, recordingContext(runId)),
        ) as RecordedEntry,
    );
  }
}

/** A file of a recorded task: its bytes as base64. */
interface StoredFile {
  readonly path: string;
  readonly base64: string;
}

const storeFile = (file: RunFile): StoredFile => ({
  path: file.path,
  base64: Buffer.from(file.content).toString('base64'),
});
const openFile = (file: StoredFile): RunFile => ({
  path: file.path,
  content: new Uint8Array(Buffer.from(file.base64, 'base64')),
});

/** A task as JSON (files as base64), with the session a follow-up resumes. */
function storedTask(task: RunTask): Record<string, unknown> {
  return {
    ...(task.resume === undefined ? {} : { resume: { ...task.resume } }),
    runId: task.runId,
    incidentId: task.incidentId,
    prompt: task.prompt,
    instructions: task.instructions,
    context: task.context,
    deadlineMs: task.deadlineMs,
    skills: task.skills.map((skill) => ({ name: skill.name, files: skill.files.map(storeFile) })),
    contextFiles: task.contextFiles.map(storeFile),
  };
}

/**
 * The task a recording holds, as a runner takes it; undefined when the recording has none
 * (a run recorded before tasks were).
 *
 * @example
 * ```ts
 * const task = recordedTask(await store.entries(runId));
 * ```
 */
export function recordedTask(entries: readonly RecordedEntry[]): RunTask | undefined {
  const entry = entries.find((candidate) => candidate.kind === 'task');
  if (entry === undefined) return undefined;
  const stored = entry.task as {
    runId: string;
    incidentId: string;
    prompt: string;
    instructions: string;
    context: string;
    deadlineMs: number;
    skills: { name: string; files: StoredFile[] }[];
    contextFiles: StoredFile[];
    resume?: { id: string; state?: string };
  };
  return {
    ...(stored.resume === undefined ? {} : { resume: stored.resume }),
    runId: stored.runId,
    incidentId: stored.incidentId,
    prompt: stored.prompt,
    instructions: stored.instructions,
    context: stored.context,
    deadlineMs: stored.deadlineMs,
    skills: stored.skills.map((skill) => ({ name: skill.name, files: skill.files.map(openFile) })),
    contextFiles: stored.contextFiles.map(openFile),
  };
}
