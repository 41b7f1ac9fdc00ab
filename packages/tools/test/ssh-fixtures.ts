import type { ToolResult } from '@akmatori/core';
import {
  callTool,
  toolOf,
  type TestToolContext,
  type ToolContextOptions,
} from '@akmatori/core/testing';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { RunningSshd } from '@akmatori/test-support/peers/sshd';
import type { SshCredentials, SshHost } from '../src/ssh/ssh-credentials.js';
import type { HostRun } from '../src/ssh/ssh-exec.js';
import { sshTools } from '../src/ssh/ssh-tools.js';

/** A host entry for `server`, pinned to its key, logging in as the test user. */
export function hostOn(server: RunningSshd, name: string, extra: Partial<SshHost> = {}): SshHost {
  return {
    name,
    address: server.address,
    port: server.port,
    user: server.user,
    ...(server.userIsRoot ? { allow_root: true } : {}),
    host_key_fingerprint: server.hostKeyFingerprint,
    ...extra,
  };
}

/** Settings of an instance with `hosts`, logging in with `server`'s client key. */
export function credentialsFor(server: RunningSshd, hosts: SshHost[]): SshCredentials {
  return { hosts, private_key: server.clientPrivateKey };
}

/** The tool called `name` of `provider` (default {@link sshTools}). */
export function tool(name: string, provider = sshTools): (typeof sshTools.tools)[number] {
  return toolOf(provider, name);
}

/** Calls a tool of {@link sshTools} as the gateway would, and returns its result and context. */
export async function call(
  toolName: string,
  credentials: SshCredentials,
  args: Record<string, unknown>,
  options: ToolContextOptions = {},
): Promise<{ result: ToolResult; context: TestToolContext<SshCredentials> }> {
  return callTool(sshTools, toolName, credentials, args, options);
}

/** The per-host results of a command tool. */
export function runsOf(result: ToolResult): HostRun[] {
  return (result.structured as { results: HostRun[] }).results;
}

/** The one host result of a command tool; fails when there are more or none. */
export function onlyRun(result: ToolResult): HostRun {
  const runs = runsOf(result);
  expect(runs, `expected one host result, got ${result.text}`).toHaveLength(1);
  return runs[0]!;
}

const scratchFiles: string[] = [];

/** A path under /tmp that a write command may create (the sshd runs on this machine). */
export function scratchFile(): string {
  const file = `/tmp/akmatori-ssh-test-${randomUUID()}`;
  scratchFiles.push(file);
  return file;
}

/** Deletes the files {@link scratchFile} handed out. */
export function removeScratchFiles(): void {
  for (const file of scratchFiles.splice(0)) rmSync(file, { force: true });
}

/** A `sleep` whose command line is unique, so the test can find its process. */
export function uniqueSleep(): string {
  return `sleep 20.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** Pids of local processes whose command line is `commandLine` (the sshd runs here). */
export function processesRunning(commandLine: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (argv === commandLine) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Kills what a test left running on the host (a root session cannot be signalled over SSH). */
export function killLeftovers(commandLine: string): void {
  for (const pid of processesRunning(commandLine)) process.kill(pid, 'SIGKILL');
}
