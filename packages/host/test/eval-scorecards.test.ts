import { randomUUID } from 'node:crypto';
import {
  createRepositories,
  type Database,
  type EvalResultRecord,
  type Repositories,
} from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDatabase } from '@akmatori/test-support/databases';

const attempt = (
  scenarioId: string,
  passed: boolean,
  skills: EvalResultRecord['skills'],
  costUsd: number | null = 0.01,
): EvalResultRecord => ({
  scenarioId,
  scenarioTitle: `${scenarioId} title`,
  attempt: 1,
  passed,
  checks: [
    {
      name: 'root_cause',
      title: 'Root cause named',
      passed,
      detail: passed ? 'matched' : 'blamed the network',
    },
    { name: 'budget', title: 'Within budget', passed: true, detail: '1200 of 200000 tokens' },
  ],
  tokens: 1200,
  costUsd,
  toolCalls: 3,
  durationMs: 2500,
  error: null,
  skills,
});

describe.each(backends)('eval scorecards on the %s backend', (backend) => {
  let db: Database;
  let repos: Repositories;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await db.migrate();
    repos = createRepositories(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores a run with its attempts, checks and skill versions and reads it back', async () => {
    const id = randomUUID();
    await repos.evalScorecards.insertRun({
      id,
      model: 'model-a',
      endpointHost: 'llm.example:8443',
      startedAt: new Date('2026-12-01T10:00:00Z'),
      durationMs: 5000,
      results: [
        attempt('disk-full', true, [{ name: 'linux-triage', version: 'v1' }]),
        attempt('oom', false, [{ name: 'linux-triage', version: 'v1' }], null),
      ],
    });
    const found = await repos.evalScorecards.findRun(id);
    expect(found?.run).toEqual({
      id,
      model: 'model-a',
      endpointHost: 'llm.example:8443',
      startedAt: new Date('2026-12-01T10:00:00Z'),
      durationMs: 5000,
      results: 2,
      passed: 1,
      tokens: 2400,
      costUsd: 0.01,
    });
    expect(found?.results.map((r) => [r.scenarioId, r.passed, r.costUsd])).toEqual([
      ['disk-full', true, 0.01],
      ['oom', false, null],
    ]);
    expect(found?.results[1]?.checks[0]).toEqual({
      name: 'root_cause',
      title: 'Root cause named',
      passed: false,
      detail: 'blamed the network',
    });
    expect(found?.results[0]?.skills).toEqual([{ name: 'linux-triage', version: 'v1' }]);
    expect(await repos.evalScorecards.findRun(randomUUID())).toBeUndefined();
  });

  it('sums scorecards per model and per skill version and model', async () => {
    await repos.evalScorecards.insertRun({
      id: randomUUID(),
      model: 'model-a',
      endpointHost: null,
      startedAt: new Date('2026-12-02T10:00:00Z'),
      durationMs: 5000,
      results: [
        attempt('disk-full', true, [{ name: 'linux-triage', version: 'v2' }]),
        attempt('oom', true, [
          { name: 'linux-triage', version: 'v2' },
          { name: 'zabbix-triage', version: 'z1' },
        ]),
      ],
    });
    await repos.evalScorecards.insertRun({
      id: randomUUID(),
      model: 'model-b',
      endpointHost: null,
      startedAt: new Date('2026-12-03T10:00:00Z'),
      durationMs: 5000,
      results: [attempt('disk-full', false, [{ name: 'linux-triage', version: 'v2' }])],
    });
    const { models, skills } = await repos.evalScorecards.scorecards();
    expect(models.map((m) => [m.model, m.runs, m.results, m.passed, m.tokens])).toEqual([
      ['model-a', 2, 4, 3, 4800],
      ['model-b', 1, 1, 0, 1200],
    ]);
    expect(models[0]?.costUsd).toBeCloseTo(0.03);
    expect(skills.map((s) => [s.skill, s.version, s.model, s.results, s.passed])).toEqual([
      ['linux-triage', 'v2', 'model-a', 2, 2],
      ['linux-triage', 'v1', 'model-a', 2, 1],
      ['linux-triage', 'v2', 'model-b', 1, 0],
      ['zabbix-triage', 'z1', 'model-a', 1, 1],
    ]);
    const attempts = await repos.evalScorecards.skillAttempts('linux-triage', 100);
    expect(attempts.map((a) => [a.model, a.version, a.scenarioId, a.passed])).toEqual([
      ['model-a', 'v1', 'disk-full', true],
      ['model-a', 'v1', 'oom', false],
      ['model-a', 'v2', 'disk-full', true],
      ['model-a', 'v2', 'oom', true],
      ['model-b', 'v2', 'disk-full', false],
    ]);
    expect((await repos.evalScorecards.listRuns(2)).map((r) => r.model)).toEqual([
      'model-b',
      'model-a',
    ]);
  });
});
