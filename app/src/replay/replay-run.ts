import { randomUUID } from 'node:crypto';
import type { Logger, RunEvent, Runner, RunSkill, RunTask } from '@akmatori/core';
import type { LlmProvider, RecordedEntry, RecordedModelExchange } from '@akmatori/gateway';
import { parseFinalReport, type FinalReport } from '@akmatori/runner-codex';
import { AppErrors } from '../errors.js';
import { RecordedTools, type ReplayedToolCall } from './recorded-tools.js';
import { diffReplay, type ComparedToolCall, type ReplayDiff } from './replay-diff.js';
import { startReplayServer } from './replay-server.js';
import { recordedTask } from './run-recording-store.js';

/** What to change in a replay, and where its model answers come from. */
export interface ReplayChanges {
  /**
   * `recorded`: the model answers from the recording too, so the replay must reproduce the run
   * exactly. `model`: a real model answers (the tools still from the recording).
   */
  readonly mode: 'recorded' | 'model';
  /**
   * `recording` (default): the skills as the run had them. `current`: each skill the run had,
   * as it is now in the skills directory (all its files; a skill since deleted stays as
   * recorded), so today's skills meet the situation the run met.
   */
  readonly skillsFrom?: 'recording' | 'current';
  /** Skills whose `SKILL.md` is replaced (or that are added) for the replay, after `skillsFrom`. */
  readonly skills?: readonly { readonly name: string; readonly content: string }[];
  /** Replaces the run's prompt. */
  readonly prompt?: string;
  /** Replaces the run's instructions (AGENTS.md). */
  readonly instructions?: string;
}

/** One side of the comparison: the tool calls made and the report written. */
export interface ReplaySide {
  readonly toolCalls: readonly ComparedToolCall[];
  readonly reportMarkdown: string | null;
  readonly report: FinalReport;
}

/** What a replay did and how it differs from the recorded run. */
export interface ReplayResult {
  readonly mode: ReplayChanges['mode'];
  /** Where the replay's skills came from. */
  readonly skillsFrom: NonNullable<ReplayChanges['skillsFrom']>;
  readonly original: ReplaySide;
  readonly replay: ReplaySide & {
    readonly status: 'completed' | 'failed';
    readonly error: string | null;
    /** Every tool call of the replay, with whether the recording answered it. */
    readonly calls: readonly ReplayedToolCall[];
    readonly modelCalls: number;
  };
  readonly diff: ReplayDiff;
}

