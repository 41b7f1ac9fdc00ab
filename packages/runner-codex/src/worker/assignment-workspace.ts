import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CodexConfigOptions } from '../codex-config.js';
import type { RunAssignment } from '../protocol/worker-protocol.js';
import { prepareRunWorkspace, type RunWorkspace } from '../run-workspace.js';
import { restoreSession } from './session-archive.js';

/**
 * Builds the run directory `runDir` of an assignment from scratch: `AGENTS.md`, its skills
 * (written from the assignment's files; a file starting with `#!` is made executable),
 * its context files, a `config.toml` for its gateway and model (plus the worker's own
 * `config` settings), and, for a follow-up, the Codex session restored into CODEX_HOME.
 * A directory left at `runDir` from an earlier attempt is removed first.
 */
export async function prepareAssignmentWorkspace(
  assignment: RunAssignment,
  runDir: string,
  config: Omit<CodexConfigOptions, 'gatewayUrl' | 'model' | 'reasoningEffort'> = {},
): Promise<RunWorkspace> {
  await rm(runDir, { recursive: true, force: true });
  const staging = `${runDir}.skills`;
  await rm(staging, { recursive: true, force: true });
  try {
    const skills = [];
    for (const skill of assignment.skills) {
      const dir = path.join(staging, checkedSegment(skill.name, 'skill name'));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const file of skill.files) {
        const target = path.join(
          dir,
          ...checkedRelativePath(file.path, `file of skill ${skill.name}`),
        );
        const content = Buffer.from(file.contentBase64, 'base64');
        await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await writeFile(target, content, { mode: isScript(content) ? 0o700 : 0o600 });
      }
      skills.push({ name: skill.name, dir });
    }
    const workspace = await prepareRunWorkspace({
      runDir,
      config: {
        ...config,
        gatewayUrl: assignment.gatewayUrl,
        model: assignment.model,
        ...(assignment.reasoningEffort === undefined
          ? {}
          : { reasoningEffort: assignment.reasoningEffort }),
      },
      agentsMd: assignment.agentsMd,
      skills,
      contextFiles: assignment.contextFiles.map((file) => ({
        name: file.path,
        content: Buffer.from(file.contentBase64, 'base64'),
      })),
    });
    if (assignment.resume !== undefined) {
      await restoreSession(workspace.codexHome, assignment.resume.archive);
    }
    return workspace;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `name` as one path segment: no separators, not `.` or `..`. */
export function checkedSegment(name: string, what: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new TypeError(`invalid ${what} ${JSON.stringify(name)}`);
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
    throw new TypeError(`invalid ${what} ${JSON.stringify(name)}`);
  }
  return segments;
}

function isScript(content: Buffer): boolean {
  return content.length >= 2 && content[0] === 0x23 && content[1] === 0x21;
}
