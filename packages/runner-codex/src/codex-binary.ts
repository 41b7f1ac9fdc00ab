import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);

/**
 * Path of the Codex CLI entry point (`@openai/codex/bin/codex.js`) this package depends on.
 * Run it with `process.execPath`; it finds the platform binary in its optional dependency.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [codexEntryPoint(), '--version']);
 * ```
 */
export function codexEntryPoint(): string {
  return require.resolve('@openai/codex/bin/codex.js');
}

/** The `@openai/codex` version installed (pinned exactly in this package's dependencies). */
export function installedCodexVersion(): string {
  return (require('@openai/codex/package.json') as { version: string }).version;
}

/**
 * What `codex --version` prints (say `codex-cli 0.169.0`). Rejects, with Codex's own message,
 * when the binary cannot run (a missing platform package says "Missing optional dependency").
 *
 * @example
 * ```ts
 * await codexCliVersion(); // 'codex-cli 0.169.0'
 * ```
 */
export async function codexCliVersion(entryPoint: string = codexEntryPoint()): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [entryPoint, '--version'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 30_000,
  });
  return stdout.trim();
}
