import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuiltEnvironment, EnvironmentKind } from '../environment.js';
import { HOST_FAULTS, type HostFaultSpec } from './faults/index.js';
import { startHostNamespaces, type HostNamespaces } from './host-namespaces.js';
import { shellQuote } from './shell.js';
import { startHostSshd, type HostSshd } from './sshd.js';
import { EvalErrors } from '../../errors.js';

/** The spec of an `ssh-host` environment (`kind: ssh-host` in scenario.yaml). */
export interface SshHostSpec {
  /** The host's name: its hostname and the host name of the `ssh` tool instance (default the entry's name). */
  readonly hostname?: string;
  /** Whether the tool instance lets write commands run (after an operator approves). */
  readonly allow_write?: boolean;
  /** The tool instance's network_allowlist (destinations network clients may reach). */
  readonly network_allowlist?: readonly string[];
  /** The faults, built in this order. */
  readonly faults: readonly HostFaultSpec[];
}

/** A built host: the environment, plus what a test needs to prove `stop` left nothing behind. */
export interface SshHost extends BuiltEnvironment {
  readonly hostname: string;
  readonly sshPort: number;
  readonly namespaces: HostNamespaces;
  readonly sshd: HostSshd;
}

const hostNamePattern = '^[a-z0-9][a-z0-9-]{0,62}$';

/** JSON Schema of {@link SshHostSpec}: each fault is checked against its own kind's schema. */
export const sshHostSpecSchema: Readonly<Record<string, unknown>> = {
  type: 'object',
  additionalProperties: false,
  required: ['faults'],
  properties: {
    hostname: { type: 'string', pattern: hostNamePattern },
    allow_write: { type: 'boolean' },
    network_allowlist: {
      type: 'array',
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 253 },
    },
    faults: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { enum: [...HOST_FAULTS.keys()] } },
        allOf: [...HOST_FAULTS.values()].map((fault) => ({
          if: { properties: { kind: { const: fault.kind } } },
          then: fault.schema,
        })),
      },
    },
  },
};

/**
 * Builds a real Linux host on loopback: long-lived mount, UTS, IPC, network and PID namespaces
 * (held by an `unshare` init) with its own /etc, /var, /opt, /srv, /run and /tmp, its faults
 * built for real inside, and an OpenSSH sshd (root, key only) whose `ForceCommand` runs every
 * session inside those namespaces with `nsenter`, so state persists across commands. Needs root.
 *
 * @example
 * ```ts
 * const host = await buildSshHost(
 *   { faults: [{ kind: 'disk-full', mount: '/var/log', size_mb: 8, fill: '/var/log/app.log' }] },
 *   { workDir: '/tmp/eval', name: 'web-1' },
 * );
 * await host.stop();
 * ```
 */
export async function buildSshHost(
  spec: SshHostSpec,
  context: { readonly workDir: string; readonly name: string },
): Promise<SshHost> {
  if (process.getuid?.() !== 0) {
    throw EvalErrors.AKM_EVAL_ROOT_REQUIRED({
      kind: 'ssh-host',
      why: 'namespaces, mounts and an sshd that logs in as root',
    });
  }
  const hostname = spec.hostname ?? context.name;
  const dir = path.join(context.workDir, `ssh-host-${context.name}`);
  const stageDir = path.join(dir, 'stage');
  mkdirSync(stageDir, { recursive: true, mode: 0o700 });
  const cleanups: (() => Promise<void>)[] = [
    () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  ];
  const cleanUp = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    cleanups.length = 0;
    if (errors.length > 0) throw errors[0];
  };
  try {
    const script: string[] = [];
    const environment: Record<string, string> = {};
    for (const fault of spec.faults) {
      const module = HOST_FAULTS.get(fault.kind);
      if (module === undefined)
        throw EvalErrors.AKM_EVAL_STORY_INVALID({
          problem: 'unknown fault kind',
          value: fault.kind,
        });
      const setup = await module.prepare(fault, { hostname, stageDir });
      script.push(`# fault: ${fault.kind}`, ...setup.script);
      Object.assign(environment, setup.environment ?? {});
    }
    const namespaces = await startHostNamespaces(hostname, script, environment);
    cleanups.push(() => namespaces.stop());

    const enter = path.join(dir, 'enter');
    writeFileSync(enter, entryScript(hostname, namespaces.initPid, environment));
    chmodSync(enter, 0o755);
    const sshd = await startHostSshd(dir, enter);
    cleanups.push(() => sshd.stop());

    return {
      hostname,
      sshPort: sshd.port,
      namespaces,
      sshd,
      toolInstances: [
        {
          type: 'ssh',
          name: context.name,
          settings: {
            hosts: [
              {
                name: hostname,
                address: '127.0.0.1',
                port: sshd.port,
                user: 'root',
                allow_root: true,
                host_key_fingerprint: sshd.hostKeyFingerprint,
                ...(spec.allow_write === true ? { allow_write: true } : {}),
              },
            ],
            ...(spec.network_allowlist === undefined
              ? {}
              : { network_allowlist: [...spec.network_allowlist] }),
          },
          credentials: { private_key: sshd.clientPrivateKey },
        },
      ],
      facts: {
        [`${context.name}_hostname`]: hostname,
        [`${context.name}_ssh_port`]: String(sshd.port),
      },
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

/**
 * The sshd ForceCommand: the client's command (or a login shell) run by /bin/sh inside the
 * host's namespaces, with the host's environment (e.g. its skewed clock).
 */
function entryScript(
  hostname: string,
  initPid: number,
  environment: Readonly<Record<string, string>>,
): string {
  const assignments = Object.entries(environment).map(
    ([name, value]) => `${name}=${shellQuote(value)}`,
  );
  return [
    '#!/bin/sh',
    `# Every SSH session to ${hostname} runs inside its namespaces (init PID ${initPid}).`,
    'if [ -z "${SSH_ORIGINAL_COMMAND:-}" ]; then set -- /bin/sh -l; else set -- /bin/sh -c "$SSH_ORIGINAL_COMMAND"; fi',
    `exec env ${assignments.join(' ')} nsenter --target ${initPid} --mount --uts --ipc --net --pid -- "$@"`,
    '',
  ].join('\n');
}

/**
 * The `ssh-host` environment kind: see {@link buildSshHost}.
 *
 * @example
 * ```ts
 * createEnvironmentRegistry([sshHostEnvironment]);
 * ```
 */
export const sshHostEnvironment: EnvironmentKind<SshHostSpec> = {
  kind: 'ssh-host',
  specSchema: sshHostSpecSchema,
  build: buildSshHost,
};
