import { createAjv } from '@akmatori/core';
import { callTool } from '@akmatori/core/testing';
import { sshTools } from '@akmatori/tools';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvironmentRegistry } from '../src/index.js';
import {
  buildSshHost,
  sshHostEnvironment,
  type SshHost,
  type SshHostSpec,
} from '../src/environments/ssh-host/index.js';

/** One host with every fault, built once for the whole file. */
const spec: SshHostSpec = {
  hostname: 'web-1',
  allow_write: true,
  network_allowlist: ['127.0.0.1:443', 'api.example.com', 'db.internal'],
  faults: [
    {
      kind: 'disk-full',
      mount: '/var/log/app',
      size_mb: 8,
      device: '/dev/vdb1',
      fill: '/var/log/app/debug.log',
      fill_line: '2026-12-05T21:00:00Z DEBUG cart=1234 render took 3ms',
    },
    {
      kind: 'inodes-full',
      mount: '/var/lib/php',
      inodes: 500,
      device: '/dev/vdc1',
      dir: '/var/lib/php/sessions',
      prefix: 'sess_',
    },
    {
      kind: 'runaway-process',
      program: '/opt/reports/bin/report-builder',
      args: ['--rebuild-all'],
    },
    {
      kind: 'crash-loop',
      service: 'checkout-worker',
      program: '/opt/checkout/bin/checkout-worker',
      error: ['FATAL: cannot read /etc/checkout/worker.yaml: permission denied'],
      exit_code: 3,
      log: '/var/log/checkout/worker.log',
      restart_delay_seconds: 1,
    },
    { kind: 'expired-certificate', common_name: 'shop.example.com', expired_days_ago: 3 },
    {
      kind: 'bad-config',
      files: [
        {
          path: '/etc/nginx/sites-enabled/api.conf',
          content: 'server {\n    listen 127.0.0.1:8443\n    server_name api.example.com;\n}\n',
        },
      ],
    },
    {
      kind: 'dns-misconfiguration',
      resolv_conf: 'nameserver 10.20.0.53\noptions timeout:1 attempts:1\n',
      hosts: ['10.0.9.99 db.internal'],
    },
    { kind: 'clock-skew', offset_seconds: -5400 },
  ],
};

let workDir: string;
let host: SshHost;

/** Runs `command` on the host with Akmatori's own `ssh` tool and the instance the host offers. */
async function onHost(
  command: string,
  approvals: 'approve' | 'deny' = 'deny',
): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const instance = host.toolInstances[0]!;
  const { result } = await callTool(
    sshTools,
    'execute_command',
    { ...instance.settings, ...instance.credentials } as never,
    { command },
    { approvals },
  );
  const runs = (
    result.structured as
      { results?: { exit_code: number | null; stdout: string; stderr: string }[] } | undefined
  )?.results;
  expect(runs, `"${command}" did not run: ${result.text}`).toHaveLength(1);
  const run = runs![0]!;
  return { exit: run.exit_code, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'ssh-host-test-'));
  host = await buildSshHost(spec, { workDir, name: 'web-1' });
});

