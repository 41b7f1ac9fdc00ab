import { createToolContext } from '@akmatori/core/testing';
import type { ToolResult } from '@akmatori/core';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { HostKeyTrustStore } from '../src/ssh/host-key.js';
import { createSshTools } from '../src/ssh/ssh-tools.js';
import { call, credentialsFor, hostOn, onlyRun, tool } from './ssh-fixtures.js';

let sshd: RunningSshd;

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

describe('host keys', () => {
  it('refuses to connect when the host key does not match the pinned fingerprint', async () => {
    const wrong = `SHA256:${'A'.repeat(43)}`;
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { host_key_fingerprint: wrong })]),
      { command: 'uname -s' },
    );
    const run = onlyRun(result);
    expect(run.error_code).toBe('AKM_SSH_HOST_KEY_MISMATCH');
    expect(run.error).toBe(
      `host key of web1 (127.0.0.1:${sshd.port}) does not match the pinned fingerprint: ` +
        `expected ${wrong}, presented ${sshd.hostKeyFingerprint}; refusing to connect`,
    );
    expect(run.exit_code).toBeNull();
    expect(run.stdout).toBe('');
    expect(result).toMatchObject({ isError: true, exitCode: 255 });
    expect(result.text).toContain('=== web1 (error,');
  });

  it('accepts the first key a host presents and refuses a different one later', async () => {
    const trustStore = new HostKeyTrustStore();
    const provider = createSshTools({ trustStore });
    const first = await startSshd();
    const { host_key_fingerprint: _unpinned, ...host } = hostOn(first, 'fresh', {
      trust_on_first_use: true,
    });
    const run = async (server: RunningSshd): Promise<ToolResult> =>
      tool('execute_command', provider).execute(createToolContext(credentialsFor(server, [host])), {
        command: 'uname -s',
      });
    let second: RunningSshd | undefined;
    try {
      const accepted = await run(first);
      expect(onlyRun(accepted).exit_code, accepted.text).toBe(0);
      expect(trustStore.known(`127.0.0.1:${first.port}`)).toBe(first.hostKeyFingerprint);
      await first.stop();
      second = await startSshd({ port: first.port });
      const refused = onlyRun(await run(second));
      expect(refused.error_code).toBe('AKM_SSH_HOST_KEY_CHANGED');
      expect(refused.error).toBe(
        `host key of fresh (127.0.0.1:${first.port}) changed since it was first trusted: ` +
          `trusted ${first.hostKeyFingerprint}, presented ${second.hostKeyFingerprint}; refusing to connect`,
      );
    } finally {
      await first.stop();
      await second?.stop();
    }
  });
});

describe('jump hosts', () => {
  it('reaches a host through its jump host', async () => {
    const hosts = [
      hostOn(sshd, 'bastion'),
      hostOn(sshd, 'inner', { jump_host: 'bastion', address: '127.0.0.1' }),
    ];
    const { result } = await call('execute_command', credentialsFor(sshd, hosts), {
      command: 'uname -s',
      hosts: ['inner'],
    });
    expect(onlyRun(result), result.text).toMatchObject({ host: 'inner', exit_code: 0 });
  });

  it('goes through the jump host: a jump host that fails its key check stops the target', async () => {
    const wrong = `SHA256:${'B'.repeat(43)}`;
    const hosts = [
      hostOn(sshd, 'bastion', { host_key_fingerprint: wrong }),
      hostOn(sshd, 'inner', { jump_host: 'bastion' }),
    ];
    const { result } = await call('execute_command', credentialsFor(sshd, hosts), {
      command: 'uname -s',
      hosts: ['inner'],
    });
    const run = onlyRun(result);
    expect(run.error_code).toBe('AKM_SSH_JUMP_FAILED');
    expect(run.error).toContain(
      'could not reach inner through jump host bastion: host key of bastion',
    );
    expect(run.error).toContain(`expected ${wrong}, presented ${sshd.hostKeyFingerprint}`);
  });
});

describe('logging in', () => {
  it('uses a passphrase-protected private key', async () => {
    const locked = await startSshd({ clientKeyPassphrase: 'correct horse' });
    try {
      const { result } = await call(
        'test_connectivity',
        { ...credentialsFor(locked, [hostOn(locked, 'web1')]), passphrase: 'correct horse' },
        {},
      );
      expect(result.structured, result.text).toMatchObject({
        results: [{ host: 'web1', ok: true }],
      });
    } finally {
      await locked.stop();
    }
  });

  it('reports a failed login without revealing the key or the passphrase', async () => {
    const locked = await startSshd({ clientKeyPassphrase: 'correct horse' });
    try {
      const credentials = {
        ...credentialsFor(locked, [hostOn(locked, 'web1')]),
        passphrase: 'wrong battery',
      };
      const { result } = await call('execute_command', credentials, { command: 'uname -s' });
      const run = onlyRun(result);
      expect(run.error_code, run.error).toBe('AKM_SSH_AUTH_FAILED');
      expect(run.error).toContain(`authentication as "${locked.user}" on web1`);
      const everything = JSON.stringify(result);
      expect(everything).not.toContain('wrong battery');
      for (const line of locked.clientPrivateKey.split('\n').filter((l) => l.length > 20)) {
        expect(everything).not.toContain(line);
      }
    } finally {
      await locked.stop();
    }
  });

  it('refuses a root login unless the host allows root', async () => {
    const { result } = await call(
      'execute_command',
      credentialsFor(sshd, [hostOn(sshd, 'web1', { user: 'root', allow_root: false })]),
      { command: 'uname -s' },
    );
    expect(onlyRun(result)).toMatchObject({
      error_code: 'AKM_SSH_ROOT_REFUSED',
      error: 'login as root on web1 refused: the host does not set allow_root',
    });
  });

  it('gives up on a host that accepts TCP but never completes the SSH handshake', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const provider = createSshTools({ trustStore: new HostKeyTrustStore(), readyTimeoutMs: 500 });
      const context = createToolContext(credentialsFor(sshd, [hostOn(sshd, 'mute', { port })]));
      const result = await tool('test_connectivity', provider).execute(context, {});
      expect(result.structured).toMatchObject({
        results: [
          {
            host: 'mute',
            ok: false,
            error_code: 'AKM_SSH_HANDSHAKE_TIMEOUT',
            error: `no SSH handshake with mute (127.0.0.1:${port}) within 0.5 s`,
          },
        ],
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
