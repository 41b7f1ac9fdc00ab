import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EvalResult } from '@akmatori/evals';
import { message, startScriptedModel, type ScriptedModel } from '@akmatori/runner-codex/testing';
import { cliPath } from '@akmatori/test-support/app/server-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `akmatori eval run` as a team runs it, against the scripted model standing in for their
// OpenAI-compatible endpoint: it starts its own akmatori serve, builds the scenario's real host,
// runs the investigation, prints the scorecard and writes the JSON and HTML reports. The API key
// goes in through the environment and comes out nowhere.

const KEY = 'sk-eval-key-7c1d0f-must-not-leak';
const scenariosDir = path.resolve(import.meta.dirname, '../../evals/scenarios');
const scenario = 'spine-var-log-full';
const reportDir = mkdtempSync(path.join(tmpdir(), 'akm-eval-cli-'));
let model: ScriptedModel;
let judge: ScriptedModel;

beforeAll(async () => {
  model = await startScriptedModel(
    JSON.parse(
      readFileSync(path.join(scenariosDir, scenario, 'trajectories/correct.json'), 'utf8'),
    ) as { turns: [] },
  );
  judge = await startScriptedModel([
    [
      message(
        '{"score": 0.8, "rationale": "Names /var/log and the debug log with df and du output."}',
      ),
    ],
  ]);
});
afterAll(async () => {
  await model?.close();
  await judge?.close();
  rmSync(reportDir, { recursive: true, force: true });
});

function evalRun(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, 'eval', 'run', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AKMATORI_EVAL_API_KEY: KEY },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('akmatori eval run', () => {
  it('prints the scorecard (with the LLM judge apart) and writes the JSON and HTML reports, never the key', async () => {
    const { code, stdout, stderr } = await evalRun([
      '--scenarios-dir',
      scenariosDir,
      '--scenario',
      scenario,
      '--model',
      'scripted-model',
      '--endpoint',
      model.baseUrl,
      '--report-dir',
      reportDir,
      '--min-pass-rate',
      '1',
      '--judge-model',
      'judge-model',
      '--judge-endpoint',
      judge.baseUrl,
    ]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain(
      `Akmatori eval: model scripted-model at ${new URL(model.baseUrl).origin}`,
    );
    expect(stdout).toMatch(
      new RegExp(`^${scenario}  1/1 passed \\(100 %\\)  \\d+ tokens  n/a  `, 'm'),
    );
    for (const check of [
      'completed',
      'root_cause',
      'evidence',
      'scope',
      'writes',
      'budget_tokens',
      'budget_cost',
      'budget_tool_calls',
    ])
      expect(stdout).toContain(`✓ ${check}:`);
    expect(stdout).toMatch(/^TOTAL {2}1\/1 passed \(100 %\)/m);

    // The judge graded the report, apart from the checks, and saw the report as fenced data.
    expect(stdout).toContain('judge 0.80');
    expect(stdout).toContain(
      'LLM judge (judge-model, apart from the checks): mean 0.80 over 1 run(s)',
    );
    expect(JSON.stringify(judge.requests[0]?.body)).toContain('debug.log');
    expect(judge.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);

    const json = readFileSync(path.join(reportDir, 'eval-result.json'), 'utf8');
    const result = JSON.parse(json) as EvalResult;
    expect(result.scenarios.map((s) => s.scenarioId)).toEqual([scenario]);
    expect(result.scenarios[0]!.runs[0]!.toolCalls.map((call) => call.tool)).toEqual([
      'web1__execute_command',
      'web1__execute_command',
    ]);
    expect(result.skills.map((skill) => skill.name)).toEqual(['disk-filling-up']);
    expect(result.scenarios[0]!.runs[0]!.judge?.score).toBe(0.8);
    expect(result.judge).toEqual({ model: 'judge-model', meanScore: 0.8, judgedRuns: 1 });
    const html = readFileSync(path.join(reportDir, 'eval-report.html'), 'utf8');
    expect(html).toContain('<h2>Runs</h2>');
    expect(html).toContain('tool.completed');
    for (const text of [stdout, stderr, json, html]) expect(text).not.toContain(KEY);
  }, 300_000);

  it('says which environment variable holds the key when it is missing', async () => {
    const child = spawn(process.execPath, [cliPath, 'eval', 'run', '--model', 'm'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('AKMATORI_EVAL_API_KEY is not set');
  });
});
