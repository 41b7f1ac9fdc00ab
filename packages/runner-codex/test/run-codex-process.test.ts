import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProcessGroupAlive,
  runCodex,
  runWorkspacePaths,
  type CodexRun,
  type RunCodexOptions,
} from '../src/index.js';
import { makeTempDir, type TempDir } from '@akmatori/test-support/peers/process';
import { recordEvents } from './support/codex-kit.js';
import { mkdirSync } from 'node:fs';

// These tests stand a small Node script in for Codex (`codexEntryPoint`), to drive the
// process handling into cases the real CLI does not produce on demand.

const RUN_TOKEN = 'tok-stand-in-abcdef123456';
/** The stand-in is not Codex: it runs directly, as Codex does in a worker's container. */
const CONTAINER = { kind: 'container' } as const;
let dir: TempDir | undefined;

afterEach(() => dir?.remove());

/** Writes a stand-in Codex running `source`; `run` starts it through `runCodex` in a container. */
function standIn(source: string): { run: (more?: Partial<RunCodexOptions>) => CodexRun } {
  dir = makeTempDir('runner-codex-standin');
  const workspace = runWorkspacePaths(path.join(dir.path, 'run'));
  for (const folder of [workspace.workspaceDir, workspace.codexHome, workspace.tmpDir]) {
    mkdirSync(folder, { recursive: true });
  }
  const entry = path.join(dir.path, 'stand-in.mjs');
  writeFileSync(entry, source);
  return {
    run: (more = {}) =>
      runCodex({
        containment: CONTAINER,
        workspace,
        prompt: 'x',
        runToken: RUN_TOKEN,
        codexEntryPoint: entry,
        ...more,
      }),
  };
}

describe('runCodex process handling', () => {
  it('fails a run whose Codex exits non-zero without turn.failed, quoting stderr without the run token', async () => {
    const { run } = standIn(`
      console.log(JSON.stringify({ type: 'thread.started', thread_id: 't-1' }));
      console.error('WARNING: proceeding, even though we could not create PATH aliases: whatever');
      console.error('fatal: cannot reach ' + process.env.AKMATORI_RUN_TOKEN + '@gateway');
      process.exit(3);
    `);
    const events = await recordEvents(run().events).done;
    expect(events).toEqual([
      { type: 'run.started', sessionId: 't-1' },
      {
        type: 'run.failed',
        error: 'codex exited with code 3: fatal: cannot reach [secret scrubbed]@gateway',
      },
    ]);
  });

  it('redacts the run token from events too', async () => {
    const { run } = standIn(`
      const item = { id: 'item_1', type: 'agent_message', text: 'token is ' + process.env.AKMATORI_RUN_TOKEN };
      console.log(JSON.stringify({ type: 'item.completed', item }));
    `);
    const events = await recordEvents(run().events).done;
    expect(events).toEqual([
      { type: 'agent.message', text: 'token is [secret scrubbed]', itemId: 'item_1' },
      { type: 'run.completed', summary: 'token is [secret scrubbed]' },
    ]);
  });

  it('drops an over-long line with an agent.error and goes on with the next', async () => {
    const { run } = standIn(`
      process.stdout.write(JSON.stringify({ type: 'item.completed', item: { id: 'i', type: 'agent_message', text: 'x'.repeat(5000) } }) + '\\n');
      process.stdout.write(JSON.stringify({ type: 'turn.started' }) + '\\n');
    `);
    const events = await recordEvents(run({ maxLineBytes: 1000 }).events).done;
    expect(events).toEqual([
      {
        type: 'agent.error',
        message: expect.stringMatching(
          /^a Codex event of 50\d\d bytes was dropped \(limit 1000\)$/,
        ),
      },
      { type: 'turn.started' },
      { type: 'run.completed', summary: '' },
    ]);
  });

  it('kills a Codex that ignores SIGTERM after the grace period, with all its group', async () => {
    const { run } = standIn(`
      import { spawn } from 'node:child_process';
      process.on('SIGTERM', () => {});
      spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log(JSON.stringify({ type: 'turn.started' }));
      setInterval(() => {}, 1000);
    `);
    const codex = run({ killGraceMs: 500 });
    const recording = recordEvents(codex.events);
    await recording.waitFor('turn.started');
    await codex.cancel('stop now');
    expect((await recording.done).at(-1)).toEqual({
      type: 'run.failed',
      error: 'cancelled: stop now',
    });
    expect(isProcessGroupAlive(codex.pid!)).toBe(false);
  });

  it('ends the run when Codex exits even if a process outside its group keeps its stdout open', async () => {
    const { run } = standIn(`
      import { spawn } from 'node:child_process';
      const holder = spawn('sleep', ['60'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
      const item = { id: 'i', type: 'agent_message', text: String(holder.pid) };
      console.log(JSON.stringify({ type: 'item.completed', item }));
      holder.unref();
    `);
    const events = await recordEvents(run().events).done;
    const last = events.at(-1);
    expect(last?.type).toBe('run.completed');
    process.kill(Number((last as { summary: string }).summary), 'SIGKILL');
  });

  it('gives Codex no stdin, so it never waits for input', async () => {
    const { run } = standIn(`
      process.stdin.on('data', () => {});
      process.stdin.on('end', () => {
        console.log(JSON.stringify({ type: 'item.completed', item: { id: 'i', type: 'agent_message', text: 'stdin closed' } }));
      });
    `);
    const events = await recordEvents(run().events).done;
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'stdin closed' });
  });
});
