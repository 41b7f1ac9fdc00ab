import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath } from '@akmatori/test-support/app/server-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildScenarioEnvironments,
  builtinEnvironmentKinds,
  configureModel,
  createEnvironmentRegistry,
  loadScenario,
  runScenario,
  startEvalServer,
  stopEnvironments,
  workerConnected,
  type BuiltEnvironment,
  type EvalRunResult,
  type EvalServer,
  type Scenario,
} from '../src/index.js';
import { createLogger } from '@akmatori/core';
import { holdSharedZabbix } from '../src/environments/zabbix/shared-zabbix.js';
import { replayFromRecording } from '../src/replay/replay-check.js';
import { startTrajectoryModel, type TrajectoryModel } from './support/trajectory-model.js';

// Every scenario of evals/scenarios, through the whole system as `akmatori eval run` drives it
// (one real `akmatori serve`, the embedded worker running the real codex binary, the gateway
// calling the real tools on the built environments), with the scripted model playing the
// scenario's trajectories: the correct one must pass every check, proving the environment
// really breaks the way the scenario says; the wrong one must fail at least one.

const scenariosDir = path.resolve(import.meta.dirname, '../../../evals/scenarios');
const scenarioIds = readdirSync(scenariosDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const registry = createEnvironmentRegistry(builtinEnvironmentKinds);
const log = createLogger({ level: 'warn', name: 'eval-test' });

let model: TrajectoryModel;
let server: EvalServer;
// One Zabbix for every zabbix scenario of the file (it takes ~15 s to start), started lazily.
let releaseZabbix: (() => Promise<void>) | undefined;

beforeAll(async () => {
  releaseZabbix = holdSharedZabbix();
  model = await startTrajectoryModel();
  server = await startEvalServer({ cliPath, env: { AKMATORI_WORKER_CAPACITY: '1' } });
  await configureModel(server.api, {
    baseUrl: model.baseUrl,
    model: 'scripted-model',
    apiKey: 'sk-scripted-provider-key',
  });
  await workerConnected(server.api);
}, 120_000);

afterAll(async () => {
  await releaseZabbix?.();
  await server?.stop();
  await model?.close();
});

async function play(
  scenario: Scenario,
  environments: readonly BuiltEnvironment[],
  trajectory: 'correct' | 'wrong',
): Promise<EvalRunResult> {
  const file = scenario.trajectories[trajectory];
  expect(file, `${scenario.id} has no trajectories/${trajectory}.json`).toBeDefined();
  const { result } = await runScenario(scenario, {
    api: server.api,
    registry,
    attempt: 1,
    log,
    environments,
    beforeAlerts: () => model.play(file!),
  });
  return result;
}

const explain = (result: EvalRunResult, server: EvalServer): string =>
  JSON.stringify(
    {
      status: result.status,
      error: result.error,
      checks: result.checks,
      toolCalls: result.toolCalls,
      rootCause: result.report?.rootCause,
    },
    null,
    2,
  ) + `\nAkmatori's log (tail):\n${server.output().slice(-3000)}`;

// One build of each scenario's environments serves both trajectories: the wrong one first (its
// writes are denied, so it changes nothing), then the correct one on the same broken environment.
describe.each(scenarioIds)('scenario %s', (id) => {
  let scenario: Scenario;
  let environments: BuiltEnvironment[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), `akm-eval-${id}-`));

  beforeAll(async () => {
    scenario = loadScenario(path.join(scenariosDir, id), { registry });
    environments = await buildScenarioEnvironments(scenario, registry, workDir, log);
  }, 180_000);

  afterAll(async () => {
    await stopEnvironments(environments, log);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('the wrong trajectory fails at least one check', async () => {
    const result = await play(scenario, environments, 'wrong');
    expect(result.status, explain(result, server)).not.toBe('harness_error');
    expect(
      result.checks.some((check) => !check.passed),
      explain(result, server),
    ).toBe(true);
    expect(result.passed).toBe(false);
  }, 300_000);

  it('the correct trajectory passes every check, and replays from its recording exactly', async () => {
    const result = await play(scenario, environments, 'correct');
    expect(result.checks.length, explain(result, server)).toBeGreaterThan(0);
    expect(
      result.checks.filter((check) => !check.passed),
      explain(result, server),
    ).toEqual([]);
    expect(result.passed).toBe(true);

    // The run was recorded: replayed with model and tools answered from the recording, it
    // makes the same tool calls and the same report.
    const replay = await replayFromRecording(server.api, result.runId!);
    expect(replay.reproduced, JSON.stringify(replay.outcome, null, 2)).toBe(true);
  }, 300_000);
});
