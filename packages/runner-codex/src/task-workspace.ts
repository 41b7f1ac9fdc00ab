import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunGateway, RunTask } from '@akmatori/core';
import type { CodexConfigOptions } from './codex-config.js';
import { CodexRunnerErrors } from './errors.js';
import { prepareRunWorkspace, type RunWorkspace } from './run-workspace.js';
import { restoreSession } from './worker/session-archive.js';

/**
 * Builds the run directory `runDir` of a task from scratch: `AGENTS.md` (the task's
 * instructions), its skills (written from their files; a file starting with `#!` is made
 * executable), its context files, a `config.toml` for the gateway and model (plus the
 * runner's own `config` settings), and, for a follow-up, the Codex session restored into
 * CODEX_HOME from the task's `resume.state`. A directory left at `runDir` from an earlier
 * attempt is removed first.
 */
export async function prepareTaskWorkspace(
  task: RunTask,
  gateway: RunGateway,
  runDir: string,
  config: Omit<CodexConfigOptions, 'gatewayUrl' | 'model' | 'reasoningEffort'> = {},
): Promise<RunWorkspace> {
  if (gateway.model === undefined) throw CodexRunnerErrors.AKM_CODEX_MODEL_NOT_SET();
  if (task.resume !== undefined && task.resume.state === undefined)
    throw CodexRunnerErrors.AKM_CODEX_SESSION_NOT_RESUMABLE({ sessionId: task.resume.id });
  await rm(runDir, { recursive: true, force: true });
  const staging = `${runDir}.skills`;
  await rm(staging, { recursive: true, force: true });
  try {
    const skills = [];
    for (const skill of task.skills) {
      const dir = path.join(staging, checkedSegment(skill.name, 'skill name'));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const file of skill.files) {
        const target = path.join(
          dir,
          ...checkedRelativePath(file.path, `file of skill ${skill.name}`),
        );
        const content = Buffer.from(file.content);
        await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await writeFile(target, content, { mode: isScript(content) ? 0o700 : 0o600 });
      }
      skills.push({ name: skill.name, dir });
    }
    const workspace = await prepareRunWorkspace({
      runDir,
      config: {
        ...config,
        gatewayUrl: gateway.url,
        model: gateway.model,
        ...(gateway.reasoningEffort === undefined
          ? {}
          : { reasoningEffort: gateway.reasoningEffort }),
      },
      agentsMd: task.instructions,
      skills,
      contextFiles: contextFilesOf(task),
    });
    if (task.resume?.state !== undefined) {
      await restoreSession(workspace.codexHome, { gzipBase64: task.resume.state });
    }
    return workspace;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `name` as one path segment: no separators, not `.` or `..`. */
export function checkedSegment(name: string, what: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw CodexRunnerErrors.AKM_CODEX_TASK_NAME_INVALID({ what, name });
  }
  return name;
}

function checkedRelativePath(name: string, what: string): string[] {
  const segments = name.split('/');
  if (
    segments.some(
      (segment) => segment === '' || segment === '.' || segment === '..' || /[\\\0]/.test(segment),
    )
  ) {
    throw CodexRunnerErrors.AKM_CODEX_TASK_NAME_INVALID({ what, name });
  }
  return segments;
}

/**
 * The task's context files, plus its incident context as `incident/incident.md` when the
 * host did not send that file: the context is data from outside (alerts, the reporter), so it
 * goes beside the instructions, never into AGENTS.md.
 */
function contextFilesOf(task: RunTask): { name: string; content: Uint8Array | string }[] {
  const files: { name: string; content: Uint8Array | string }[] = task.contextFiles.map((file) => ({
    name: file.path,
    content: file.content,
  }));
  if (task.context.trim() !== '' && !files.some((file) => file.name === INCIDENT_FILE))
    files.push({ name: INCIDENT_FILE, content: task.context });
  return files;
}

const INCIDENT_FILE = 'incident/incident.md';

function isScript(content: Buffer): boolean {
  return content.length >= 2 && content[0] === 0x23 && content[1] === 0x21;
}
