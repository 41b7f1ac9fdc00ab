import { Tokens } from '@akmatori/host';
import type { DependencyContainer } from 'tsyringe';
import { AppTokens, resolve } from '../app-tokens.js';
import { RunRecordingStore } from './run-recording-store.js';
import { RunReplays } from './run-replays.js';

/**
 * The replays of the app in container `c`: recordings from its database, the model from its
 * LLM settings, the agent contained as the embedded worker's (`AKMATORI_AGENT_SANDBOX`).
 *
 * @example
 * ```ts
 * await api.register(runReplayRoutes, runReplaysOf(c));
 * ```
 */
export function runReplaysOf(c: DependencyContainer): {
  replays: RunReplays;
  recordings: RunRecordingStore;
} {
  const config = resolve(c, Tokens.Config);
  const llm = resolve(c, AppTokens.LlmSettings);
  const recordings = new RunRecordingStore({
    knex: resolve(c, Tokens.Database).knex,
    secretBox: resolve(c, Tokens.SecretBox),
    clock: resolve(c, Tokens.Clock),
  });
  const replays = new RunReplays({
    runs: resolve(c, AppTokens.RunRepository),
    recordings,
    skills: resolve(c, AppTokens.SkillStore),
    provider: async () => {
      const stored = await llm.withKey();
      if (stored === undefined) return undefined;
      return {
        provider: stored.settings.provider,
        baseUrl: stored.settings.base_url,
        apiKey: stored.apiKey,
        model: stored.settings.model,
        ...(stored.settings.reasoning_effort === null
          ? {}
          : { reasoningEffort: stored.settings.reasoning_effort }),
      };
    },
    sandbox: config.agentSandbox,
    deadlineMs: config.runDeadlineSeconds * 1000,
    log: resolve(c, Tokens.Logger).child({ component: 'replay' }),
  });
  return { replays, recordings };
}
