import { createServer, connect, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { PeerProcess } from '@akmatori/test-support/peers/process';
import { readComposeFile, readRepoFile, repoRoot, serviceEnvironment } from './compose-file.js';
import { allOf, effective, execForm, parseDockerfile } from './dockerfile.js';
import type { Topology } from './netns.js';

const compose = readComposeFile();
const dockerfile = parseDockerfile(readRepoFile('deploy/docker/Dockerfile'));
const repo = fileURLToPath(repoRoot);

/** The compose services run as their containers run them, each in its namespace. */
export interface ComposeStack {
  /** The image's ENV, then the compose environment (from `.env`), then `overrides`. */
  environment(service: string, overrides?: Record<string, string>): Record<string, string>;
  /** Starts the service's command (compose `command`, else the image's `CMD`). */
  start(service: string, overrides?: Record<string, string>): PeerProcess;
  /** Runs a one-shot service's command to the end (the migrate service). */
  run(service: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Adds a process started otherwise (nginx) to those {@link ComposeStack.logs} shows. */
  adopt(name: string, peer: PeerProcess): void;
  /** Stops the started services, in the order given. */
  stop(order: readonly string[]): Promise<void>;
  /** The name of a started process that has exited, if one has. */
  exited(): string | undefined;
  /** The last lines each process printed, for failure messages. */
  logs(): string;
}

/**
 * The services of docker-compose.yml on `net`, configured from `dotenv` as `.env` would be,
 * run from the repository's build (`app/dist`) as the image's `/app`.
 *
 * @example
 * ```ts
 * const stack = composeStack(net, dotenv, home);
 * stack.start('api');
 * ```
 */
export function composeStack(
  net: Topology,
  dotenv: Readonly<Record<string, string>>,
  home: string,
): ComposeStack {
  const processes: Record<string, PeerProcess> = {};
  const environment = (
    service: string,
    overrides: Record<string, string> = {},
  ): Record<string, string> => {
    const spec = compose.services[service]!;
    const image = Object.fromEntries(
      allOf(dockerfile, spec.build!.target!, 'ENV')
        .flatMap((line) => line.split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      ...image,
      ...serviceEnvironment(spec, dotenv),
      ...overrides,
    };
  };
  const commandOf = (service: string): [string, string[]] => {
    const spec = compose.services[service]!;
    const [program, ...args] =
      spec.command ?? execForm(effective(dockerfile, spec.build!.target!, 'CMD'));
    return [program === 'node' ? process.execPath : program!, args];
  };
  return {
    environment,
    start(service, overrides = {}) {
      const [program, args] = commandOf(service);
      const started = net.start(service, program, args, {
        cwd: repo,
        env: environment(service, overrides),
      });
      processes[service] = started;
      return started;
    },
    run(service) {
      const [program, args] = commandOf(service);
      return net.run(service, program, args, {
        cwd: repo,
        env: environment(service),
        timeoutMs: 60_000,
      });
    },
    adopt(name, peer) {
      processes[name] = peer;
    },
    async stop(order) {
      for (const name of order) await processes[name]?.stop().catch(() => {});
    },
    exited: () => Object.entries(processes).find(([, peer]) => peer.exited())?.[0],
    logs: () =>
      Object.entries(processes)
        .map(([name, peer]) => `--- ${name}\n${peer.output().slice(-3000)}`)
        .join('\n'),
  };
}

/** A TCP relay from an address of this process's namespace to a loopback server. */
export interface Relay {
  readonly port: number;
  /** The address of every connection it took. */
  readonly peers: string[];
  close(): Promise<void>;
}

/** Starts a {@link Relay} on `host` (the outside address) to `127.0.0.1:targetPort`. */
export async function startRelay(host: string, targetPort: number): Promise<Relay> {
  const peers: string[] = [];
  const server: Server = createServer((socket) => {
    peers.push(socket.remoteAddress ?? '?');
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    peers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Tries a TCP connection from `node`'s namespace: `connected`, or the error code. */
export async function connectFrom(
  net: Topology,
  node: string,
  host: string,
  port: number,
): Promise<string> {
  const probe =
    "const s=require('net').connect({host:process.argv[1],port:Number(process.argv[2])});" +
    "s.setTimeout(3000,()=>{console.log('ETIMEDOUT');s.destroy()});" +
    "s.on('connect',()=>{console.log('connected');s.destroy()});" +
    "s.on('error',(e)=>console.log(e.code))";
  const result = await net.run(node, process.execPath, ['-e', probe, host, String(port)]);
  return result.stdout.trim();
}
