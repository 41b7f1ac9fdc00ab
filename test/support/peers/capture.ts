import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReceivedRequest } from './receiver.js';

/** The repository root (this file is `test/support/peers/capture.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Where a source's captured payloads live, e.g. `fixturesDir('alertmanager')`. */
export function fixturesDir(source: string): string {
  return path.join(REPO_ROOT, 'packages', 'adapters', 'src', source, 'fixtures');
}

/**
 * Set `AKMATORI_WRITE_CAPTURES=1` to (re)write the captured fixtures; without it the capture
 * tests only compare what the real peers send now with the committed files.
 */
export const WRITING_CAPTURES = process.env.AKMATORI_WRITE_CAPTURES === '1';

/** One payload captured from a real peer, and how it was produced. */
export interface Capture {
  /** Fixture folder, from {@link fixturesDir}. */
  dir: string;
  /** File stem, e.g. `captured_am025_one_firing`. */
  name: string;
  /** What the payload shows, one sentence. */
  what: string;
  request: ReceivedRequest;
  /** The peers and their versions, one line each. */
  producers: string[];
  /** The steps the test took, in order. */
  steps: string[];
  /** Configuration files the peers ran with, by file name. */
  configs: Record<string, string>;
  /** The command that produced it. */
  command: string;
}

/**
 * Writes `<name>.json` (the body exactly as received) and `<name>.source.txt`.
 *
 * @example
 * ```ts
 * writeCapture({ dir: fixturesDir('alertmanager'), name: 'captured_am025_x', ...rest });
 * ```
 */
export function writeCapture(capture: Capture): void {
  const { request } = capture;
  writeFileSync(path.join(capture.dir, `${capture.name}.json`), request.body);
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'host')
    .map(([name, value]) => `  ${name}: ${String(value)}`);
  const configs = Object.entries(capture.configs).map(
    ([file, text]) => `--- ${file} ---\n${text.trimEnd()}`,
  );
  const text = [
    `${capture.name}.json: ${capture.what}`,
    '',
    `Captured: ${request.receivedAt.toISOString()}, on 127.0.0.1 (${debianRelease()}, Node ${process.version}).`,
    `Command: ${capture.command}`,
    'Produced by:',
    ...capture.producers.map((line) => `  ${line}`),
    '',
    `The .json file is the request body byte for byte as the receiver got it: ${request.body.length} bytes, sha256 ${createHash('sha256').update(request.body).digest('hex')}.`,
    `Request: ${request.method} ${request.path}`,
    'Headers (except Host):',
    ...headers,
    '',
    'Steps:',
    ...capture.steps.map((step, index) => `  ${index + 1}. ${step}`),
    '',
    'Configuration:',
    ...configs,
    '',
  ].join('\n');
  writeFileSync(path.join(capture.dir, `${capture.name}.source.txt`), text);
}

/** The committed fixture body, parsed; throws a clear error when it is missing. */
export function readCommittedCapture(dir: string, name: string): unknown {
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run with AKMATORI_WRITE_CAPTURES=1 to capture it`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The structure of a JSON value: object keys (sorted) and value types, with the values kept
 * for the keys in `keep` (statuses and versions, which a scenario fixes). Two captures of the
 * same scenario have the same shape even though their times and ids differ.
 *
 * @example
 * ```ts
 * shapeOf({ status: 'firing', startsAt: '2026-…' }, ['status']); // { startsAt: 'string', status: 'firing' }
 * ```
 */
export function shapeOf(value: unknown, keep: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => shapeOf(item, keep));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => {
          const item = (value as Record<string, unknown>)[key];
          const kept = keep.includes(key) && typeof item !== 'object';
          return [key, kept ? item : shapeOf(item, keep)];
        }),
    );
  }
  return value === null ? 'null' : typeof value;
}

/**
 * The installed version of a Debian package, e.g. `0.25.0-1+b4`.
 *
 * @example
 * ```ts
 * const version = debianPackageVersion('prometheus');
 * ```
 */
export function debianPackageVersion(name: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', name], { encoding: 'utf8' });
  } catch {
    return 'unknown';
  }
}

function debianRelease(): string {
  try {
    return `Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}`;
  } catch {
    return process.platform;
  }
}
