import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startPeerProcess, type PeerProcess } from '@akmatori/test-support/peers/process';

/**
 * Docker networks rebuilt from Linux network namespaces: one namespace per container, one
 * bridge per network (in a "switch" namespace of its own, so the host's firewall and bridge
 * settings play no part), a veth pair per container and network, and `/etc/netns/NS/hosts` for
 * the service names (`ip netns exec` mounts it over /etc/hosts). Like Docker's internal
 * networks, no container gets a default route; the host (this process's namespace) sits on
 * the edge network only, at `.1`, as the outside world. Needs root.
 */
export interface Topology {
  /** The host's address on the edge network: the outside world as containers see it. */
  readonly outside: string;
  /** The address of `node` on `network`. */
  address(node: string, network: string): string;
  /** The namespace of `node` (for `ip netns exec`). */
  namespace(node: string): string;
  /** Starts `command` inside `node`'s namespace, as a peer process (stop() ends it). */
  start(
    node: string,
    command: string,
    args: readonly string[],
    options?: SpawnOptions,
  ): PeerProcess;
  /** Runs `command` inside `node`'s namespace to the end. */
  run(
    node: string,
    command: string,
    args: readonly string[],
    options?: SpawnOptions & { timeoutMs?: number },
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Deletes every namespace, link and hosts file it made. */
  destroy(): void;
}

/** What to build: each node's networks, and the names each node resolves. */
export interface TopologyPlan {
  /** Networks by name, in a fixed order (edge first: the host joins it). */
  readonly networks: readonly string[];
  /** Each node and the networks it is on. */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
  /** Host names each node resolves, to the node (and network) they name. */
  readonly hosts: Readonly<Record<string, Readonly<Record<string, [string, string]>>>>;
}

const PREFIX = 'akmd';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Removes what an earlier run left behind when it was killed (its process is gone). */
export function removeStaleTopologies(): void {
  const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of listed.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const owner = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (owner === undefined || processAlive(Number(owner))) continue;
    execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    rmSync(path.join('/etc/netns', name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the plan's networks. Subnets come from 198.18.0.0/15 (reserved for network tests, never
 * routed): three /24s picked by this process's id, so concurrent runs do not collide.
 *
 * @example
 * ```ts
 * const net = buildTopology({ networks: ['edge'], nodes: { web: ['edge'] }, hosts: {} });
 * await net.run('web', 'ip', ['addr']);
 * net.destroy();
 * ```
 */
export function buildTopology(plan: TopologyPlan): Topology {
  const id = `${PREFIX}${process.pid}`;
  const base = (process.pid % 80) * 3;
  const subnet = (network: string): string => `198.18.${base + plan.networks.indexOf(network)}`;
  const nodeNames = Object.keys(plan.nodes);
  const hostNumber = (node: string): number => 10 + nodeNames.indexOf(node);
  const namespace = (node: string): string => `${id}-${node}`;
  const switchNs = `${id}-switch`;
  const uplink = `${id}o`;
  const made: string[] = [];
  const edge = plan.networks[0];
  if (edge === undefined) throw new Error('a topology needs at least one network');

  const address = (node: string, network: string): string => {
    if (!(plan.nodes[node] ?? []).includes(network))
      throw new Error(`${node} is not on the ${network} network`);
    return `${subnet(network)}.${hostNumber(node)}`;
  };

  const destroy = (): void => {
    for (const name of made.reverse()) {
      try {
        execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
      rmSync(path.join('/etc/netns', name), { recursive: true, force: true });
    }
    made.length = 0;
    // The uplink's peer was in the switch namespace: deleting it deleted the pair.
    if (existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
  };

  try {
    ip('netns', 'add', switchNs);
    made.push(switchNs);
    for (const network of plan.networks) {
      ip('-n', switchNs, 'link', 'add', `br-${network}`, 'type', 'bridge');
      ip('-n', switchNs, 'link', 'set', `br-${network}`, 'up');
    }
    ip('link', 'add', uplink, 'type', 'veth', 'peer', 'name', 'uplink', 'netns', switchNs);
    ip('-n', switchNs, 'link', 'set', 'uplink', 'master', `br-${edge}`, 'up');
    ip('addr', 'add', `${subnet(edge)}.1/24`, 'dev', uplink);
    ip('link', 'set', uplink, 'up');

    for (const [index, node] of nodeNames.entries()) {
      const ns = namespace(node);
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      for (const [slot, network] of (plan.nodes[node] ?? []).entries()) {
        const port = `n${index}p${slot}`;
        ip(
          '-n',
          switchNs,
          'link',
          'add',
          port,
          'type',
          'veth',
          'peer',
          'name',
          `eth${slot}`,
          'netns',
          ns,
        );
        ip('-n', switchNs, 'link', 'set', port, 'master', `br-${network}`, 'up');
        ip('-n', ns, 'addr', 'add', `${address(node, network)}/24`, 'dev', `eth${slot}`);
        ip('-n', ns, 'link', 'set', `eth${slot}`, 'up');
      }
      const names = Object.entries(plan.hosts[node] ?? {}).map(
        ([name, [target, network]]) => `${address(target, network)} ${name}`,
      );
      mkdirSync(path.join('/etc/netns', ns), { recursive: true });
      writeFileSync(
        path.join('/etc/netns', ns, 'hosts'),
        ['127.0.0.1 localhost', '::1 localhost', ...names, ''].join('\n'),
      );
    }
  } catch (error) {
    destroy();
    throw error;
  }

  return {
    outside: `${subnet(edge)}.1`,
    address,
    namespace,
    start: (node, command, args, options = {}) =>
      startPeerProcess('ip', ['netns', 'exec', namespace(node), command, ...args], options),
    run: (node, command, args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', namespace(node), command, ...args], {
          ...options,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      }),
    destroy,
  };
}
