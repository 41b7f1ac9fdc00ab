import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineRunner, type RunEvent, type Runner, type RunTask } from '@akmatori/core';
import { renderAgentsMd } from './agents-md.js';
import type { CodexConfigOptions } from './codex-config.js';
import { EventQueue } from './event-queue.js';
import { runCodex, type CodexRun, type RunCodexOptions } from './run-codex.js';
import type { AgentContainment } from './sandbox/agent-containment.js';
import { prepareRunWorkspace, type ContextFile, type SkillSource } from './run-workspace.js';

type Maybe<T> = T | Promise<T>;

/** How {@link codexRunner} builds and runs each investigation. */
export interface CodexRunnerOptions {
  /** Root URL of the MCP gateway (model proxy at `/v1`, MCP at `/mcp`). */
  readonly gatewayUrl: string;
  /** Model name, such as `gpt-5.5`. */
  readonly model: string;
  /** Reasoning effort (`low`, `medium`, `high`…); Codex's default when absent. */
  readonly reasoningEffort?: string;
  /** Directory holding the run directories, one per incident: `<runsDir>/<incidentId>/`. */
  readonly runsDir: string;
  /** The gateway run token for a task (scoped to its incident, tools and lifetime). */
  readonly runToken: (task: RunTask) => Maybe<string>;
  /** The longest a run may take, in milliseconds. Default 30 minutes. */
  readonly deadlineMs?: number;
  /**
   * The skills to copy for a task: a directory holding one sub-directory per skill name
   * (the task's `skills` are looked up there), or a function returning the sources.
   */
  readonly skills?: string | ((task: RunTask) => Maybe<readonly SkillSource[]>);
  /** Files to put into `workspace/context/` for a task. */
  readonly contextFiles?: (task: RunTask) => Maybe<readonly ContextFile[]>;
  /**
   * The AGENTS.md of a task. Default: the default instructions; the task's context (untrusted
   * incident data) goes to `context/incident/incident.md`, not into AGENTS.md.
   */
  readonly agentsMd?: (task: RunTask) => Maybe<string>;
  /**
   * How the agent is contained: `bwrap` (default: a bubblewrap sandbox per run that reaches
   * only the gateway) or `container` (the process's own container is the sandbox).
   */
  readonly containment?: AgentContainment['kind'];
  /** More Codex config settings (timeouts, retries, sandbox network…). */
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

/**
 * The Codex runner (id `codex`): for each task it prepares the run directory
 * `<runsDir>/<incidentId>/` (fresh for a new investigation, reused by a follow-up with
 * `resumeSessionId`, whose Codex session lives there), then runs `codex exec --json` against
 * the gateway and streams the run events. Cancelling, or aborting the context's signal,
 * stops Codex. Errors while preparing end the events with `run.failed`.
 *
 * One run per incident at a time: the caller serializes follow-ups of an incident.
 *
 * @example
 * ```ts
 * const runner = codexRunner({
 *   gatewayUrl: 'http://gateway:8080',
 *   model: 'gpt-5.5',
 *   runsDir: '/var/lib/akmatori/runs',
 *   runToken: (task) => api.issueRunToken(task.runId),
 *   skills: '/var/lib/akmatori/skills',
 * });
 * const handle = runner.start(task, { log, signal });
 * ```
 */
export function codexRunner(options: CodexRunnerOptions): Runner {
  return defineRunner({
    id: 'codex',
    displayName: 'OpenAI Codex',
    start(task, context) {
      let run: CodexRun | undefined;
      let cancelReason: string | undefined;
      const queue = new EventQueue<RunEvent>(() => void cancel('the reader of the events stopped'));
      const stopped = (): string | undefined =>
        cancelReason ?? (context.signal.aborted ? 'the host is stopping' : undefined);

      const driving = (async (): Promise<void> => {
        try {
          const resume = task.resumeSessionId;
          const runDir = path.join(options.runsDir, safeSegment(task.incidentId));
          if (resume !== undefined && !(await isDirectory(path.join(runDir, 'codex-home')))) {
            throw new Error(`session ${resume} cannot be resumed: ${runDir} is not on this worker`);
          }
          if (resume === undefined) await rm(runDir, { recursive: true, force: true });
          const [runToken, skills, contextFiles, agentsMd] = await Promise.all([
            options.runToken(task),
            skillSources(options.skills, task),
            contextFilesOf(options, task),
            options.agentsMd?.(task) ?? renderAgentsMd(),
          ]);
          const workspace = await prepareRunWorkspace({
            runDir,
            config: {
              ...options.config,
              gatewayUrl: options.gatewayUrl,
              model: options.model,
              ...(options.reasoningEffort === undefined
                ? {}
                : { reasoningEffort: options.reasoningEffort }),
            },
            agentsMd,
            skills,
            contextFiles,
            reuse: resume !== undefined,
          });
          const reason = stopped();
          if (reason !== undefined) {
            queue.push({ type: 'run.failed', error: `cancelled: ${reason}` });
            return;
          }
          run = runCodex({
            ...options.process,
            workspace,
            prompt: task.prompt,
            runToken,
            containment:
              options.containment === 'container'
                ? { kind: 'container' }
                : { kind: 'bwrap', gatewayUrl: options.gatewayUrl },
            ...(resume === undefined ? {} : { resumeSessionId: resume }),
            ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
            signal: context.signal,
            log: context.log,
          });
          for await (const event of run.events) queue.push(event);
        } catch (error) {
          context.log.error({ err: error }, 'the Codex run could not start');
          queue.push({
            type: 'run.failed',
            error: `the run could not start: ${(error as Error).message}`,
          });
        } finally {
          queue.end();
        }
      })();

      async function cancel(reason?: string): Promise<void> {
        cancelReason ??= reason ?? 'cancelled';
        await run?.cancel(reason);
        await driving;
      }

      return { events: queue, cancel };
    },
  });
}

async function skillSources(
  skills: CodexRunnerOptions['skills'],
  task: RunTask,
): Promise<readonly SkillSource[]> {
  if (skills === undefined) return [];
  if (typeof skills === 'function') return skills(task);
  return task.skills.map((name) => ({ name, dir: path.join(skills, safeSegment(name)) }));
}

/**
 * The task's context files, then its incident context as `incident/incident.md`: the context
 * is data from outside (alerts, the reporter), so it goes beside the instructions, never into
 * AGENTS.md.
 */
async function contextFilesOf(options: CodexRunnerOptions, task: RunTask): Promise<ContextFile[]> {
  const files = [...((await options.contextFiles?.(task)) ?? [])];
  if (task.context.trim() !== '' && !files.some((file) => file.name === 'incident/incident.md'))
    files.push({ name: 'incident/incident.md', content: task.context });
  return files;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() === true;
}

/** `value` as one path segment: refuses separators and dot names. */
function safeSegment(value: string): string {
  if (value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new TypeError(`${JSON.stringify(value)} cannot name a directory`);
  }
  return value;
}
