import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bwrapArguments } from './bwrap-arguments.js';

let root: string | undefined;

afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

/** A host root with the usual system layout and things the agent must never see. */
function fakeHost(): string {
  root = mkdtempSync(path.join(tmpdir(), 'akmatori-fake-root-'));
  for (const dir of ['usr/bin', 'usr/lib', 'lib64', 'etc/ssl', 'etc/profile.d', 'etc/akmatori']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  symlinkSync('usr/bin', path.join(root, 'bin'));
  for (const file of ['passwd', 'shadow', 'hosts', 'environment', 'ld.so.cache', 'profile']) {
    writeFileSync(path.join(root, 'etc', file), '');
  }
  writeFileSync(path.join(root, 'etc/akmatori/config.yaml'), 'secretKey: x');
  return root;
}

const options = (hostRoot: string) => ({
  runDir: '/srv/akmatori/data-runs/run-1',
  codexDir: '/opt/akmatori/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl',
  socketDir: '/tmp/akmatori-sbx-1/gw',
  etcDir: '/tmp/akmatori-sbx-1/etc',
  nodeExecutable: process.execPath,
  endpoint: { listenAddress: '127.0.0.1', port: 8081 },
  codexArgs: ['exec', '--json', '--', 'Investigate.'],
  hostRoot,
});

/** The `--ro-bind`/`--bind` pairs as [source, destination]. */
function binds(args: readonly string[], flag: string): [string, string][] {
  const pairs: [string, string][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) pairs.push([args[index + 1]!, args[index + 2]!]);
  });
  return pairs;
}

describe('the bubblewrap sandbox of a run', () => {
  it('unshares every namespace and runs as an unprivileged user without capabilities', () => {
    const args = bwrapArguments(options(fakeHost()));
    for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc']) {
      expect(args).toContain(flag);
    }
    expect(args.join(' ')).toContain('--uid 1000 --gid 1000');
    expect(args.join(' ')).toContain('--cap-drop ALL');
    expect(args).toContain('--die-with-parent');
    expect(args).toContain('--new-session');
  });

  it('mounts the run directory alone read-write, at /akmatori/run', () => {
    const args = bwrapArguments(options(fakeHost()));
    expect(binds(args, '--bind')).toEqual([['/srv/akmatori/data-runs/run-1', '/akmatori/run']]);
    expect(binds(args, '--ro-bind')).toContainEqual([
      '/tmp/akmatori-sbx-1/gw',
      '/akmatori/gateway',
    ]);
    expect(args.slice(args.indexOf('--chdir'), args.indexOf('--chdir') + 2)).toEqual([
      '--chdir',
      '/akmatori/run/workspace',
    ]);
  });

  it('shows system files read-only and only the allowlisted part of /etc, with its own passwd and hosts', () => {
    const host = fakeHost();
    const args = bwrapArguments(options(host));
    const readOnly = binds(args, '--ro-bind');
    expect(readOnly).toContainEqual([path.join(host, 'usr'), '/usr']);
    expect(readOnly).toContainEqual([path.join(host, 'lib64'), '/lib64']);
    expect(args.join(' ')).toContain('--symlink usr/bin /bin');
    expect(readOnly).toContainEqual([path.join(host, 'etc/ssl'), '/etc/ssl']);
    expect(readOnly).toContainEqual(['/tmp/akmatori-sbx-1/etc/passwd', '/etc/passwd']);
    expect(readOnly).toContainEqual(['/tmp/akmatori-sbx-1/etc/hosts', '/etc/hosts']);
    const sources = readOnly.map(([source]) => source).join('\n');
    for (const hidden of ['shadow', 'profile.d', 'environment', 'akmatori/config.yaml']) {
      expect(sources, `${hidden} is visible in the sandbox`).not.toContain(`etc/${hidden}`);
    }
    expect(sources).not.toContain(path.join(host, 'etc/passwd'));
    expect(sources).not.toContain(path.join(host, 'etc/hosts'));
  });

  it('starts the relay to the gateway, then Codex from the read-only Codex directory', () => {
    const args = bwrapArguments(options(fakeHost()));
    const command = args.slice(args.indexOf('--') + 1);
    expect(command[1]).toBe('--input-type=module');
    expect(command.slice(4)).toEqual([
      '127.0.0.1',
      '8081',
      '/akmatori/gateway/gateway.sock',
      '/akmatori/codex/bin/codex',
      'exec',
      '--json',
      '--',
      'Investigate.',
    ]);
    expect(binds(args, '--ro-bind')).toContainEqual([options('/').codexDir, '/akmatori/codex']);
  });
});
