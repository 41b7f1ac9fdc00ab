import { createAjv } from '@akmatori/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@akmatori/test-support/peers/process';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { sshTools } from '../src/ssh/ssh-tools.js';
import { call, credentialsFor, hostOn, onlyRun, tool } from './ssh-fixtures.js';

let sshd: RunningSshd;

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

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

describe('test_connectivity', () => {
  it('reports each host as reachable, with its latency, or with the error', async () => {
    const closedPort = await freePort();
    const hosts = [hostOn(sshd, 'web1'), hostOn(sshd, 'gone', { port: closedPort })];
    const { result } = await call('test_connectivity', credentialsFor(sshd, hosts), {});
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
    const { result } = await call(
      'get_server_info',
      credentialsFor(sshd, [hostOn(sshd, 'web1')]),
      {},
    );
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
