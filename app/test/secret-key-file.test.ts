import { execSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliPath,
  startServerProcess,
  type ServerProcess,
} from '@akmatori/test-support/app/server-process';

// The built command line, as an operator runs it (`npx tsc -b tsconfig.build.json` first).
const dirs: string[] = [];
const servers: ServerProcess[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill('SIGTERM');
    await server.exited();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory holding a key file with `mode`. */
function dataDirWithKeyFile(mode: number): { dataDir: string; keyFile: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-key-file-'));
  dirs.push(dataDir);
  const keyFile = path.join(dataDir, 'secret.key');
  writeFileSync(keyFile, `${generateSecretKey().toString('base64')}\n`);
  chmodSync(keyFile, mode);
  return { dataDir, keyFile };
}

const serve = (dataDir: string): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, [cliPath, 'serve'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AKMATORI_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      AKMATORI_EMBEDDED_WORKER: 'false',
    },
    timeout: 60_000,
  });

describe('the master key file', () => {
  it.each([
    ['readable by everyone', 0o644],
    ['readable by its group', 0o640],
    ['writable by its group', 0o620],
  ])(
    'refuses to start when the key file is %s, giving the chmod to run, without a stack trace',
    (_what, mode) => {
      const { dataDir, keyFile } = dataDirWithKeyFile(mode);
      const result = serve(dataDir);
      const stderr = String(result.stderr);
      expect(result.status, `akmatori serve should exit non-zero; it printed:\n${stderr}`).toBe(1);
      expect(stderr).toContain(`run: chmod 600 ${keyFile}`);
      expect(stderr).toContain('AKM_SECRET_KEY_FILE_EXPOSED');
      expect(stderr, 'no stack trace for an operator mistake').not.toMatch(/^\s+at /m);
      expect(stderr, 'it stopped before listening').not.toContain('is running at');
    },
  );

  it('starts once the suggested chmod has been run', async () => {
    const { dataDir } = dataDirWithKeyFile(0o644);
    const refused = String(serve(dataDir).stderr);
    const chmod = /run: (chmod 600 \S+)/.exec(refused)?.[1];
    expect(chmod, `no chmod in:\n${refused}`).toBeDefined();
    execSync(chmod!);
    const server = await startServerProcess({
      AKMATORI_DATA_DIR: dataDir,
      GATEWAY_PORT: '0',
      AKMATORI_EMBEDDED_WORKER: 'false',
    });
    servers.push(server);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 120_000);

  it('is created 0600 on first start, beside the lock file (0600) and the database directory (0700)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-key-file-'));
    dirs.push(dataDir);
    const server = await startServerProcess({
      AKMATORI_DATA_DIR: dataDir,
      GATEWAY_PORT: '0',
      AKMATORI_EMBEDDED_WORKER: 'false',
    });
    servers.push(server);
    expect((statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(path.join(dataDir, 'pgdata.lock')).mode & 0o777).toString(8)).toBe('600');
    // The embedded database's files are PGlite's; the directory holding them is the owner's only.
    expect((statSync(path.join(dataDir, 'pgdata')).mode & 0o777).toString(8)).toBe('700');
  }, 120_000);
});
