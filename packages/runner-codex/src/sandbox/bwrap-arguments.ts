import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { GatewayEndpoint } from './gateway-endpoint.js';
import { SANDBOX_ETC_ALLOWLIST, SANDBOX_ETC_GENERATED } from './sandbox-etc.js';
import {
  SANDBOX_CODEX_BINARY,
  SANDBOX_CODEX_DIR,
  SANDBOX_GATEWAY_DIR,
  SANDBOX_GATEWAY_SOCKET,
  SANDBOX_RUN_DIR,
  SANDBOX_UID,
  sandboxWorkspace,
} from './sandbox-layout.js';
import { SANDBOX_RELAY_SCRIPT } from './sandbox-relay-script.js';

/** What {@link bwrapArguments} mounts and runs. */
export interface BwrapArgumentsOptions {
  /** The run directory on the host, mounted read-write at `/akmatori/run`. */
  readonly runDir: string;
  /** The Codex platform package's directory (holding `bin/codex`), mounted read-only at `/akmatori/codex`. */
  readonly codexDir: string;
  /** Directory holding only the gateway socket, mounted read-only at `/akmatori/gateway`. */
  readonly socketDir: string;
  /** Directory of the generated `/etc` files (see `writeSandboxEtc`). */
  readonly etcDir: string;
  /** The Node.js binary that runs the relay inside (mounted read-only where it is, if outside /usr). */
  readonly nodeExecutable: string;
  /** Where the relay inside listens. */
  readonly endpoint: Pick<GatewayEndpoint, 'listenAddress' | 'port'>;
  /** Arguments after `codex` (paths as seen inside the sandbox). */
  readonly codexArgs: readonly string[];
  /** The host's root, for tests. Default `/`. */
  readonly hostRoot?: string;
}

/** Top-level system directories: bound read-only, or recreated as the symbolic links they are. */
const SYSTEM_DIRS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/**
 * The `bwrap` (bubblewrap) arguments that start Codex contained: new user, PID, network, IPC,
 * UTS and cgroup namespaces; an unprivileged user with no capabilities; a fresh root holding
 * only `/usr` and the system library directories (read-only), an allowlisted part of `/etc`
 * with generated `passwd`, `hosts` and `resolv.conf`, a private `/proc`, `/dev` and `/tmp`,
 * the Codex binary (read-only) and the run directory (read-write). Nothing else of the host is
 * there: not the data directory, the database, the config, other runs, or another process's
 * `/proc`. The network is loopback only; the first process is the relay that carries
 * connections to the gateway's port out through the socket, and then runs Codex. The sandbox
 * dies with the worker (`--die-with-parent`) and has its own session (no terminal injection).
 *
 * @example
 * ```ts
 * spawn(bwrapPath, bwrapArguments({ runDir, codexDir, socketDir, etcDir, nodeExecutable: process.execPath, endpoint, codexArgs }));
 * ```
 */
export function bwrapArguments(options: BwrapArgumentsOptions): string[] {
  const root = options.hostRoot ?? '/';
  const args = [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--hostname',
    'akmatori-sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    path.join(root, 'usr'),
    '/usr',
  ];
  for (const name of SYSTEM_DIRS) {
    const host = path.join(root, name);
    const info = lstatOrUndefined(host);
    if (info?.isSymbolicLink() === true) args.push('--symlink', readlinkSync(host), `/${name}`);
    else if (info?.isDirectory() === true) args.push('--ro-bind', host, `/${name}`);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp');
  args.push('--dir', '/etc');
  for (const name of SANDBOX_ETC_ALLOWLIST) {
    const host = path.join(root, 'etc', name);
    if (existsSync(host)) args.push('--ro-bind', host, `/etc/${name}`);
  }
  for (const name of SANDBOX_ETC_GENERATED) {
    args.push('--ro-bind', path.join(options.etcDir, name), `/etc/${name}`);
  }
  const nodePrefix = nodeInstallPrefix(options.nodeExecutable);
  if (nodePrefix !== undefined) args.push('--ro-bind', nodePrefix, nodePrefix);
  args.push(
    '--ro-bind',
    options.codexDir,
    SANDBOX_CODEX_DIR,
    '--bind',
    options.runDir,
    SANDBOX_RUN_DIR,
    // Read-only: connecting to a socket needs no write access to its file system, and the
    // agent cannot put anything else beside it.
    '--ro-bind',
    options.socketDir,
    SANDBOX_GATEWAY_DIR,
    '--chdir',
    sandboxWorkspace().workspaceDir,
    '--',
    realpathSync(options.nodeExecutable),
    '--input-type=module',
    '-e',
    SANDBOX_RELAY_SCRIPT,
    options.endpoint.listenAddress,
    String(options.endpoint.port),
    SANDBOX_GATEWAY_SOCKET,
    SANDBOX_CODEX_BINARY,
    ...options.codexArgs,
  );
  return args;
}

/** The install prefix of a Node.js binary outside the mounted system directories, else undefined. */
function nodeInstallPrefix(executable: string): string | undefined {
  const real = realpathSync(executable);
  const top = real.split('/')[1] ?? '';
  if (top === 'usr' || SYSTEM_DIRS.includes(top)) return undefined;
  return path.dirname(path.dirname(real));
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
