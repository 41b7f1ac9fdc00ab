import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult, EvalScenarioResult, EvalTotals, EvalUsage } from '@akmatori/evals';
import { storeEvalRun } from '../src/evals/store-eval-run.js';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// Runs stored through storeEvalRun (what `akmatori eval run` calls) are read back through the
// API on the app's real (embedded PostgreSQL) database: scorecards per model and per skill
// version, a run's detail, and a skill's versions side by side after an edit to one of its files.

let host: TestHost;
let token: string;
let skills: string;
const runIds: string[] = [];

/** A finished eval run as `akmatori eval run` produces it (EvalResult of @akmatori/evals). */
function evalResult(
  model: string,
  endpoint: string,
  startedAt: string,
  outcomes: Record<string, boolean>,
  skills: readonly string[] = ['disk-filling-up'],
): EvalResult {
  const scenarios: EvalScenarioResult[] = Object.entries(outcomes).map(([id, passed]) => {
    const usage: EvalUsage = {
      inputTokens: 8000,
      cachedInputTokens: 0,
      outputTokens: 1000,
      reasoningTokens: 0,
      totalTokens: 9000,
      costUsd: 0.02,
      toolCalls: 4,
    };
    const totals: EvalTotals = {
      runs: 1,
      passed: passed ? 1 : 0,
      passRate: passed ? 1 : 0,
      tokens: 9000,
      costUsd: 0.02,
      wallTimeMs: 30_000,
    };
    return {
      scenarioId: id,
      title: `Scenario ${id}`,
      skills,
      toolTypes: ['ssh'],
      totals,
      runs: [
        {
          attempt: 1,
          passed,
          checks: [
            {
              id: 'root_cause',
              title: 'The report names the root cause',
              passed,
              detail: passed ? 'named the full /var' : 'blamed <b>DNS</b>',
            },
            { id: 'budget_tokens', title: 'Tokens within budget', passed: true, detail: '9000' },
          ],
          incidentUuid: null,
          runId: null,
          status: 'completed',
          error: null,
          report: null,
          toolCalls: [],
          approvals: [],
          timeline: [],
          usage,
          wallTimeMs: 30_000,
          judge: null,
        },
      ],
    };
  });
  return {
    schemaVersion: 1,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    model,
    endpoint,
    akmatoriVersion: '0.1.0',
    repeat: 1,
    skills: skills.map((name) => ({ name, sha256: '0'.repeat(64) })),
    scenarios,
    totals: { runs: 0, passed: 0, passRate: 0, tokens: 0, costUsd: null, wallTimeMs: 60_000 },
    judge: null,
  };
}

const get = async <T>(url: string, expected = 200): Promise<T> => {
  const response = await host.inject({ method: 'GET', url, headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(expected);
  return response.json<T>();
};

beforeAll(async () => {
  host = await startApp();
  token = await setUpAdmin(host);
  skills = await mkdtemp(path.join(tmpdir(), 'akm-eval-skills-'));
  const skill = path.join(skills, 'disk-filling-up');
  await mkdir(path.join(skill, 'references'), { recursive: true });
  await writeFile(path.join(skill, 'SKILL.md'), '---\nname: disk-filling-up\n---\nRun df.\n');
  await writeFile(path.join(skill, 'references', 'hints.md'), 'Look at /var/log.\n');
  const directories = { 'disk-filling-up': skill };
  runIds.push(
    await storeEvalRun(
      host.repositories.evalScorecards,
      evalResult(
        'model-a',
        'https://user:sk-secret@llm.example:8443/v1?key=sk-secret',
        '2026-12-01T10:00:00Z',
        {
          'ssh-var-full': true,
          'ssh-inodes-full': true,
        },
      ),
      { skillDirectories: directories },
    ),
  );
  // The skill's reference file is edited: a new version, which now fails one scenario.
  await writeFile(path.join(skill, 'references', 'hints.md'), 'Look at /tmp only.\n');
  runIds.push(
    await storeEvalRun(
      host.repositories.evalScorecards,
      evalResult('model-a', 'http://127.0.0.1:9000/v1', '2026-12-02T10:00:00Z', {
        'ssh-var-full': true,
        'ssh-inodes-full': false,
      }),
      { skillDirectories: directories },
    ),
  );
});

afterAll(async () => {
  await host?.close();
  await rm(skills, { recursive: true, force: true });
});

describe('eval scorecards API', () => {
  it('shows the scorecard per model and per skill version', async () => {
    const body = await get<{
      models: { model: string; runs: number; results: number; pass_rate: number }[];
      skills: { skill: string; version: string; passed: number; results: number }[];
    }>('/api/evals/scorecards');
    expect(body.models).toEqual([
      expect.objectContaining({ model: 'model-a', runs: 2, results: 4, pass_rate: 0.75 }),
    ]);
    expect(body.skills).toHaveLength(2);
    expect(body.skills.map((s) => [s.skill, s.passed, s.results])).toEqual([
      ['disk-filling-up', 1, 2],
      ['disk-filling-up', 2, 2],
    ]);
    expect(body.skills[0]?.version).not.toBe(body.skills[1]?.version);
  });

  it("shows a run's scenario checks and keeps only the endpoint's host", async () => {
    const run = await get<{
      endpoint_host: string;
      attempts: { scenario_id: string; checks: { name: string; detail: string }[] }[];
    }>(`/api/evals/runs/${runIds[0]}`);
    expect(run.endpoint_host).toBe('llm.example:8443');
    expect(JSON.stringify(run)).not.toContain('sk-secret');
    expect(run.attempts.map((r) => r.scenario_id)).toEqual(['ssh-var-full', 'ssh-inodes-full']);
    const second = await get<{ attempts: { checks: { detail: string }[] }[] }>(
      `/api/evals/runs/${runIds[1]}`,
    );
    expect(second.attempts[1]?.checks[0]?.detail).toBe('blamed <b>DNS</b>');
    await get('/api/evals/runs/00000000-0000-4000-8000-000000000000', 404);
  });

  it('lists a skill version next to the one before, with the scenario that went from pass to fail', async () => {
    const body = await get<{
      model: string;
      versions: { version: string; changes: { scenario_id: string; from: string; to: string }[] }[];
    }>('/api/evals/skills/disk-filling-up/versions');
    expect(body.model).toBe('model-a');
    expect(body.versions).toHaveLength(2);
    expect(body.versions[0]?.changes).toEqual([]);
    expect(body.versions[1]?.changes).toEqual([
      { scenario_id: 'ssh-inodes-full', from: 'pass', to: 'fail' },
    ]);
    const runs = await get<{ data: { id: string }[] }>('/api/evals/runs');
    expect(runs.data.map((r) => r.id)).toEqual([runIds[1], runIds[0]]);
  });

  it('refuses to store a run whose skill has no directory', async () => {
    await expect(
      storeEvalRun(
        host.repositories.evalScorecards,
        evalResult('model-a', 'http://127.0.0.1:9000', '2026-12-03T10:00:00Z', { x: true }, [
          'unknown-skill',
        ]),
        { skillDirectories: {} },
      ),
    ).rejects.toMatchObject({ code: 'AKM_NOT_FOUND' });
  });
});
