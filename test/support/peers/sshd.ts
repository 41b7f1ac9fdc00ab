import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import {
  freePort,
  makeTempDir,
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
} from './process.js';

/** Debian's OpenSSH server (package `openssh-server`, 9.2 on Debian 12). */
export const SSHD_BINARY = '/usr/sbin/sshd';
const SSH_KEYGEN_BINARY = '/usr/bin/ssh-keygen';

/** Options of {@link startSshd}. */
export interface SshdOptions {
  /** Port to listen on; default a free one. Pass a stopped server's port to "change its key". */
  port?: number;
  /** Encrypts the generated client key with this passphrase. */
  clientKeyPassphrase?: string;
  /**
   * When the tests run as root, run sshd as this system user instead, so logins are not
   * root (a non-root sshd lets in only its own user). Ignored when not root.
   */
  runAs?: string;
  /**
   * When the tests run as root (and `runAs` is not set), log in as this existing user
   * instead of root: sshd stays root, so it can start any user's session.
   */
  loginAs?: string;
}

/** A running OpenSSH server that lets the current user in with a generated key. */
export interface RunningSshd {
  /** Always `127.0.0.1`. */
  readonly address: string;
  readonly port: number;
  /** The login user: whoever runs the tests (root in CI containers). */
  readonly user: string;
  /** True when {@link RunningSshd.user} is root, so credentials need `allow_root: true`. */
  readonly userIsRoot: boolean;
  /** The server's host key as `ssh-keygen -lf -E sha256` prints it (`SHA256:…`). */
  readonly hostKeyFingerprint: string;
  /** OpenSSH private key of the user's authorized key. */
  readonly clientPrivateKey: string;
  /** What sshd has logged so far (for failure messages). */
  output(): string;
  /** Stops sshd and deletes its temp dir. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's sshd on 127.0.0.1 with a fresh ed25519 host key and one authorized client
 * key for the current user (root logins allowed by key only), and waits until it greets.
 * Throws "install openssh-server" when the binary is missing.
 *
 * @example
 * ```ts
 * const sshd = await startSshd();
 * const host = { name: 'web1', address: sshd.address, port: sshd.port, user: sshd.user };
 * await sshd.stop();
 * ```
 */
export async function startSshd(options: SshdOptions = {}): Promise<RunningSshd> {
  requireBinary(SSHD_BINARY, 'openssh-server');
  requireBinary(SSH_KEYGEN_BINARY, 'openssh-client');
  const dir = makeTempDir('sshd');
  const file = (name: string): string => path.join(dir.path, name);
  const owner = process.getuid?.() === 0 ? systemUser(options.runAs) : undefined;
  const loginAs = owner === undefined && process.getuid?.() === 0 ? options.loginAs : undefined;
  const user = owner?.name ?? loginAs ?? userInfo().username;
  const userIsRoot = owner === undefined && loginAs === undefined && process.getuid?.() === 0;
  const port = options.port ?? (await freePort());

  keygen(file('host_ed25519'), '', 'akmatori-test-host');
  keygen(file('client_ed25519'), options.clientKeyPassphrase ?? '', 'akmatori-test-client');
  writeFileSync(file('authorized_keys'), readFileSync(file('client_ed25519.pub')));
  const hostKeyFingerprint = fingerprintOf(file('host_ed25519.pub'));
  writeFileSync(file('sshd_config'), sshdConfig(port, file, userIsRoot));
  if (owner !== undefined) {
    for (const name of ['', ...readdirSync(dir.path)]) chownSync(file(name), owner.uid, owner.gid);
  } else if (process.getuid?.() === 0) {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }
  if (loginAs !== undefined) {
    // sshd reads authorized_keys as the user logging in.
    chmodSync(dir.path, 0o755);
    chmodSync(file('authorized_keys'), 0o644);
  }

  const peer = startPeerProcess(
    SSHD_BINARY,
    ['-D', '-e', '-f', file('sshd_config')],
    owner === undefined ? {} : { uid: owner.uid, gid: owner.gid },
  );
  const stop = async (): Promise<void> => {
    await peer.stop();
    dir.remove();
  };
  try {
    await pollUntil(`sshd to greet on 127.0.0.1:${port}`, async () => {
      if (peer.exited()) throw new StopPolling(`sshd exited:\n${peer.output()}`);
      return (await sshBanner(port)) ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw new Error(`sshd did not start: ${(error as Error).message}\n${peer.output()}`);
  }
  return {
    address: '127.0.0.1',
    port,
    user,
    userIsRoot,
    hostKeyFingerprint,
    clientPrivateKey: readFileSync(file('client_ed25519'), 'utf8'),
    output: () => peer.output(),
    stop,
  };
}

/** The uid and gid of a system user, or undefined when no user is asked for. */
function systemUser(
  name: string | undefined,
): { name: string; uid: number; gid: number } | undefined {
  if (name === undefined) return undefined;
  try {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`sshd should run as "${name}", but there is no such system user`);
  }
}

/** The sshd configuration: key logins only, local TCP forwarding for jump-host tests. */
function sshdConfig(port: number, file: (name: string) => string, userIsRoot: boolean): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${file('host_ed25519')}`,
    `AuthorizedKeysFile ${file('authorized_keys')}`,
    `PidFile ${file('sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `PermitRootLogin ${userIsRoot ? 'prohibit-password' : 'no'}`,
    'AllowTcpForwarding yes',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitUserEnvironment no',
    'MaxStartups 100',
    'MaxSessions 100',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function keygen(keyFile: string, passphrase: string, comment: string): void {
  execFileSync(SSH_KEYGEN_BINARY, [
    '-q',
    '-t',
    'ed25519',
    '-N',
    passphrase,
    '-C',
    comment,
    '-f',
    keyFile,
  ]);
}

/** `SHA256:…` from `ssh-keygen -lf KEY -E sha256` (`256 SHA256:… comment (ED25519)`). */
function fingerprintOf(publicKeyFile: string): string {
  const line = execFileSync(SSH_KEYGEN_BINARY, ['-lf', publicKeyFile, '-E', 'sha256'], {
    encoding: 'utf8',
  });
  const fingerprint = line.split(' ')[1];
  if (fingerprint?.startsWith('SHA256:') !== true) {
    throw new Error(`unexpected ssh-keygen -lf output: ${line}`);
  }
  return fingerprint;
}

/** Whether 127.0.0.1:port answers with an SSH identification line. */
function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (greeted: boolean): void => {
      socket.destroy();
      resolve(greeted);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-')));
  });
}

/**
 * Settings of an `ssh` tool instance (`POST /api/tools`): the host `web-1` on `sshd`, pinned
 * to its host key, logging in as its user (`allow_root` when that is root) with the sshd's
 * client key; `allowWrite` lets it run commands that change things (after approval).
 *
 * @example
 * ```ts
 * await api('POST', '/api/tools', { tool_type_name: 'ssh', name: 'web', settings: sshToolSettings(sshd) });
 * ```
 */
export function sshToolSettings(
  sshd: RunningSshd,
  options: { readonly allowWrite?: boolean } = {},
): { hosts: Record<string, unknown>[]; private_key: string } {
  return {
    hosts: [
      {
        name: 'web-1',
        address: sshd.address,
        port: sshd.port,
        user: sshd.user,
        ...(sshd.userIsRoot ? { allow_root: true } : {}),
        host_key_fingerprint: sshd.hostKeyFingerprint,
        ...(options.allowWrite === true ? { allow_write: true } : {}),
      },
    ],
    private_key: sshd.clientPrivateKey,
  };
}
