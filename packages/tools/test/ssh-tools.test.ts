import { createAjv, type ToolResult } from '@akmatori/core';
import { createToolContext, type ToolContextOptions } from '@akmatori/core/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '../../../test/peers/sshd.js';
import { freePort, pollUntil } from '../../../test/peers/process.js';
import { HostKeyTrustStore } from '../src/ssh/host-key.js';
import type { SshCredentials, SshHost } from '../src/ssh/ssh-credentials.js';
import type { HostRun } from '../src/ssh/ssh-exec.js';
import { createSshTools, sshTools } from '../src/ssh/ssh-tools.js';

let sshd: RunningSshd;
const scratchFiles: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
  for (const file of scratchFiles) rmSync(file, { force: true });
});

/** A host entry for `server`, pinned to its key, logging in as the test user. */
function hostOn(server: RunningSshd, name: string, extra: Partial<SshHost> = {}): SshHost {
  return {
    name,
    address: server.address,
    port: server.port,
    user: server.user,
    ...(server.userIsRoot ? { allow_root: true } : {}),
    host_key_fingerprint: server.hostKeyFingerprint,
    ...extra,
  };
}

function credentialsFor(hosts: SshHost[], server: RunningSshd = sshd): SshCredentials {
  return { hosts, private_key: server.clientPrivateKey };
}

function tool(name: string, provider = sshTools): (typeof sshTools.tools)[number] {
  const found = provider.tools.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`the ssh provider has no tool ${name}`);
  return found;
}

async function call(
  toolName: string,
  credentials: SshCredentials,
  args: Record<string, unknown>,
  options: ToolContextOptions = {},
): Promise<{ result: ToolResult; context: ReturnType<typeof createToolContext> }> {
  const context = createToolContext(credentials, options);
  const result = await tool(toolName).execute(context, args);
  return { result, context };
}

function runsOf(result: ToolResult): HostRun[] {
  return (result.structured as { results: HostRun[] }).results;
}

function onlyRun(result: ToolResult): HostRun {
  const runs = runsOf(result);
  expect(runs, `expected one host result, got ${result.text}`).toHaveLength(1);
  return runs[0]!;
}

/** A path under /tmp that a write command may create (the sshd runs on this machine). */
function scratchFile(): string {
  const file = `/tmp/akmatori-ssh-test-${randomUUID()}`;
  scratchFiles.push(file);
  return file;
}

