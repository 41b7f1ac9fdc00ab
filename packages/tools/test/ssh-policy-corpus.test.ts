import type { ToolResult } from '@akmatori/core';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import type { SshCredentials } from '../src/ssh/ssh-credentials.js';
import { call, credentialsFor, hostOn, onlyRun } from './ssh-fixtures.js';
import {
  ALLOW_CASES,
  CORPUS_NETWORK_ALLOWLIST,
  fillPlaceholders,
  REFUSE_CASES,
  type CorpusCase,
} from './policy-corpus/index.js';

const SEED = 'alpha 10 x/y\nbeta 2 a,b\ngamma 30 c;d\n';

/** A directory that must not change, and TCP and UDP listeners on one loopback port. */
interface Canary {
  readonly dir: string;
  readonly port: number;
  /** Connections and datagrams the listeners received, with the bytes sent. */
  readonly received: string[];
  /** Files, sizes, modes and contents of the directory. */
  snapshot(): string;
  close(): Promise<void>;
}

async function startCanary(): Promise<Canary> {
  const dir = mkdtempSync('/tmp/akmatori-canary-');
  // Anyone may write here: a command that slipped through would succeed, not fail.
  chmodSync(dir, 0o777);
  writeFileSync(path.join(dir, 'seed'), SEED, { mode: 0o666 });
  chmodSync(path.join(dir, 'seed'), 0o666);
  const received: string[] = [];
  const tcp: Server = createServer((socket) => {
    received.push('tcp connection');
    socket.on('data', (chunk: Buffer) => received.push(`tcp data ${chunk.toString('latin1')}`));
    socket.on('error', () => undefined);
    socket.end();
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const port = (tcp.address() as { port: number }).port;
  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (message) => received.push(`udp ${message.toString('latin1')}`));
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  return {
    dir,
    port,
    received,
    snapshot: () =>
      readdirSync(dir)
        .sort()
        .map((name) => {
          const file = path.join(dir, name);
          const stat = statSync(file);
          const content = stat.isFile() ? readFileSync(file, 'latin1') : '';
          return `${name} ${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs} ${JSON.stringify(content)}`;
        })
        .join('\n'),
    close: async () => {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let sshd: RunningSshd;
let canary: Canary;

beforeAll(async () => {
  sshd = await startSshd({ runAs: 'postgres' });
  canary = await startCanary();
});

afterAll(async () => {
  await canary?.close();
  await sshd?.stop();
});

const commandOf = (entry: CorpusCase, target: Canary): string =>
  fillPlaceholders(entry.command, { canary: target.dir, host: '127.0.0.1', port: target.port });

/** The instance the corpus runs on: one host that allows no writes, the corpus allowlist. */
function corpusInstance(allowWrite: boolean): SshCredentials {
  return {
    ...credentialsFor(sshd, [hostOn(sshd, 'web1', { allow_write: allowWrite })]),
    network_allowlist: CORPUS_NETWORK_ALLOWLIST,
  };
}

/** Runs `tasks` with at most `limit` at a time. */
async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(task))));
  }
  return results;
}

