import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '@akmatori/test-support/app/server-process';

// The built `akmatori serve`, bound to every interface on a new install, as an operator starts
// it. A fresh embedded database takes a while to create on a busy machine: hence the timeout.

const running: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (server) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      await server.exited();
    }),
  );
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serveOnEveryInterface(): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-setup-code-'));
  dirs.push(dataDir);
  const server = await startServerProcess({
    AKMATORI_DATA_DIR: dataDir,
    HOST: '0.0.0.0',
    GATEWAY_PORT: '0',
    AKMATORI_EMBEDDED_WORKER: 'false',
    LOG_LEVEL: 'info',
  });
  running.push(server);
  return server;
}

describe('first-run setup of a server started on every interface', () => {
  it('prints the setup code in its log and its banner, and takes setup only with it', async () => {
    const server = await serveOnEveryInterface();
    const output = server.output();
    const logged = /one-time setup code: ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(output)?.[1];
    expect(logged, output).toBeDefined();
    expect(output).toContain(`"setup_code":"${logged}"`);

    const url = `http://127.0.0.1:${new URL(server.url).port}`;
    const setup = (body: Record<string, string>) =>
      fetch(`${url}/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const status = await fetch(`${url}/auth/setup-status`);
    expect(await status.json()).toEqual({ setup_required: true, setup_code_required: true });

    const without = await setup({ password: 'a first password' });
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ code: 'AKM_SETUP_CODE_REQUIRED' });
    const done = await setup({ password: 'a first password', setup_code: logged ?? '' });
    expect(done.status).toBe(201);
  }, 90_000);
});
