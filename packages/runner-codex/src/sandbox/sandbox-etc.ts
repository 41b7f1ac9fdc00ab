import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_RUN_DIR, SANDBOX_UID, SANDBOX_USER } from './sandbox-layout.js';

/**
 * Files of the host's `/etc` the sandbox sees, read-only: what programs need to run (the
 * dynamic linker's cache, `alternatives` links such as `awk`, TLS roots, time zone, shell
 * start-up files) and nothing an operator configures for Akmatori or its hosts. Notably absent:
 * `profile.d`, `environment`, `hosts`, `passwd`/`shadow`, `ssh`, anything under `/etc/akmatori`.
 */
export const SANDBOX_ETC_ALLOWLIST: readonly string[] = Object.freeze([
  'alternatives',
  'bash.bashrc',
  'ca-certificates',
  'ca-certificates.conf',
  'debian_version',
  'inputrc',
  'issue',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'locale.alias',
  'localtime',
  'mime.types',
  'os-release',
  'profile',
  'protocols',
  'services',
  'ssl',
  'terminfo',
  'timezone',
]);

/** The `/etc` files written for the sandbox (the rest of `/etc` is absent). */
export const SANDBOX_ETC_GENERATED: readonly string[] = Object.freeze([
  'passwd',
  'group',
  'hosts',
  'nsswitch.conf',
  'resolv.conf',
]);

/**
 * Writes the sandbox's own `/etc/passwd`, `group`, `hosts`, `nsswitch.conf` and an empty
 * `resolv.conf` into `dir` (bound read-only over the sandbox's `/etc`): one user, `agent`,
 * whose home is the run directory; loopback names, plus `gatewayHostName` on loopback so the
 * gateway's URL leads to the relay; no DNS servers.
 *
 * @example
 * ```ts
 * writeSandboxEtc(path.join(relay.dir, 'etc'), 'gateway');
 * ```
 */
export function writeSandboxEtc(dir: string, gatewayHostName: string | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Record<(typeof SANDBOX_ETC_GENERATED)[number], string> = {
    passwd: `root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n${SANDBOX_USER}:x:${SANDBOX_UID}:${SANDBOX_UID}:Akmatori agent:${SANDBOX_RUN_DIR}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\n${SANDBOX_USER}:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`,
    hosts: `127.0.0.1 localhost akmatori-sandbox${gatewayHostName === undefined || gatewayHostName === 'localhost' ? '' : ` ${gatewayHostName}`}\n`,
    'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files\n',
    'resolv.conf': '# no DNS inside the agent sandbox: only the gateway is reachable\n',
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), content, { mode: 0o644 });
  }
}
