import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { packSession, restoreSession } from './session-archive.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function codexHome(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'akmatori-session-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const archiveOf = (files: unknown) => ({
  gzipBase64: gzipSync(JSON.stringify(files)).toString('base64'),
});

const ROLLOUT = 'sessions/2026/01/02/rollout-2026-01-02T03-04-05-01a2.jsonl';

describe('session archives', () => {
  it('carry the session files, and only those, to another Codex home', async () => {
    const from = codexHome({
      [ROLLOUT]: '{"type":"session_meta"}\n',
      'config.toml': 'model = "x"\n',
      'state_5.sqlite': 'sqlite',
    });
    const to = codexHome();

    await restoreSession(to, await packSession(from));

    expect(readFileSync(path.join(to, ROLLOUT), 'utf8')).toBe('{"type":"session_meta"}\n');
    expect(() => statSync(path.join(to, 'config.toml'))).toThrow();
    expect(() => statSync(path.join(to, 'state_5.sqlite'))).toThrow();
    expect(statSync(path.join(to, ROLLOUT)).mode & 0o777).toBe(0o600);
  });

  it('of a Codex home without sessions restore nothing', async () => {
    const to = codexHome();
    await restoreSession(to, await packSession(codexHome()));
    expect(() => statSync(path.join(to, 'sessions'))).toThrow();
  });

  it('are refused when larger than the limit', async () => {
    const from = codexHome({ [ROLLOUT]: 'x'.repeat(10_000) });
    await expect(packSession(from, { maxArchiveBytes: 10 })).rejects.toThrow(
      /the session archive of .* is \d+ bytes, over the limit of 10/,
    );
  });

  it('cannot write outside sessions/ of the Codex home', async () => {
    const to = codexHome();
    for (const name of [
      'config.toml',
      'sessions/../config.toml',
      '../escape',
      '/etc/x',
      'sessions',
    ]) {
      await expect(
        restoreSession(to, archiveOf([{ path: name, contentBase64: 'eA==' }])),
        name,
      ).rejects.toThrow(`the session archive holds ${JSON.stringify(name)}`);
    }
  });

  it('that are not gzipped JSON lists are refused with a clear message', async () => {
    const to = codexHome();
    await expect(restoreSession(to, { gzipBase64: 'bm90IGd6aXA=' })).rejects.toThrow(
      /^the session archive cannot be read: /,
    );
    await expect(restoreSession(to, archiveOf({ path: 'x' }))).rejects.toMatchObject({
      code: 'AKM_CODEX_SESSION_ARCHIVE_INVALID',
      message: 'the session archive is not a list of files',
    });
  });
});
