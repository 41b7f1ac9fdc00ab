import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { CodexRunnerErrors } from './errors.js';

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

/** Codex's platform packages by `process.platform`-`process.arch` (as `@openai/codex/bin/codex.js` maps them). */
const PLATFORM_PACKAGES: Readonly<Record<string, { pkg: string; triple: string }>> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
};

/**
 * The directory of the native Codex build for this Linux machine (holding `bin/codex` and its
 * helpers), from the platform package `@openai/codex` installed as an optional dependency. The
 * agent sandbox mounts this directory alone, read-only. Throws when this platform has no such
 * package or it is missing (installed with `--omit=optional`).
 *
 * @example
 * ```ts
 * path.join(codexPlatformDir(), 'bin', 'codex'); // the native binary
 * ```
 */
export function codexPlatformDir(): string {
  const platform = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (platform === undefined) {
    throw CodexRunnerErrors.AKM_CODEX_PLATFORM_UNSUPPORTED({
      platform: `${process.platform}-${process.arch}`,
    });
  }
  const codexRequire = createRequire(require.resolve('@openai/codex/package.json'));
  let manifest: string;
  try {
    manifest = codexRequire.resolve(`${platform.pkg}/package.json`);
  } catch {
    throw CodexRunnerErrors.AKM_CODEX_BINARY_MISSING({
      reason: `Codex's platform package ${platform.pkg} is missing: reinstall with optional dependencies (npm install)`,
    });
  }
  const dir = path.join(path.dirname(manifest), 'vendor', platform.triple);
  if (!existsSync(path.join(dir, 'bin', 'codex'))) {
    throw CodexRunnerErrors.AKM_CODEX_BINARY_MISSING({
      reason: `Codex's platform package has no binary at ${path.join(dir, 'bin', 'codex')}`,
    });
  }
  return dir;
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
