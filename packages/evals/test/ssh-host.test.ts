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
  network_allowlist: [
    '127.0.0.1:443',
    '127.0.0.1:8080',
    '127.0.0.1:8443',
    'api.example.com',
    'db.internal',
  ],
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
    {
      kind: 'runaway-process',
      program: '/opt/media/bin/thumbnail-batch',
      args: ['--nightly'],
      nice: 19,
    },
    {
      kind: 'deleted-open-file',
      mount: '/var/log/ingest',
      size_mb: 8,
      device: '/dev/vdd1',
      service: 'ingest-api',
      program: '/opt/ingest/bin/ingest-api',
      args: ['--listen=127.0.0.1:9400'],
      file: '/var/log/ingest/ingest.log',
      line: '2026-12-05T21:00:00Z INFO POST /v1/events 202 1ms',
      files: [{ path: '/var/log/ingest/ingest.log.1', size_kb: 512 }],
      supervise: { log: '/var/log/ingest-supervise.log', restart_delay_seconds: 1 },
    },
    {
      kind: 'port-conflict',
      port: 8080,
      service: 'orders-api',
      program: '/opt/orders/bin/orders-api',
      log: '/var/log/orders/orders-api.log',
      restart_delay_seconds: 1,
      holder: {
        program: '/tmp/orders-debug',
        args: ['--port=8080'],
        log: '/tmp/orders-debug.log',
        log_lines: ['debug listener started by deploy on 2026-12-04'],
      },
    },
    {
      kind: 'memory-hog',
      program: '/opt/catalog/bin/catalog-cache',
      args: ['--warm'],
      size_mb: 150,
      log: '/var/log/catalog/cache.log',
      log_lines: ['cache warm: 1843200 entries, evictions=0 (max_entries=0: unbounded)'],
    },
    {
      kind: 'service-down',
      service: 'pricing-api',
      program: '/opt/pricing/bin/pricing-api',
      script:
        'echo "pricing-api: loading key"\ncat /etc/pricing/pricing.key > /dev/null || exit 78',
      log: '/var/log/pricing/pricing-api.log',
      start_limit: 3,
    },
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
    const refused =
      (fault: Record<string, unknown>): (() => void) =>
      () =>
        registry.check({ kind: 'ssh-host', name: 'web-1', faults: [fault] });
    expect(
      refused({
        kind: 'port-conflict',
        port: 8080,
        service: 'a',
        program: '/opt/a',
        log: '/var/log/a',
      }),
    ).toThrow(/holder/);
    expect(refused({ kind: 'memory-hog', program: '/opt/hog', size_mb: 4096 })).toThrow(/size_mb/);
    expect(
      refused({ kind: 'service-down', service: 'a', program: '/opt/a', log: '/var/log/a' }),
    ).toThrow();
    expect(refused({ kind: 'runaway-process', program: '/opt/spin', nice: -5 })).toThrow(/nice/);
  });

  it('deleted-open-file: a file outside its mount is refused before anything is built', async () => {
    await expect(
      buildSshHost(
        {
          faults: [
            {
              kind: 'deleted-open-file',
              mount: '/var/log/ingest',
              size_mb: 8,
              service: 'ingest-api',
              program: '/opt/ingest/bin/ingest-api',
              file: '/var/log/other.log',
            },
          ],
        },
        { workDir, name: 'refused-1' },
      ),
    ).rejects.toThrow('the file is not under mount /var/log/ingest: /var/log/other.log');
    expect(readdirSync(workDir)).toEqual(['ssh-host-web-1']);
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

  it('runaway-process: a real busy process shows running in ps and keeps burning CPU', async () => {
    const ps = await onHost('ps -eo pid,stat,args --sort=-pcpu');
    const top = /\n\s*(\d+) R\S* +\/bin\/sh \/opt\/reports\/bin\/report-builder --rebuild-all/.exec(
      ps.stdout,
    );
    expect(top, ps.stdout).not.toBeNull();
    const pid = top![1];
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
    expect(ps.stdout).toContain('/bin/sh /opt/supervise/checkout-worker/run');
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

  it('runaway-process nice: a batch job spins at niceness 19', async () => {
    const ps = await onHost('ps -eo ni,stat,args');
    expect(ps.stdout).toMatch(
      /\n\s*19 R\S* +\/bin\/sh \/opt\/media\/bin\/thumbnail-batch --nightly/,
    );
    expect(ps.stdout).toMatch(/\n\s*0 R\S* +\/bin\/sh \/opt\/reports\/bin\/report-builder/);
  });

  it('deleted-open-file: df shows the filesystem full, du finds little, lsof shows the deleted file held open', async () => {
    const df = await onHost('df -h /var/log/ingest');
    expect(df.stdout).toMatch(/\/dev\/vdd1\s+8\.0M\s+8\.0M\s+0\s+100% \/var\/log\/ingest/);
    const du = await onHost('du -sk /var/log/ingest');
    expect(Number(du.stdout.split('\t')[0])).toBeLessThan(1000);
    expect((await onHost('ls /var/log/ingest')).stdout.trim()).toBe('ingest.log.1');
    const lsof = await onHost('lsof -nP +L1');
    expect(lsof.stdout).toMatch(
      /^ingest-ap\s+\d+\s+root\s+\d+w\s+REG\s.*\s0\s+\d+ \/var\/log\/ingest\/ingest\.log \(deleted\)$/m,
    );
    const pid = (await onHost('cat /run/ingest-api.pid')).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    // fd 3 without the clock-skew fault; libfaketime, preloaded here, opens two files first.
    expect((await onHost(`ls -l /proc/${pid}/fd`)).stdout).toMatch(
      / \d+ -> \/var\/log\/ingest\/ingest\.log \(deleted\)\n/,
    );
    expect((await onHost(`cat /proc/${pid}/cmdline`)).stdout).toContain(
      '/opt/ingest/bin/ingest-api\0--listen=127.0.0.1:9400',
    );
  });

  it('port-conflict: the service cannot bind its port, the holder shows in ss and answers on it', async () => {
    const log = (await onHost('cat /var/log/orders/orders-api.log')).stdout;
    expect(log).toMatch(
      /orders-api\[\d+\]: FATAL: cannot listen on 127\.0\.0\.1:8080: bind: Address already in use/,
    );
    expect(log).toMatch(/orders-api exited with status 1; restart #1 in 1s/);
    const ss = await onHost("ss -Hltnp 'sport = :8080'");
    expect(ss.stdout).toMatch(/LISTEN .*127\.0\.0\.1:8080 .*users:\(\("orders-debug",pid=\d+/);
    const curl = await onHost('curl -sS http://127.0.0.1:8080/');
    expect(curl.stdout).toBe('orders-debug: debug listener on 127.0.0.1:8080\n');
    expect((await onHost('cat /tmp/orders-debug.log')).stdout).toContain('started by deploy');
  });

  it('memory-hog: the process holds its size in resident memory, on top of ps --sort=-rss', async () => {
    const ps = await onHost('ps -eo pid,rss,args --sort=-rss');
    const top =
      /^\s*(\d+)\s+(\d+) \/usr\/bin\/perl \/opt\/catalog\/bin\/catalog-cache --warm$/m.exec(
        ps.stdout.split('\n')[1] ?? '',
      );
    expect(top, ps.stdout).not.toBeNull();
    expect(Number(top![2])).toBeGreaterThanOrEqual(150 * 1024 * 0.95);
    const status = (await onHost(`cat /proc/${top![1]}/status`)).stdout;
    expect(Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1])).toBeGreaterThanOrEqual(
      150 * 1024 * 0.95,
    );
    expect((await onHost('cat /var/log/catalog/cache.log')).stdout).toContain('evictions=0');
  });

  it('service-down: the supervisor gave up, nothing runs and the port refuses connections', async () => {
    const log = (await onHost('cat /var/log/pricing/pricing-api.log')).stdout;
    expect(log).toContain('cat: /etc/pricing/pricing.key: No such file or directory');
    expect(log).toMatch(/pricing-api exited with status 78; restart #2 in 1s/);
    expect(log).toMatch(
      /pricing-api failed 3 times in a row; start limit hit, giving up \(not restarting\)\n$/,
    );
    expect((await onHost('pgrep -x pricing-api')).exit).toBe(1);
    const curl = await onHost('curl -sS http://127.0.0.1:8443/');
    expect(curl.exit).toBe(7);
    expect(curl.stderr).toContain('Failed to connect to 127.0.0.1 port 8443');
    expect((await onHost("ss -Hltn 'sport = :8443'")).stdout).toBe('');
    const instance = host.toolInstances[0]!;
    const { result } = await callTool(
      sshTools,
      'test_connectivity',
      { ...instance.settings, ...instance.credentials } as never,
      {},
    );
    expect(result.text).toMatch(/^web-1: ok \(\d+ ms\)$/);
  });

  it('port-conflict: once the holder is stopped (after approval) the service binds and answers', async () => {
    expect((await onHost('pkill -x orders-debug', 'approve')).exit).toBe(0);
    let answer = '';
    while (answer !== 'orders-api ok\n') {
      answer = (await onHost('curl -sS http://127.0.0.1:8080/')).stdout;
      if (answer !== 'orders-api ok\n') await delay(200);
    }
    expect((await onHost('cat /var/log/orders/orders-api.log')).stdout).toMatch(
      /orders-api\[\d+\]: ready, serving on 127\.0\.0\.1:8080/,
    );
  });

  it('deleted-open-file: restarting the holder (after approval) frees the space', async () => {
    const pid = (await onHost('cat /run/ingest-api.pid')).stdout.trim();
    expect((await onHost('pkill -x ingest-api', 'approve')).exit).toBe(0);
    let df = '';
    while (!/\s[0-9]{1,2}% \/var\/log\/ingest/.test(df)) {
      df = (await onHost('df -h /var/log/ingest')).stdout;
      if (!/\s[0-9]{1,2}% \/var\/log\/ingest/.test(df)) await delay(200);
    }
    let log = '';
    while (!/ingest-api\[\d+\]: started/.test(log)) {
      log = (await onHost('cat /var/log/ingest/ingest.log 2>/dev/null || true')).stdout;
      if (!/ingest-api\[\d+\]: started/.test(log)) await delay(200);
    }
    expect(log).not.toContain(`ingest-api[${pid}]`);
    expect((await onHost('lsof -nP +L1')).stdout).not.toContain('ingest.log');
    expect((await onHost('cat /var/log/ingest-supervise.log')).stdout).toMatch(
      /ingest-api exited with status \d+; restart #1 in 1s/,
    );
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