/** A `sleep` whose command line is unique, so the test can find its process. */
function uniqueSleep(): string {
  return `sleep 20.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** Pids of local processes whose command line is `commandLine` (the sshd runs here). */
function processesRunning(commandLine: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (argv === commandLine) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Kills what a test left running on the host (a root session cannot be signalled over SSH). */
function killLeftovers(commandLine: string): void {
  for (const pid of processesRunning(commandLine)) process.kill(pid, 'SIGKILL');
}

describe('ssh tool definitions', () => {
  it('offer execute_command (may write) and two read-only tools', () => {
    expect(sshTools.tools.map((definition) => [definition.name, definition.readOnly])).toEqual([
      ['execute_command', false],
      ['test_connectivity', true],
      ['get_server_info', true],
    ]);
  });

  it('have input schemas that ajv strict mode compiles and that reject unknown arguments', () => {
    const ajv = createAjv();
    for (const definition of sshTools.tools) {
      const validate = ajv.compile(definition.inputSchema);
      expect(validate({ hosts: ['web1'], surprise: 1 }), definition.name).toBe(false);
    }
    const validateCommand = ajv.compile(tool('execute_command').inputSchema);
    expect(validateCommand({ command: 'uptime', hosts: ['web1'], timeout_seconds: 5 })).toBe(true);
    expect(validateCommand({ command: '' })).toBe(false);
    expect(validateCommand({ command: 'uptime', timeout_seconds: 601 })).toBe(false);
  });
});

describe('execute_command', () => {
  it('runs a read-only command and returns its output with exit code 0', async () => {
    const { result } = await call('execute_command', credentialsFor([hostOn(sshd, 'web1')]), {
      command: 'uname -s',
    });
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
    const { result } = await call('execute_command', credentialsFor([hostOn(sshd, 'web1')]), {
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
    const { result } = await call('execute_command', credentialsFor(hosts), {
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
    const { result } = await call('execute_command', credentialsFor(hosts), {
      command: 'uname -s',
      hosts: ['web2'],
    });
    expect(runsOf(result).map((run) => run.host)).toEqual(['web2']);
  });

  it('refuses unknown host names, listing the hosts the instance has', async () => {
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'web2')];
    const { result } = await call('execute_command', credentialsFor(hosts), {
      command: 'uname -s',
      hosts: ['web1', 'db9'],
    });
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('unknown host db9');
    expect(result.text).toContain('web1, web2');
  });

  it('refuses to connect when the host key does not match the pinned fingerprint', async () => {
    const wrong = `SHA256:${'A'.repeat(43)}`;
    const { result } = await call(
      'execute_command',
      credentialsFor([hostOn(sshd, 'web1', { host_key_fingerprint: wrong })]),
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

  it('keeps the head of output over 64 KiB and says how much was cut', async () => {
    // `seq 1 30000` prints 168,894 bytes.
    const total = Array.from({ length: 30000 }, (_, i) => `${i + 1}\n`).join('').length;
    const { result } = await call('execute_command', credentialsFor([hostOn(sshd, 'web1')]), {
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

  it('stops a command that outlives its timeout and reports it timed out', async () => {
    const command = uniqueSleep();
    const { result } = await call(
      'execute_command',
      credentialsFor([hostOn(sshd, 'web1', { allow_write: true })]),
      { command, timeout_seconds: 1 },
      { approvals: 'approve' },
    );
    const run = onlyRun(result);
    expect(run, result.text).toMatchObject({ exit_code: null, timed_out: true });
    expect(result).toMatchObject({ isError: true, exitCode: 255 });
    expect(result.text).toContain('=== web1 (timed out,');
    killLeftovers(command);
  });

  it('stops every host when the call is aborted', async () => {
    const command = uniqueSleep();
    const controller = new AbortController();
    const hosts = [
      hostOn(sshd, 'web1', { allow_write: true }),
      hostOn(sshd, 'web2', { allow_write: true }),
    ];
    const pending = call(
      'execute_command',
      credentialsFor(hosts),
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
    killLeftovers(command);
  });

  it('refuses a write command on a host without allow_write, and runs nothing', async () => {
    const file = scratchFile();
    const { result, context } = await call(
      'execute_command',
      credentialsFor([hostOn(sshd, 'web1'), hostOn(sshd, 'web2', { allow_write: true })]),
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
      credentialsFor([hostOn(sshd, 'web1', { allow_write: true })]),
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
      credentialsFor([hostOn(sshd, 'web1', { allow_write: true })]),
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
      credentialsFor([hostOn(sshd, 'web1', { allow_write: true })]),
      { command: `touch ${file}` },
      { approvals: 'approve' },
    );
    expect(context.approvalRequests).toHaveLength(1);
    expect(onlyRun(result).exit_code, result.text).toBe(0);
    expect(existsSync(file), `${file} was not created`).toBe(true);
  });

  it('reaches a host through its jump host', async () => {
    const hosts = [
      hostOn(sshd, 'bastion'),
      hostOn(sshd, 'inner', { jump_host: 'bastion', address: '127.0.0.1' }),
    ];
    const { result } = await call('execute_command', credentialsFor(hosts), {
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
    const { result } = await call('execute_command', credentialsFor(hosts), {
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

  it('refuses a root login unless the host allows root', async () => {
    const { result } = await call(
      'execute_command',
      credentialsFor([hostOn(sshd, 'web1', { user: 'root', allow_root: false })]),
      { command: 'uname -s' },
    );
    expect(onlyRun(result)).toMatchObject({
      error_code: 'AKM_SSH_ROOT_REFUSED',
      error: 'login as root on web1 refused: the host does not set allow_root',
    });
  });
});

describe('host keys trusted on first use', () => {
  it('accepts the first key a host presents and refuses a different one later', async () => {
    const trustStore = new HostKeyTrustStore();
    const provider = createSshTools({ trustStore });
    const first = await startSshd();
    const host = hostOn(first, 'fresh', { trust_on_first_use: true });
    delete (host as { host_key_fingerprint?: string }).host_key_fingerprint;
    const run = async (server: RunningSshd): Promise<ToolResult> =>
      tool('execute_command', provider).execute(createToolContext(credentialsFor([host], server)), {
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

describe('logging in', () => {
  it('uses a passphrase-protected private key', async () => {
    const locked = await startSshd({ clientKeyPassphrase: 'correct horse' });
    try {
      const { result } = await call(
        'test_connectivity',
        { ...credentialsFor([hostOn(locked, 'web1')], locked), passphrase: 'correct horse' },
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
        ...credentialsFor([hostOn(locked, 'web1')], locked),
        passphrase: 'wrong battery',
      };
      const { result } = await call('execute_command', credentials, { command: 'uname -s' });
      const run = onlyRun(result);
      expect(run.error_code, run.error).toBe('AKM_SSH_AUTH_FAILED');
      const everything = JSON.stringify(result);
      expect(everything).not.toContain('wrong battery');
      for (const line of locked.clientPrivateKey.split('\n').filter((l) => l.length > 20)) {
        expect(everything).not.toContain(line);
      }
    } finally {
      await locked.stop();
    }
  });
  it('gives up on a host that accepts TCP but never completes the SSH handshake', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const provider = createSshTools({ trustStore: new HostKeyTrustStore(), readyTimeoutMs: 500 });
      const context = createToolContext(credentialsFor([hostOn(sshd, 'mute', { port })]));
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

describe('test_connectivity', () => {
  it('reports each host as reachable, with its latency, or with the error', async () => {
    const closedPort = await freePort();
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'gone', { port: closedPort })];
    const { result } = await call('test_connectivity', credentialsFor(hosts), {});
    const results = (result.structured as { results: Record<string, unknown>[] }).results;
    expect(results[0]).toMatchObject({ host: 'web1', ok: true });
    expect(results[0]?.latency_ms).toEqual(expect.any(Number));
    expect(results[1]).toMatchObject({
      host: 'gone',
      ok: false,
      error_code: 'AKM_SSH_CONNECT_FAILED',
    });
    expect(results[1]?.error).toContain(`could not connect to gone (127.0.0.1:${closedPort})`);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^web1: ok \(\d+ ms\)\ngone: failed \(\d+ ms\): could not connect/);
  });
});

describe('get_server_info', () => {
  it('shows kernel, uptime, CPUs, memory and disks per host', async () => {
    const { result } = await call('get_server_info', credentialsFor([hostOn(sshd, 'web1')]), {});
    const run = onlyRun(result);
    expect(run.exit_code, result.text).toBe(0);
    for (const heading of [
      '--- kernel',
      '--- uptime',
      '--- cpus',
      '--- memory (MiB)',
      '--- disks',
    ]) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toContain('Linux');
    expect(result.text).toMatch(/^=== web1 \(exit 0, \d+ ms\) ===\n--- kernel\nLinux/);
  });
});
