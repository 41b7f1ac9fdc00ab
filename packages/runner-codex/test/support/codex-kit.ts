import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '@akmatori/core';
import {
  prepareRunWorkspace,
  type AgentContainment,
  renderAgentsMd,
  type CodexConfigOptions,
  type RunWorkspace,
} from '../../src/index.js';
import type { ScriptedModel } from '../../src/testing/index.js';
import { pollUntil } from '@akmatori/test-support/peers/process';

/** The model name tests use: unknown to Codex, so it offers MCP tools directly (no tool_search). */
export const SCRIPTED_MODEL = 'scripted-model';

/** Events of a run read in the background, for tests that act while it runs. */
export interface EventRecording {
  /** Events received so far. */
  readonly events: RunEvent[];
  /** Resolves with every event once the stream ends. */
  readonly done: Promise<RunEvent[]>;
  /** Waits until an event of `type` arrived and returns it. */
  waitFor<T extends RunEvent['type']>(type: T): Promise<Extract<RunEvent, { type: T }>>;
}

/** Reads `events` in the background. */
export function recordEvents(events: AsyncIterable<RunEvent>): EventRecording {
  const seen: RunEvent[] = [];
  const done = (async () => {
    for await (const event of events) seen.push(event);
    return seen;
  })();
  return {
    events: seen,
    done,
    waitFor: async (type) =>
      pollUntil(`a ${type} event (got ${seen.map((event) => event.type).join(', ')})`, () =>
        seen.find((event) => event.type === type),
      ) as never,
  };
}

/** Config that points Codex straight at a scripted model (no gateway): no retries, no required MCP server. */
export function scriptedModelConfig(
  model: ScriptedModel,
  more: Partial<CodexConfigOptions> = {},
): CodexConfigOptions {
  return {
    gatewayUrl: model.baseUrl.replace(/\/v1$/, ''),
    model: SCRIPTED_MODEL,
    requestMaxRetries: 0,
    streamMaxRetries: 0,
    requireGatewayTools: false,
    ...more,
  };
}

/** The agent sandbox for a Codex that talks to `model` directly (its one reachable address). */
export function sandboxFor(model: ScriptedModel): AgentContainment {
  return { kind: 'bwrap', gatewayUrl: model.baseUrl.replace(/\/v1$/, '') };
}

/** A run directory under `dir` whose Codex talks to `model` directly. */
export async function scriptedWorkspace(
  model: ScriptedModel,
  dir: string,
  more: Partial<CodexConfigOptions> = {},
): Promise<RunWorkspace> {
  return prepareRunWorkspace({
    runDir: path.join(dir, 'run'),
    config: scriptedModelConfig(model, more),
    agentsMd: renderAgentsMd({ context: 'Alert: DiskFull on web-1 (severity critical).' }),
  });
}

/** The environment of a running process, from /proc. */
export function processEnvironment(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/** Whether some process's command line contains `marker`. */
export function processWithMarkerExists(marker: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return true;
    } catch {
      // the process exited while we looked
    }
  }
  return false;
}