afterAll(async () => {
  await host?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('ssh-host environment', () => {
  it('offers an ssh tool instance the ssh tool type accepts: pinned host key, root allowed', () => {
    const instance = host.toolInstances[0]!;
    expect(instance).toMatchObject({ type: 'ssh', name: 'web-1' });
    const validate = createAjv({ strict: false }).compile(sshTools.credentialSchema);
    const credentials = { ...instance.settings, ...instance.credentials };
    expect(validate(credentials), JSON.stringify(validate.errors)).toBe(true);
    expect(instance.settings).toMatchObject({
      hosts: [{ name: 'web-1', user: 'root', allow_root: true, allow_write: true }],
    });
    expect(host.facts).toEqual({
      'web-1_hostname': 'web-1',
      'web-1_ssh_port': String(host.sshPort),
    });
  });

  it('checks specs: every fault against its own schema, paths only inside the host', () => {
    const registry = createEnvironmentRegistry([sshHostEnvironment]);
    expect(() => registry.check({ kind: 'ssh-host', name: 'web-1', ...spec })).not.toThrow();
    expect(() =>
      registry.check({
        kind: 'ssh-host',
        name: 'web-1',
        faults: [{ kind: 'disk-full', mount: '/home/alice', size_mb: 8, fill: '/home/alice/x' }],
      }),
    ).toThrow(/mount/);
    expect(() =>
      registry.check({ kind: 'ssh-host', name: 'web-1', faults: [{ kind: 'meteor-strike' }] }),
    ).toThrow(/kind/);
  });

  it('runs commands in the host: its hostname, its own mounts, persisting across sessions', async () => {
    expect((await onHost('hostname')).stdout.trim()).toBe('web-1');
    expect((await onHost('cat /etc/hostname')).stdout.trim()).toBe('web-1');
    const marker = `/tmp/ssh-host-marker-${process.pid}`;
    expect((await onHost(`touch ${marker}`, 'approve')).exit).toBe(0);
    expect((await onHost(`ls ${marker}`)).stdout.trim()).toBe(marker);
    expect(existsSync(marker), 'the host /tmp is its own, not the machine one').toBe(false);
  });

  it('disk-full: df shows the filesystem at 100 % with the filler file using it', async () => {
    const df = await onHost('df -h /var/log/app');
    expect(df.stdout).toMatch(/\/dev\/vdb1\s+8\.0M\s+8\.0M\s+0\s+100% \/var\/log\/app/);
    const du = await onHost('du -sk /var/log/app/debug.log');
    expect(Number(du.stdout.split('\t')[0])).toBeGreaterThan(7000);
  });

  it('inodes-full: df -i shows every inode used while space is free', async () => {
    const df = await onHost('df -i /var/lib/php');
    expect(df.stdout).toMatch(/\/dev\/vdc1\s+500\s+500\s+0\s+100% \/var\/lib\/php/);
    expect((await onHost('df -h /var/lib/php')).stdout).toMatch(/\s0% \/var\/lib\/php/);
    expect((await onHost('ls /var/lib/php/sessions | wc -l')).stdout.trim()).toBe('498');
  });

  it('runaway-process: a real busy process tops ps and keeps burning CPU', async () => {
    const ps = await onHost('ps -eo pid,stat,args --sort=-pcpu | head -2');
    expect(ps.stdout).toMatch(
      /\n\s*(\d+) R\S* +\/bin\/sh \/opt\/reports\/bin\/report-builder --rebuild-all/,
    );
    const pid = /\n\s*(\d+) /.exec(ps.stdout)![1];
    const cpuTicks = async (): Promise<number> => {
      const fields = (await onHost(`cat /proc/${pid}/stat`)).stdout.split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime
    };
    const first = await cpuTicks();
    let later = first;
    while (later <= first) later = await cpuTicks();
    expect(later).toBeGreaterThan(first);
  });

  it('crash-loop: the supervisor keeps restarting the failing program and logs each exit', async () => {
    let log = '';
    while (!log.includes('restart #2')) {
      log = (await onHost('cat /var/log/checkout/worker.log')).stdout;
      if (!log.includes('restart #2')) await delay(200);
    }
    expect(log).toContain('FATAL: cannot read /etc/checkout/worker.yaml: permission denied');
    expect(log).toMatch(/checkout-worker exited with status 3; restart #1 in 1s/);
    const ps = await onHost('ps -eo args');
    expect(ps.stdout).toContain('/bin/sh /opt/supervise/checkout-worker');
  });

  it('expired-certificate: nginx serves a certificate that expired 3 days ago', async () => {
    const curl = await onHost('curl -sv https://127.0.0.1:443/');
    expect(curl.exit).toBe(60);
    expect(curl.stderr).toContain('certificate has expired');
    const x509 = await onHost(
      'openssl x509 -in /etc/ssl/certs/shop.example.com.pem -noout -subject -checkend 0',
      'approve',
    );
    expect(x509.stdout).toContain('CN = shop.example.com');
    expect(x509.stdout).toContain('Certificate will expire');
    expect(x509.exit).toBe(1);
  });

  it('bad-config: nginx -t reports the syntax error in the file the fault wrote', async () => {
    const test = await onHost('nginx -t', 'approve');
    expect(test.exit).toBe(1);
    expect(test.stderr).toMatch(
      /\[emerg\] .*in \/etc\/nginx\/sites-enabled\/api\.conf:3[\s\S]*test failed/,
    );
    // The machine's own /etc is untouched: the host writes to its copy-on-write layer.
    expect(existsSync('/etc/nginx/sites-enabled/api.conf')).toBe(false);
  });

  it('dns-misconfiguration: names outside /etc/hosts do not resolve, the stale entry wins', async () => {
    const missing = await onHost('getent hosts api.example.com');
    expect(missing.exit).toBe(2);
    expect((await onHost('getent hosts db.internal')).stdout).toMatch(
      /^10\.0\.9\.99\s+db\.internal/,
    );
    expect((await onHost('cat /etc/resolv.conf')).stdout).toContain('nameserver 10.20.0.53');
  });

  it('clock-skew: the host clock is 90 minutes behind the machine', async () => {
    const hostSeconds = Number((await onHost('date +%s')).stdout.trim());
    const skew = hostSeconds - Math.round(Date.now() / 1000);
    expect(skew).toBeGreaterThan(-5400 - 120);
    expect(skew).toBeLessThan(-5400 + 120);
  });

  it('stop() leaves nothing behind: no process, namespace, sshd or files', async () => {
    const { initPid, mountNamespace } = host.namespaces;
    const sshdPid = host.sshd.process.pid!;
    expect(host.namespaces.processes().length).toBeGreaterThan(5);
    await host.stop();
    expect(host.namespaces.processes()).toEqual([]);
    expect(existsSync(`/proc/${initPid}`)).toBe(false);
    expect(existsSync(`/proc/${sshdPid}`)).toBe(false);
    const stillInMountNamespace = readdirSync('/proc').filter((entry) => {
      try {
        return /^\d+$/.test(entry) && readlinkSync(`/proc/${entry}/ns/mnt`) === mountNamespace;
      } catch {
        return false;
      }
    });
    expect(stillInMountNamespace).toEqual([]);
    expect(readdirSync(workDir)).toEqual([]);
  });
});
