import { chmod, cp, lstat, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderCodexConfig, type CodexConfigOptions } from './codex-config.js';
import { CodexRunnerErrors } from './errors.js';

/** An Agent Skill to copy into the workspace: `dir` (holding `SKILL.md`) becomes `.agents/skills/<name>/`. */
export interface SkillSource {
  /** Skill name: lowercase letters, digits and single hyphens, at most 64 characters. */
  readonly name: string;
  /** Directory to copy (symbolic links, `.git` and `node_modules` are left out). */
  readonly dir: string;
}

/** A file for the agent to read, written to `workspace/context/<name>` from `content` or copied from `path`. */
export type ContextFile =
  | { readonly name: string; readonly content: string | Uint8Array }
  | { readonly name: string; readonly path: string };

/** What {@link prepareRunWorkspace} builds. */
export interface RunWorkspaceOptions {
  /** The run directory to create (its parent is created too). Codex's HOME. */
  readonly runDir: string;
  /** What `codex-home/config.toml` says. */
  readonly config: CodexConfigOptions;
  /** Text of `workspace/AGENTS.md` (see `renderAgentsMd`). */
  readonly agentsMd: string;
  /** Skills to copy into `workspace/.agents/skills/`. */
  readonly skills?: readonly SkillSource[];
  /** Files to put into `workspace/context/`. */
  readonly contextFiles?: readonly ContextFile[];
  /**
   * Reuse an existing run directory (a follow-up resuming its Codex session, whose history
   * lives in `codex-home/sessions/`): the workspace and Codex home stay, while config,
   * AGENTS.md, skills and context files are written anew. Without it an existing directory
   * is an error.
   */
  readonly reuse?: boolean;
}

/** The paths of a run directory. */
export interface RunWorkspace {
  /** The run directory: Codex's HOME. */
  readonly runDir: string;
  /** `workspace/`: Codex's working directory, the only place its shell may write (besides tmp). */
  readonly workspaceDir: string;
  /** `codex-home/`: CODEX_HOME (config, sessions for resuming, logs). */
  readonly codexHome: string;
  /** `tmp/`: TMPDIR. */
  readonly tmpDir: string;
  /** `codex-home/config.toml`. */
  readonly configFile: string;
  /** `workspace/AGENTS.md`. */
  readonly agentsMdFile: string;
  /** `workspace/.agents/skills/`. */
  readonly skillsDir: string;
  /** `workspace/context/`. */
  readonly contextDir: string;
}

/**
 * The paths inside run directory `runDir`, without touching the disk.
 *
 * @example
 * ```ts
 * runWorkspacePaths('/var/lib/akmatori/runs/r1').codexHome; // '/var/lib/akmatori/runs/r1/codex-home'
 * ```
 */
export function runWorkspacePaths(runDir: string): RunWorkspace {
  const root = path.resolve(runDir);
  const workspaceDir = path.join(root, 'workspace');
  const codexHome = path.join(root, 'codex-home');
  return {
    runDir: root,
    workspaceDir,
    codexHome,
    tmpDir: path.join(root, 'tmp'),
    configFile: path.join(codexHome, 'config.toml'),
    agentsMdFile: path.join(workspaceDir, 'AGENTS.md'),
    skillsDir: path.join(workspaceDir, '.agents', 'skills'),
    contextDir: path.join(workspaceDir, 'context'),
  };
}

const SKILL_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FILE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * Creates a run directory: `codex-home/config.toml`, `workspace/AGENTS.md`, the skills under
 * `workspace/.agents/skills/<name>/`, the context files under `workspace/context/`, and
 * `tmp/`. Everything is private to the worker's user (directories 0700, files 0600,
 * executables 0700). Rejects a skill or file name that could leave its directory.
 *
 * @example
 * ```ts
 * const ws = await prepareRunWorkspace({
 *   runDir: path.join(runsDir, task.incidentId),
 *   config: { gatewayUrl, model: 'gpt-5.5' },
 *   agentsMd: renderAgentsMd({ context: task.context }),
 *   skills: [{ name: 'disk-usage', dir: '/srv/skills/disk-usage' }],
 * });
 * ```
 */
export async function prepareRunWorkspace(options: RunWorkspaceOptions): Promise<RunWorkspace> {
  const paths = runWorkspacePaths(options.runDir);
  for (const skill of options.skills ?? []) {
    if (skill.name.length > 64 || !SKILL_NAME.test(skill.name)) {
      throw CodexRunnerErrors.AKM_CODEX_SKILL_NAME_INVALID({ name: skill.name });
    }
  }
  const contextNames = (options.contextFiles ?? []).map((file) => checkedRelativePath(file.name));

  await mkdir(path.dirname(paths.runDir), { recursive: true, mode: 0o700 });
  try {
    await mkdir(paths.runDir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || options.reuse !== true) {
      throw CodexRunnerErrors.AKM_CODEX_RUN_DIR_UNAVAILABLE({
        runDir: paths.runDir,
        reason: (error as Error).message,
      });
    }
  }
  for (const dir of [paths.workspaceDir, paths.codexHome, paths.tmpDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  await writeFile(paths.configFile, renderCodexConfig(options.config), { mode: 0o600 });
  await writeFile(paths.agentsMdFile, options.agentsMd, { mode: 0o600 });

  await rm(paths.skillsDir, { recursive: true, force: true });
  await mkdir(paths.skillsDir, { recursive: true, mode: 0o700 });
  for (const skill of options.skills ?? []) {
    await copySkill(skill, path.join(paths.skillsDir, skill.name));
  }

  await rm(paths.contextDir, { recursive: true, force: true });
  await mkdir(paths.contextDir, { recursive: true, mode: 0o700 });
  for (const [index, file] of (options.contextFiles ?? []).entries()) {
    const target = path.join(paths.contextDir, contextNames[index]!);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    if ('content' in file) await writeFile(target, file.content, { mode: 0o600 });
    else await cp(file.path, target, { errorOnExist: true, force: false });
  }

  await makePrivate(paths.runDir);
  return paths;
}

async function copySkill(skill: SkillSource, target: string): Promise<void> {
  const source = path.resolve(skill.dir);
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw CodexRunnerErrors.AKM_CODEX_SKILL_DIR_MISSING({ skill: skill.name, dir: source });
  }
  await cp(source, target, {
    recursive: true,
    filter: async (from) => {
      if (SKIPPED.has(path.basename(from)) && from !== source) return false;
      return !(await lstat(from)).isSymbolicLink();
    },
  });
}

/** `name` as a path below a directory: relative, no `..`, each segment a plain file name. */
function checkedRelativePath(name: string): string {
  const segments = name.split('/');
  if (name === '' || segments.some((segment) => !FILE_SEGMENT.test(segment))) {
    throw CodexRunnerErrors.AKM_CODEX_CONTEXT_FILE_NAME_INVALID({ name });
  }
  return path.join(...segments);
}

/** chmod 0700 for directories and executables, 0600 for other files, below and including `dir`. */
async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makePrivate(full);
    else if (entry.isFile()) {
      const { mode } = await stat(full);
      await chmod(full, (mode & 0o111) !== 0 ? 0o700 : 0o600);
    }
  }
}
