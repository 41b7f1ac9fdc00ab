import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { SessionArchive } from '../protocol/worker-protocol.js';
import { CodexRunnerErrors } from '../errors.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The part of CODEX_HOME a session lives in: `codex exec resume <id>` finds the thread by its
 * rollout file `sessions/YYYY/MM/DD/rollout-…-<id>.jsonl` alone (checked with Codex 0.169:
 * the sqlite state files are not needed, and the resumed thread runs in the new workspace).
 */
export const SESSION_DIR = 'sessions';

/** Limits of {@link packSession} and {@link restoreSession}. */
export const sessionArchiveDefaults = Object.freeze({
  /** Largest archive {@link packSession} makes (length of `gzipBase64`): 20 MiB. */
  maxArchiveBytes: 20 * 1024 * 1024,
  /** Largest unpacked content {@link restoreSession} accepts: 256 MiB. */
  maxContentBytes: 256 * 1024 * 1024,
});

interface ArchivedFile {
  readonly path: string;
  readonly contentBase64: string;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Packs the Codex session files of `codexHome` (everything under `sessions/`, regular files
 * only) into a {@link SessionArchive}, so that a follow-up can resume the thread on any
 * worker. Throws when the archive would be larger than `maxArchiveBytes` (default 20 MiB).
 *
 * @example
 * ```ts
 * const session = await packSession(workspace.codexHome);
 * // …on another worker, before `runCodex({ resumeSessionId })`:
 * await restoreSession(other.codexHome, session);
 * ```
 */
export async function packSession(
  codexHome: string,
  options: { readonly maxArchiveBytes?: number } = {},
): Promise<SessionArchive> {
  const maxArchiveBytes = options.maxArchiveBytes ?? sessionArchiveDefaults.maxArchiveBytes;
  const files: ArchivedFile[] = [];
  for (const relative of await regularFiles(codexHome, SESSION_DIR)) {
    const content = await readFile(path.join(codexHome, relative));
    files.push({
      path: relative.split(path.sep).join('/'),
      contentBase64: content.toString('base64'),
    });
  }
  const packed = await gzipAsync(Buffer.from(JSON.stringify(files)));
  const gzipBase64 = packed.toString('base64');
  if (gzipBase64.length > maxArchiveBytes) {
    throw CodexRunnerErrors.AKM_CODEX_SESSION_ARCHIVE_TOO_LARGE({
      codexHome,
      bytes: gzipBase64.length,
      limit: maxArchiveBytes,
    });
  }
  return { gzipBase64 };
}

/**
 * Writes the files of `archive` into `codexHome` (directories 0700, files 0600). Only paths
 * under `sessions/` are accepted: an archive cannot replace `config.toml` or anything else
 * of the Codex home. Throws on a malformed archive, a path leaving `sessions/`, or content
 * larger than `maxContentBytes` (default 256 MiB) once unpacked.
 *
 * @example
 * ```ts
 * await restoreSession(workspace.codexHome, assignment.resume.archive);
 * ```
 */
export async function restoreSession(
  codexHome: string,
  archive: SessionArchive,
  options: { readonly maxContentBytes?: number } = {},
): Promise<void> {
  const maxContentBytes = options.maxContentBytes ?? sessionArchiveDefaults.maxContentBytes;
  let files: unknown;
  try {
    const json = await gunzipAsync(Buffer.from(archive.gzipBase64, 'base64'), {
      maxOutputLength: maxContentBytes,
    });
    files = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw CodexRunnerErrors.AKM_CODEX_SESSION_ARCHIVE_INVALID({
      problem: `cannot be read: ${(error as Error).message}`,
    });
  }
  if (!Array.isArray(files))
    throw CodexRunnerErrors.AKM_CODEX_SESSION_ARCHIVE_INVALID({
      problem: 'is not a list of files',
    });
  const checked = files.map((file) => checkedFile(file));
  for (const file of checked) {
    const target = path.join(codexHome, ...file.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(target, Buffer.from(file.contentBase64, 'base64'), { mode: 0o600 });
  }
}

function checkedFile(file: unknown): ArchivedFile {
  const entry = file as Partial<ArchivedFile> | null;
  if (
    typeof entry !== 'object' ||
    entry === null ||
    typeof entry.path !== 'string' ||
    typeof entry.contentBase64 !== 'string'
  ) {
    throw CodexRunnerErrors.AKM_CODEX_SESSION_ARCHIVE_INVALID({
      problem: 'holds an entry without path and contentBase64',
    });
  }
  const segments = entry.path.split('/');
  if (
    segments[0] !== SESSION_DIR ||
    segments.length < 2 ||
    !segments.every((segment) => SEGMENT.test(segment))
  ) {
    throw CodexRunnerErrors.AKM_CODEX_SESSION_ARCHIVE_INVALID({
      problem: `holds ${JSON.stringify(entry.path)}: only files under ${SESSION_DIR}/ may be restored`,
    });
  }
  return { path: entry.path, contentBase64: entry.contentBase64 };
}

/** Regular files below `root/dir`, relative to `root`, sorted; none when `dir` is missing. */
async function regularFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const found: string[] = [];
  for (const entry of entries) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await regularFiles(root, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}
