import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { shellQuote } from './shell.js';
import { waitFor, waitForExit } from './processes.js';
import { EvalErrors } from '../../errors.js';

/** The long-lived namespaces of one host and the init process that holds them. */
export interface HostNamespaces {
  /** PID (in the machine's PID namespace) of the host's init, PID 1 inside. */
  readonly initPid: number;
  /** `mnt:[…]` of the host's mount namespace, to find what is still inside it. */
  readonly mountNamespace: string;
  /** `pid:[…]` of the host's PID namespace. */
  readonly pidNamespace: string;
  /** Machine PIDs of the processes still in the host's mount or PID namespace. */
  processes(): number[];
  /** Kills everything in the host and waits until nothing is left in its namespaces. */
  stop(): Promise<void>;
}

/**
 * The base world every host gets before its faults: private mounts, its hostname, an up
 * loopback-only network, its own /run, a copy-on-write /etc (overlay over the machine's, upper
 * layer in its /run), and fresh tmpfs /var, /opt, /srv and /tmp, so nothing a fault writes
 * reaches the machine.
 */
function baseWorld(hostname: string): string[] {
  return [
    'set -eu',
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'mount --make-rprivate /',
    `hostname ${shellQuote(hostname)}`,
    'ip link set lo up',
    'mount -t tmpfs -o mode=0755,size=64m tmpfs /run',
    'mkdir -p /run/lock /run/.host/etc-upper /run/.host/etc-work',
    'mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/.host/etc-upper,workdir=/run/.host/etc-work /etc',
    `rm -f /etc/hostname && printf '%s\\n' ${shellQuote(hostname)} > /etc/hostname`,
    `rm -f /etc/hosts && printf '127.0.0.1\\tlocalhost\\n127.0.1.1\\t%s\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n' ${shellQuote(hostname)} > /etc/hosts`,
    'mount -t tmpfs -o mode=0755,size=128m tmpfs /var',
    'mkdir -p /var/log /var/lib /var/cache /var/spool /var/tmp && chmod 1777 /var/tmp',
    'ln -s /run /var/run && ln -s /run/lock /var/lock',
    'mount -t tmpfs -o mode=0755,size=64m tmpfs /opt',
    'mount -t tmpfs -o mode=0755,size=64m tmpfs /srv',
    'mount -t tmpfs -o mode=1777,size=64m tmpfs /tmp',
  ];
}

/**
 * Starts `unshare` with new mount, UTS, IPC, network and PID namespaces; its init builds the
 * base world, exports `environment`, runs the faults' `script` lines and then waits as PID 1,
 * reaping orphans, for as long as the host lives. Resolves once the script has finished.
 *
 * @example
 * ```ts
 * const namespaces = await startHostNamespaces('web-1', ['mkdir -p /var/log/app'], {});
 * await namespaces.stop();
 * ```
 */
export async function startHostNamespaces(
  hostname: string,
  script: readonly string[],
  environment: Readonly<Record<string, string>>,
): Promise<HostNamespaces> {
  const init = [
    ...baseWorld(hostname),
    ...Object.entries(environment).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    ...script,
    "printf 'host ready\\n'",
    // PID 1 reaps every orphan (a killed runaway must not linger as a zombie).
    "exec /bin/sh -c 'while :; do sleep 3600 & wait; done'",
    '',
  ].join('\n');
  const child = spawn(
    'unshare',
    [
      '--mount',
      '--uts',
      '--ipc',
      '--net',
      '--pid',
      '--fork',
      '--mount-proc',
      '/bin/sh',
      '-c',
      init,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let initPid: number | undefined;
  try {
    await waitFor(`host ${hostname} to build its faults`, child, () =>
      output.includes('host ready\n'),
    );
    initPid = childPid(child);
    const mountNamespace = readlinkSync(`/proc/${initPid}/ns/mnt`);
    const pidNamespace = readlinkSync(`/proc/${initPid}/ns/pid`);
    const processes = (): number[] => processesIn(mountNamespace, pidNamespace);
    return {
      initPid,
      mountNamespace,
      pidNamespace,
      processes,
      stop: () => stopHost(child, initPid ?? 0, processes),
    };
  } catch (error) {
    await stopHost(child, initPid ?? tryChildPid(child) ?? 0, () => []);
    throw EvalErrors.AKM_EVAL_PEER_FAILED({
      peer: `host ${hostname}`,
      problem: `could not be built: ${(error as Error).message}\n${output}`,
    });
  }
}

/** The PID of unshare's only child, the host's init. */
function childPid(child: ChildProcess): number {
  const pid = tryChildPid(child);
  if (pid === undefined)
    throw EvalErrors.AKM_EVAL_PEER_FAILED({ peer: 'unshare', problem: 'has no child process' });
  return pid;
}

function tryChildPid(child: ChildProcess): number | undefined {
  if (child.pid === undefined) return undefined;
  try {
    const text = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
    const pid = Number(text.split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Machine PIDs of processes whose mount or PID namespace is one of the host's. */
function processesIn(mountNamespace: string, pidNamespace: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        readlinkSync(`/proc/${entry}/ns/mnt`) === mountNamespace ||
        readlinkSync(`/proc/${entry}/ns/pid`) === pidNamespace
      ) {
        found.push(Number(entry));
      }
    } catch {
      // The process exited while we looked.
    }
  }
  return found;
}

/**
 * SIGKILL to the host's init ends its PID namespace (the kernel kills every process in it);
 * then waits for unshare and for the last processes (sessions entering with nsenter) to leave,
 * after which the kernel drops the mount namespace and its tmpfs mounts.
 */
async function stopHost(
  child: ChildProcess,
  initPid: number,
  processes: () => number[],
): Promise<void> {
  if (initPid > 0) {
    try {
      process.kill(initPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // unshare exits once its child, the init, is gone (and reaps it): wait for that.
  await waitForExit(child);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const left = processes();
    if (left.length === 0) return;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await delay(50);
  }
  throw EvalErrors.AKM_EVAL_PEER_FAILED({
    peer: 'host',
    problem: `still has processes inside after stop: ${processes().join(', ')}`,
  });
}
