import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import {
  call,
  credentialsFor,
  hostOn,
  killLeftovers,
  onlyRun,
  processesRunning,
  removeScratchFiles,
  runsOf,
  scratchFile,
  uniqueSleep,
} from './ssh-fixtures.js';

let sshd: RunningSshd;

beforeAll(async () => {
  // Not root: sshd cannot signal a root session (no privilege-separated child), and the
  // timeout tests check that the command is killed. "postgres" is the system user the test
  // PostgreSQL cluster already needs when the tests run as root.
  sshd = await startSshd({ runAs: 'postgres' });
});

afterAll(async () => {
  await sshd?.stop();
  removeScratchFiles();
});

/** Waits until the host no longer runs `commandLine`; fails (and cleans up) if it still does. */
async function expectKilled(commandLine: string): Promise<void> {
  try {
    await pollUntil(
      `"${commandLine}" to be killed on the host`,
      () => (processesRunning(commandLine).length === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  } finally {
    killLeftovers(commandLine);
  }
}

describe('execute_command', () => {
  it('runs a read-only command at once and returns its output with exit code 0', async () => {
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1')]),
      { command: 'uname -s' },
    );
    expect(context.approvalRequests).toEqual([]);
    const run = onlyRun(result);
    expect(run, result.text).toMatchObject({
      host: 'web1',
      exit_code: 0,
      stdout: 'Linux\n',
      stderr: '',
      truncated: false,
      timed_out: false,
    });
    expect(result.isError).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.text).toMatch(/^=== web1 \(exit 0, \d+ ms\) ===\nLinux$/);
  });

  it('reports a non-zero exit code and stderr as an error result', async () => {
    const missing = `/nonexistent-${randomUUID()}`;
    const { result } = await call('execute_command', credentialsFor(sshd, [hostOn(sshd, 'web1')]), {
      command: `ls ${missing}`,
    });
    const run = onlyRun(result);
    expect(run.exit_code, result.text).toBe(2);
    expect(run.stderr).toContain(missing);
    expect(result.isError).toBe(true);
    expect(result.exitCode).toBe(2);
    expect(result.text).toContain('=== web1 (exit 2,');
  });

  it('runs on every host of the instance when no hosts are named', async () => {
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'web2')];
    const { result } = await call('execute_command', credentialsFor(sshd, hosts), {
      command: 'uname -s',
    });
    expect(runsOf(result).map((run) => [run.host, run.exit_code, run.stdout])).toEqual([
      ['web1', 0, 'Linux\n'],
      ['web2', 0, 'Linux\n'],
    ]);
    expect(result.text).toContain('=== web1 (exit 0,');
    expect(result.text).toContain('=== web2 (exit 0,');
  });

  it('runs only on the hosts named', async () => {
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'web2')];
    const { result } = await call('execute_command', credentialsFor(sshd, hosts), {
      command: 'uname -s',
      hosts: ['web2'],
    });
    expect(runsOf(result).map((run) => run.host)).toEqual(['web2']);
  });

  it('refuses unknown host names, listing the hosts the instance has', async () => {
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'web2')];
    const { result } = await call('execute_command', credentialsFor(sshd, hosts), {
      command: 'uname -s',
      hosts: ['web1', 'db9'],
    });
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('unknown host db9');
    expect(result.text).toContain('web1, web2');
  });

  it('keeps the head of output over 64 KiB and says how much was cut', async () => {
    // `seq 1 30000` prints 168,894 bytes.
    const total = Array.from({ length: 30000 }, (_, i) => `${i + 1}\n`).join('').length;
    const { result } = await call('execute_command', credentialsFor(sshd, [hostOn(sshd, 'web1')]), {
      command: 'seq 1 30000',
    });
    const run = onlyRun(result);
    expect(run.exit_code, result.text.slice(0, 500)).toBe(0);
    expect(run.truncated).toBe(true);
    const marker = `\n[output truncated: ${total - 65536} more bytes]`;
    expect(run.stdout.endsWith(marker), run.stdout.slice(-200)).toBe(true);
    expect(Buffer.byteLength(run.stdout) - marker.length).toBe(65536);
    expect(run.stdout.startsWith('1\n2\n3\n')).toBe(true);
  });

  it('kills a command that outlives its timeout and reports it timed out', async () => {
    const command = uniqueSleep();
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: true })]),
      { command, timeout_seconds: 1 },
      { approvals: 'approve' },
    );
    const run = onlyRun(result);
    expect(run, result.text).toMatchObject({ exit_code: null, timed_out: true });
    expect(result).toMatchObject({ isError: true, exitCode: 255 });
    expect(result.text).toContain('=== web1 (timed out,');
    await expectKilled(command);
  });

  it('kills the command on every host when the call is aborted', async () => {
    const command = uniqueSleep();
    const controller = new AbortController();
    const hosts = [
      hostOn(sshd, 'web1', { allow_write: true }),
      hostOn(sshd, 'web2', { allow_write: true }),
    ];
    const pending = call(
      'execute_command',
      credentialsFor(sshd, hosts),
      { command },
      { approvals: 'approve', signal: controller.signal },
    );
    await pollUntil('the command to start on both hosts', () =>
      processesRunning(command).length === 2 ? true : undefined,
    );
    controller.abort();
    const { result } = await pending;
    expect(runsOf(result).map((run) => [run.host, run.error_code])).toEqual([
      ['web1', 'AKM_SSH_CANCELLED'],
      ['web2', 'AKM_SSH_CANCELLED'],
    ]);
    expect(result.isError).toBe(true);
    await expectKilled(command);
  });

  it('refuses a command the policy cannot judge, without asking anyone or running it', async () => {
    const file = scratchFile();
    // A line break could hide a second command from a reader; the policy refuses it outright.
    const command = `uname -s\ntouch ${file}`;
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: true })]),
      { command },
      { approvals: 'approve' },
    );
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain(`the command policy does not allow "${command}"`);
    expect(context.approvalRequests).toEqual([]);
    expect(existsSync(file), `${file} was created`).toBe(false);
  });

  it('refuses a write command on a host without allow_write, and runs nothing', async () => {
    const file = scratchFile();
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1'), hostOn(sshd, 'web2', { allow_write: true })]),
      { command: `touch ${file}` },
      { approvals: 'approve' },
    );
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('writes are not allowed on web1 (allow_write is off)');
    expect(context.approvalRequests).toEqual([]);
    expect(existsSync(file), `${file} was created`).toBe(false);
  });

  it('asks an operator before a write command and does not run it when denied', async () => {
    const file = scratchFile();
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: true })]),
      { command: `touch ${file}` },
      { approvals: 'deny' },
    );
    expect(context.approvalRequests).toHaveLength(1);
    expect(context.approvalRequests[0]).toMatchObject({
      summary: `run "touch ${file}" on web1`,
      details: { command: `touch ${file}`, hosts: ['web1'] },
    });
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('denied by operator: denied by the test');
    expect(existsSync(file), `${file} was created`).toBe(false);
  });

  it('says the approval expired when the operator did not answer', async () => {
    const file = scratchFile();
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: true })]),
      { command: `touch ${file}` },
      { approvals: () => ({ approved: false, outcome: 'expired', reason: 'no answer in 5 m' }) },
    );
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('approval expired: no answer in 5 m');
    expect(existsSync(file)).toBe(false);
  });

  it('runs a write command once an operator approves it', async () => {
    const file = scratchFile();
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: true })]),
      { command: `touch ${file}` },
      { approvals: 'approve' },
    );
    expect(context.approvalRequests).toHaveLength(1);
    expect(onlyRun(result).exit_code, result.text).toBe(0);
    expect(existsSync(file), `${file} was not created`).toBe(true);
  });
});