describe('the policy corpus on a real sshd', () => {
  it('refuses every must-refuse command before it runs: nothing written, nothing sent', async () => {
    const before = canary.snapshot();
    const outcomes = await inBatches(REFUSE_CASES, 50, async (entry) => {
      const command = commandOf(entry, canary);
      const { result, context } = await call(
        'execute_command',
        corpusInstance(false),
        { command },
        { approvals: 'approve' },
      );
      return { entry, command, result, approvals: context.approvalRequests.length };
    });
    const ran = outcomes.filter(
      ({ result, approvals }) => result.refused !== true || approvals > 0,
    );
    expect(
      ran.map(({ command, result }) => `${command}: ${result.text}`),
      'commands that were not refused outright',
    ).toEqual([]);
    // Let any stray connection or datagram arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(canary.received, 'the loopback listener heard something').toEqual([]);
    expect(canary.snapshot(), 'the canary directory changed').toBe(before);
    expect(outcomes.length).toBe(REFUSE_CASES.length);
  });

  it('runs every must-allow command at once, and they too leave the canary and the listener alone', async () => {
    const before = canary.snapshot();
    const outcomes = await inBatches(ALLOW_CASES, 40, async (entry) => {
      const command = commandOf(entry, canary);
      const { result, context } = await call('execute_command', corpusInstance(false), { command });
      return { command, result, approvals: context.approvalRequests.length };
    });
    const notRun = outcomes.filter(
      ({ result, approvals }) =>
        result.refused === true || approvals > 0 || onlyRun(result).error !== undefined,
    );
    expect(notRun.map(({ command, result }) => `${command}: ${result.text}`)).toEqual([]);
    const failed = outcomes.filter(({ result }) => onlyRun(result).exit_code !== 0);
    expect(failed.map(({ command, result }) => `${command}: ${result.text}`)).toEqual([]);
    expect(canary.received).toEqual([]);
    expect(canary.snapshot()).toBe(before);
    const seed = outcomes.find(({ command }) => command === `cat ${canary.dir}/seed`);
    expect(seed === undefined ? '' : onlyRun(seed.result).stdout).toBe(SEED);
  });
});

describe('the network allowlist on a real sshd', () => {
  it('runs curl at once towards an allowlisted listener, and only then does the listener hear it', async () => {
    const listener = await startCanary();
    try {
      const url = `http://127.0.0.1:${listener.port}/health`;
      const credentials = (allowlist: string[]): SshCredentials => ({
        ...credentialsFor(sshd, [hostOn(sshd, 'web1')]),
        network_allowlist: allowlist,
      });
      const refused = await call('execute_command', credentials([]), {
        command: `curl -sS ${url}`,
      });
      expect(refused.result.refused, refused.result.text).toBe(true);
      expect(listener.received).toEqual([]);
      const allowed = await call('execute_command', credentials([`127.0.0.1:${listener.port}`]), {
        command: `curl -sS --max-time 5 ${url}`,
      });
      expect(allowed.context.approvalRequests).toEqual([]);
      expect(allowed.result.refused, allowed.result.text).toBeUndefined();
      expect(listener.received).toContain('tcp connection');
    } finally {
      await listener.close();
    }
  });
});

/** Refused corpus commands that do write the canary or reach the listener when approved. */
const LIVE_SAMPLE = [
  'sort -o {CANARY}/out {CANARY}/seed',
  'uniq {CANARY}/seed {CANARY}/out',
  'find {CANARY} -fprint {CANARY}/out',
  'awk \'BEGIN { system("touch {CANARY}/out") }\'',
  'sed -n "w {CANARY}/out" {CANARY}/seed',
  'curl -T {CANARY}/seed {URL}',
  'curl {URL}',
  'mawk \'BEGIN { case = 1; x = case / 1 ; system("touch {CANARY}/out") ; y = 2 / 1 }\'',
];

describe('the refusals are not vacuous', () => {
  it.each(LIVE_SAMPLE)(
    'approved on a writable host, %s writes the canary or reaches the listener',
    async (template) => {
      const live = await startCanary();
      try {
        const before = live.snapshot();
        const command = commandOf({ command: template, expect: 'refuse', why: '' }, live);
        const { result, context } = await call(
          'execute_command',
          corpusInstance(true),
          { command },
          { approvals: 'approve' },
        );
        expect(context.approvalRequests, result.text).toHaveLength(1);
        expect(
          REFUSE_CASES.some((entry) => entry.command === template),
          'the sample is from the corpus',
        ).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const touched = live.snapshot() !== before || live.received.length > 0;
        expect(touched, `${command} changed nothing: ${(result as ToolResult).text}`).toBe(true);
      } finally {
        await live.close();
      }
    },
  );
});
