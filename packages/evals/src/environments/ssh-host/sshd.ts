import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { SSH_KEYGEN, SSHD, requireFile } from './binaries.js';
import { stopProcess, waitFor } from './processes.js';
import { EvalErrors } from '../../errors.js';

const run = promisify(execFile);

/** A running sshd on 127.0.0.1 whose every session runs `forceCommand`. */
export interface HostSshd {
  readonly port: number;
  /** `SHA256:…` of its ed25519 host key, as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** OpenSSH private key root logs in with. */
  readonly clientPrivateKey: string;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's sshd as root on a free loopback port with a fresh host key, one authorized
 * client key for root, and `ForceCommand` so every session (exec, shell, subsystem) runs the
 * host's entry script. Resolves once it greets.
 *
 * @example
 * ```ts
 * const sshd = await startHostSshd('/tmp/web-1', '/tmp/web-1/enter');
 * await sshd.stop();
 * ```
 */
export async function startHostSshd(dir: string, forceCommand: string): Promise<HostSshd> {
  requireFile(SSHD, 'openssh-server');
  requireFile(SSH_KEYGEN, 'openssh-client');
  const file = (name: string): string => path.join(dir, name);
  await keygen(file('host_ed25519'), 'akmatori-eval-host');
  await keygen(file('client_ed25519'), 'akmatori-eval-client');
  writeFileSync(file('authorized_keys'), readFileSync(file('client_ed25519.pub')));
  const fingerprintLine = (
    await run(SSH_KEYGEN, ['-lf', file('host_ed25519.pub'), '-E', 'sha256'], { encoding: 'utf8' })
  ).stdout;
  const hostKeyFingerprint = fingerprintLine.split(' ')[1] ?? '';
  if (!hostKeyFingerprint.startsWith('SHA256:')) {
    throw EvalErrors.AKM_EVAL_PEER_FAILED({
      peer: 'ssh-keygen -lf',
      problem: `printed no SHA256 fingerprint: ${fingerprintLine}`,
    });
  }
  // Privilege separation directory sshd insists on when run as root.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  writeFileSync(
    file('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${file('host_ed25519')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `PidFile ${file('sshd.pid')}`,
      `ForceCommand ${forceCommand}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding no',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PermitUserEnvironment no',
      'MaxStartups 100',
      'MaxSessions 100',
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', file('sshd_config')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = (): Promise<void> => stopProcess(child);
  try {
    await waitFor(`sshd to greet on 127.0.0.1:${port}`, child, () => sshBanner(port));
  } catch (error) {
    await stop();
    throw EvalErrors.AKM_EVAL_PEER_FAILED({
      peer: 'sshd',
      problem: `did not start: ${(error as Error).message}\n${output}`,
    });
  }
  return {
    port,
    hostKeyFingerprint,
    clientPrivateKey: readFileSync(file('client_ed25519'), 'utf8'),
    process: child,
    output: () => output,
    stop,
  };
}

async function keygen(keyFile: string, comment: string): Promise<void> {
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', keyFile]);
}

/** A loopback port free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether 127.0.0.1:port answers with an SSH identification line. */
function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (greeted: boolean): void => {
      socket.destroy();
      resolve(greeted);
    };
    socket.setTimeout(5000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-')));
  });
}