/** What {@link replayRecording} needs. */
export interface ReplayOptions {
  readonly entries: readonly RecordedEntry[];
  /** The recorded run's final report (Markdown), null when it wrote none. */
  readonly originalReport: string | null;
  readonly changes: ReplayChanges;
  /** A skill as it is now (all its files), undefined when it no longer exists: for `skillsFrom: current`. */
  readonly currentSkill?: (name: string) => Promise<RunSkill | undefined>;
  /** The endpoint that answers in `model` mode. */
  readonly provider?: LlmProvider;
  /** The runner that replays (the Codex runner, pointed at a scratch runs directory). */
  readonly runner: Runner;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * Replays a recorded run: the recorded task (with the changes) goes to the runner, whose agent
 * reaches a stand-in gateway that answers every tool call from the recording (a call not in it
 * gets a "not recorded" error; nothing real is called) and the model from the recording or a
 * real endpoint. Returns both sides and their {@link diffReplay} differences.
 *
 * @example
 * ```ts
 * const result = await replayRecording({ entries, originalReport, changes: { mode: 'recorded' }, runner, log, signal });
 * result.diff.identical; // true when the run was reproduced exactly
 * ```
 */
export async function replayRecording(options: ReplayOptions): Promise<ReplayResult> {
  const { entries, changes, log } = options;
  const recorded = recordedTask(entries);
  if (recorded === undefined)
    throw AppErrors.AKM_REPLAY_NOT_RECORDED({ reason: 'the recording holds no task' });
  const exchanges = entries.filter(
    (entry): entry is RecordedModelExchange => entry.kind === 'model',
  );
  if (changes.mode === 'model' && options.provider === undefined)
    throw AppErrors.AKM_REPLAY_UNAVAILABLE({ reason: 'no LLM provider is configured' });
  const tools = new RecordedTools(entries);
  const server = await startReplayServer({
    tools,
    model:
      changes.mode === 'recorded'
        ? { kind: 'recorded', exchanges }
        : { kind: 'provider', provider: options.provider! },
    log,
  });
  try {
    const model = changes.mode === 'recorded' ? recordedModel(exchanges) : options.provider?.model;
    const skills = await skillsFor(recorded, changes, options.currentSkill);
    const handle = options.runner.start(changedTask(recorded, skills, changes), {
      log: log.child({ replay: recorded.runId }),
      signal: options.signal,
      gateway: {
        url: server.url,
        mcpUrl: `${server.url}/mcp`,
        modelUrl: `${server.url}/v1`,
        runToken: server.token,
        ...(model === undefined ? {} : { model }),
      },
    });
    let end: RunEvent | undefined;
    for await (const event of handle.events)
      if (event.type === 'run.completed' || event.type === 'run.failed') end = event;
    await handle.session?.catch(() => undefined);
    const reportMarkdown = end?.type === 'run.completed' ? end.summary : null;
    const original: ReplaySide = {
      toolCalls: entries.flatMap((entry) =>
        entry.kind === 'tool' ? [{ name: entry.name, arguments: entry.arguments }] : [],
      ),
      reportMarkdown: options.originalReport,
      report: parseFinalReport(options.originalReport ?? ''),
    };
    const replay = {
      toolCalls: tools.calls.map(({ name, arguments: args }) => ({ name, arguments: args })),
      reportMarkdown,
      report: parseFinalReport(reportMarkdown ?? ''),
      status: end?.type === 'run.completed' ? ('completed' as const) : ('failed' as const),
      error: end?.type === 'run.failed' ? end.error : end === undefined ? 'no end event' : null,
      calls: tools.calls,
      modelCalls: server.modelCalls(),
    };
    return {
      mode: changes.mode,
      skillsFrom: changes.skillsFrom ?? 'recording',
      original,
      replay,
      diff: diffReplay(original, replay),
    };
  } finally {
    await server.close();
  }
}

/** The model the recorded run's requests named, so the agent behaves as it did. */
function recordedModel(exchanges: readonly RecordedModelExchange[]): string | undefined {
  const request = exchanges[0]?.request as { model?: unknown } | undefined;
  return typeof request?.model === 'string' ? request.model : undefined;
}

/** The skills the replay runs with: as recorded or as they are now, then the changed SKILL.md files. */
async function skillsFor(
  task: RunTask,
  changes: ReplayChanges,
  currentSkill: ReplayOptions['currentSkill'],
): Promise<RunSkill[]> {
  const skills: RunSkill[] = [];
  for (const skill of task.skills)
    skills.push(
      changes.skillsFrom === 'current' ? ((await currentSkill?.(skill.name)) ?? skill) : skill,
    );
  for (const change of changes.skills ?? []) {
    const content = new TextEncoder().encode(change.content);
    const index = skills.findIndex((skill) => skill.name === change.name);
    const others = index < 0 ? [] : skills[index]!.files.filter((f) => f.path !== 'SKILL.md');
    const skill = { name: change.name, files: [{ path: 'SKILL.md', content }, ...others] };
    if (index < 0) skills.push(skill);
    else skills[index] = skill;
  }
  return skills;
}

/** The recorded task with the replay's skills and changes, under a new run id. */
function changedTask(task: RunTask, skills: RunSkill[], changes: ReplayChanges): RunTask {
  return {
    ...task,
    runId: randomUUID(),
    skills,
    ...(changes.prompt === undefined ? {} : { prompt: changes.prompt }),
    ...(changes.instructions === undefined ? {} : { instructions: changes.instructions }),
  };
}
