import { afterEach, describe, expect, it } from 'vitest';
import { codexEnvironmentNames, runCodex } from '../src/index.js';
import {
  lastFunctionCallOutput,
  message,
  outputText,
  shell,
  startScriptedModel,
  type ScriptedModel,
} from '../src/testing/index.js';
import { makeTempDir, type TempDir } from '@akmatori/test-support/peers/process';
import {
  processEnvironment,
  recordEvents,
  sandboxFor,
  scriptedWorkspace,
} from './support/codex-kit.js';

const RUN_TOKEN = 'run-token-env-test-9876543210';
const CANARIES = {
  AKMATORI_CANARY_SECRET: 'canary-akmatori-4f1d',
  PARENT_ONLY_CANARY: 'canary-parent-77aa',
} as const;

let model: ScriptedModel | undefined;
let dir: TempDir | undefined;

afterEach(async () => {
  for (const name of Object.keys(CANARIES)) delete process.env[name];
  await model?.close();
  dir?.remove();
});

describe('the environment of Codex', () => {
  it('holds only PATH, HOME, LANG, TMPDIR, CODEX_HOME and the run token, none of the worker’s variables', async () => {
    Object.assign(process.env, CANARIES);
    model = await startScriptedModel([[shell('env')], [message('Seen.')]]);
    dir = makeTempDir('runner-codex-env');
    const workspace = await scriptedWorkspace(model, dir.path);

    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Print the environment.',
      runToken: RUN_TOKEN,
    });
    const codexEnv = processEnvironment(run.pid!);
    const events = await recordEvents(run.events).done;

    expect(Object.keys(codexEnv).sort()).toEqual([...codexEnvironmentNames].sort());
    // Inside the sandbox the run directory is at /akmatori/run, whatever its host path.
    expect(codexEnv).toMatchObject({
      HOME: '/akmatori/run',
      TMPDIR: '/akmatori/run/tmp',
      CODEX_HOME: '/akmatori/run/codex-home',
      AKMATORI_RUN_TOKEN: RUN_TOKEN,
    });
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Seen.' });

    const shellEnv = outputText(lastFunctionCallOutput(model.requests));
    expect(shellEnv, 'the shell printed no environment').toContain('HOME=/akmatori/run');
    expect(shellEnv, 'a host path reached the agent').not.toContain(workspace.runDir);
    for (const [name, value] of Object.entries(CANARIES)) {
      expect(shellEnv, `${name} leaked into the agent's shell`).not.toContain(value);
    }
    expect(shellEnv, 'the run token leaked into the agent’s shell').not.toContain(RUN_TOKEN);
  });
});
