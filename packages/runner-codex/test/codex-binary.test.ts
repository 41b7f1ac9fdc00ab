import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codexCliVersion, codexEntryPoint, installedCodexVersion } from '../src/index.js';

describe('the Codex CLI this package drives', () => {
  it('is installed and prints the pinned version codex-cli 0.169.0', async () => {
    const version = await codexCliVersion().catch((error: Error) => {
      throw new Error(
        `codex at ${codexEntryPoint()} does not run (reinstall with optional dependencies: npm install): ${error.message}`,
      );
    });
    expect(version).toBe('codex-cli 0.169.0');
    expect(installedCodexVersion()).toBe('0.169.0');
  });

  it('is pinned to an exact version in package.json', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@openai/codex']).toBe('0.169.0');
  });
});
