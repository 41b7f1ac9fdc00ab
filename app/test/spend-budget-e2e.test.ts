import {
  message,
  shell,
  startScriptedModel,
  usage,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// "A run that exceeds its budget is stopped with the reason stored": `akmatori serve` with its
// embedded worker and the real codex binary, the gateway's model proxy in front of a scripted
// model. The first answer spends more than the run's budget; Codex's next model call is
// refused by the proxy and the run ends failed with the budget named in its error.

interface RunView {
  id: string;
  status: string;
  error: string | null;
  usage: Record<string, number>;
  cost_usd: number | null;
}

let model: ScriptedModel;
let akmatori: SpawnedAkmatori;

beforeAll(async () => {
  model = await startScriptedModel([
    [usage({ input_tokens: 3000, output_tokens: 200 }), shell('echo checking the disk')],
    [message('## Summary\nThis answer must never be reached: the budget is used up.')],
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  await akmatori.useModel(model);
  await akmatori.api('PUT', '/api/settings/prices', {
    'scripted-model': {
      input_per_million: 1,
      cached_input_per_million: 0.1,
      output_per_million: 10,
    },
  });
  await akmatori.api('PUT', '/api/settings/budgets', {
    per_run: { max_tokens: 1000, max_cost_usd: null },
  });
}, 120_000);

afterAll(async () => {
  await akmatori?.stop();
  await model?.close();
});

describe('spend budgets on the whole system', () => {
  it('a run that exceeds its budget is stopped with the reason stored', async () => {
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { task: 'The disk of db-1 is full' },
      201,
    );
    const incident = await pollUntil(
      'the incident to end',
      async () => {
        const view = await akmatori.api<{ status: string; summary: string | null }>(
          'GET',
          `/api/incidents/${uuid}`,
        );
        return view.status === 'failed' || view.status === 'completed' ? view : undefined;
      },
      { timeoutMs: 90_000 },
    );
    const { data: runs } = await akmatori.api<{ data: RunView[] }>(
      'GET',
      `/api/incidents/${uuid}/runs`,
    );
    expect(incident.status, akmatori.output().slice(-4000)).toBe('failed');
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      'Spend budget exceeded, the model proxy refuses further model calls: the per-run token ' +
        'budget (per-run) of 1,000 tokens is used up: 3,200 tokens spent. An admin can raise it ' +
        'with PUT /api/settings/budgets (AKM_GATEWAY_BUDGET_EXCEEDED)',
    );
    expect(incident.summary).toBe(`Investigation failed: ${run.error}`);
    // The refused call never reached the provider, and Codex did not retry it.
    expect(model.requests).toHaveLength(1);
    const refusals = akmatori.output().match(/spend budget exceeded: model call refused/g) ?? [];
    expect(refusals).toHaveLength(1);
    // Codex reports no usage for the failed turn: the run carries what the gateway counted.
    expect(run.usage).toMatchObject({ input_tokens: 3000, output_tokens: 200 });
    expect(run.cost_usd).toBe(0.005);
  }, 120_000);
});
