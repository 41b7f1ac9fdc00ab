import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { connectSsh } from '../src/ssh/ssh-connection.js';
import { HostKeyTrustStore } from '../src/ssh/host-key.js';
import { call, credentialsFor, hostOn, onlyRun } from './ssh-fixtures.js';

/**
 * A throwaway user whose login shell is busybox's ash (a symlink named `ash`), so sshd
 * hands every command to a shell other than bash. Needs root (useradd), as in CI.
 */
const isRoot = process.getuid?.() === 0;
const user = `akm-ash-${randomBytes(3).toString('hex')}`;
let shellDir = '';
let sshd: RunningSshd;

beforeAll(async () => {
  // Fails (never skips) without root, like a missing real component: it must create a user.
  if (!isRoot) throw new Error('this test creates a throwaway user (useradd): run it as root');
  shellDir = mkdtempSync('/tmp/akmatori-login-shell-');
  execFileSync('chmod', ['755', shellDir]);
  const ash = path.join(shellDir, 'ash');
  symlinkSync('/usr/bin/busybox', ash);
  // '*' is no password, but not a locked account: sshd without PAM refuses locked ones.
  execFileSync('useradd', [
    '--system',
    '--no-create-home',
    '--home-dir',
    shellDir,
    '--shell',
    ash,
    '--password',
    '*',
    user,
  ]);
  writeFileSync(path.join(shellDir, 'quote-test'), 'a\\b\n');
  sshd = await startSshd({ loginAs: user });
});

afterAll(async () => {
  if (!isRoot) return;
  await sshd?.stop();
  execFileSync('userdel', [user]);
  rmSync(shellDir, { recursive: true, force: true });
});

/** Runs `command` as sshd receives it, with no wrapping: what the login shell makes of it. */
async function rawExec(command: string): Promise<string> {
  const credentials = credentialsFor(sshd, [hostOn(sshd, 'ash-host')]);
  const connection = await connectSsh(credentials.hosts[0]!, {
    credentials,
    trustStore: new HostKeyTrustStore(),
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      connection.client.exec(command, (error, channel) => {
        if (error) return reject(error);
        let out = '';
        channel.on('data', (chunk: Buffer) => (out += chunk.toString()));
        channel.on('close', () => resolve(out));
        channel.end();
      });
    });
  } finally {
    connection.close();
  }
}

describe('commands run under /bin/sh whatever the login shell', () => {
  it('the user logs in to busybox ash (so the test is not vacuous)', async () => {
    expect(await rawExec('echo $0')).toBe('ash\n');
  });

  it('runs an approved command under /bin/sh, not the login shell', async () => {
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'ash-host', { allow_write: true })]),
      { command: 'echo $0' },
      { approvals: 'approve' },
    );
    expect(onlyRun(result)).toMatchObject({ exit_code: 0, stdout: '/bin/sh\n' });
  });

  it('passes quotes, backslashes, dollars and bangs through the login shell unchanged', async () => {
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'ash-host', { allow_write: true })]),
      { command: `printf '%s|' 'a\\b' "c'd" '$HOME' '!x' "e\\"f" \\\\g` },
      { approvals: 'approve' },
    );
    expect(onlyRun(result).stdout, result.text).toBe(`a\\b|c'd|$HOME|!x|e"f|\\g|`);
  });

  it('runs a read-only command at once for that user', async () => {
    const { result, context } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'ash-host')]),
      { command: `grep -c 'a\\b' ${shellDir}/quote-test` },
    );
    expect(context.approvalRequests).toEqual([]);
    expect(onlyRun(result)).toMatchObject({ exit_code: 0, stdout: '1\n' });
  });
});
