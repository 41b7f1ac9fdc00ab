// Follows docs/tutorial-first-alert-source.md so that it cannot go stale: every code block with
// a `file=<path>` info string is written into a fresh package outside the repository, which is
// then built with tsc, tested with its own test, has its skill validated by the real
// `akmatori skills validate`, and is loaded into the built `akmatori serve` through
// AKMATORI_PLUGINS, where the tutorial's skill, source and payloads are sent as it says.
// Needs `npx tsc -b tsconfig.build.json` first (the app and @akmatori/core's dist).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const tutorial = readFileSync(path.join(repo, 'docs/tutorial-first-alert-source.md'), 'utf8');

/** The tutorial's files: fenced blocks whose info string names a `file=`. */
function tutorialFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const fence = /^```(\w+) file=(\S+)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) files.set(match[2]!, match[3]!);
  return files;
}

const files = tutorialFiles(tutorial);
let dir: string;
let akmatori: SpawnedAkmatori | undefined;

/** Runs a command in the tutorial's package; the failure message carries its output. */
async function inPackage(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: dir,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return stdout + stderr;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, {
      cause: error,
    });
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'akm-tutorial-'));
  for (const [name, content] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  // `npm install` of the tutorial's package, offline: the repository's installed packages,
  // @akmatori/core among them (one copy, shared with the app, as a peer dependency is).
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
});

afterAll(async () => {
  await akmatori?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the "Your first alert source" tutorial', () => {
  it('has the files its steps write', () => {
    expect([...files.keys()].sort()).toEqual([
      'package.json',
      'sample-failed.json',
      'sample-recovered.json',
      'skills/cron-job-failed/SKILL.md',
      'source.json',
      'src/cron-job-adapter.ts',
      'src/index.ts',
      'test/cron-job-adapter.test.ts',
      'tsconfig.json',
    ]);
  });

  it('step 2: the package builds with its own tsconfig', async () => {
    await inPackage(process.execPath, [
      path.join(repo, 'node_modules/typescript/bin/tsc'),
      '-p',
      '.',
    ]);
    expect(readFileSync(path.join(dir, 'dist/index.js'), 'utf8')).toContain('cron-job');
  }, 120_000);

  it('step 3: its own tests pass', async () => {
    const output = await inPackage(process.execPath, [
      path.join(repo, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--root',
      dir,
    ]);
    expect(output).toMatch(/Tests\s+5 passed/);
  }, 120_000);

  it('step 5: its skill passes `akmatori skills validate`', async () => {
    const output = await inPackage(process.execPath, [
      path.join(repo, 'app/dist/cli.js'),
      'skills',
      'validate',
      'skills/',
    ]);
    expect(output).toContain('1 skill checked: all valid (0 problems, 0 warnings)');
  });

  it('steps 4 to 6: loaded with AKMATORI_PLUGINS, the skill, the source and the alerts are accepted as it says', async () => {
    akmatori = await startAkmatori({ AKMATORI_PLUGINS: path.join(dir, 'dist/index.js') });
    expect(akmatori.output()).toContain('akmatori-plugin-cron-jobs');

    await akmatori.api(
      'POST',
      '/api/skills',
      {
        name: 'cron-job-failed',
        content: files.get('skills/cron-job-failed/SKILL.md'),
      },
      201,
    );
    const source = await akmatori.createSource(JSON.parse(files.get('source.json')!));
    const secret = (JSON.parse(files.get('source.json')!) as { webhook_secret: string })
      .webhook_secret;
    const send = (body: string, headers: Record<string, string>): Promise<Response> =>
      fetch(akmatori!.webhookUrl(source), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const bearer = { authorization: `Bearer ${secret}` };

    const failed = await send(files.get('sample-failed.json')!, bearer);
    expect(failed.status, await failed.clone().text()).toBe(202);
    expect(await failed.json()).toMatchObject({ received: 1 });
    const { incident } = await akmatori.waitForIncident(
      source,
      'the failed run’s incident',
      (candidate) => candidate.title === 'nightly-backup failed on db-1',
    );
    expect(incident.severity).toBe('high');

    const recovered = await send(files.get('sample-recovered.json')!, bearer);
    expect(recovered.status, await recovered.clone().text()).toBe(202);
    await akmatori.waitForIncident(
      source,
      'its alert resolved by the good run',
      (candidate, alerts) =>
        candidate.uuid === incident.uuid &&
        alerts.length === 1 &&
        alerts[0]!.fingerprint === 'nightly-backup@db-1' &&
        alerts[0]!.status === 'resolved',
    );

    expect((await send(files.get('sample-failed.json')!, {})).status).toBe(401);
    const unreadable = await send(JSON.stringify({ host: 'db-1' }), bearer);
    expect(unreadable.status).toBe(400);
    expect(await unreadable.json()).toMatchObject({
      code: 'AKM_PAYLOAD_INVALID',
      message: expect.stringContaining('job must be a non-empty string'),
    });
  }, 120_000);
});
