import { describe, expect, it } from 'vitest';
import { tokenCost } from './model-prices.js';
import {
  budgetBreach,
  defaultSpendBudgets,
  describeBreach,
  utcDayStart,
  type SpendBudgets,
  type SpendSnapshot,
} from './spend-budgets.js';

const none = { tokens: 0, costUsd: 0 };
const spent = (overrides: Partial<SpendSnapshot>): SpendSnapshot => ({
  run: none,
  incident: none,
  sourceDay: none,
  day: none,
  ...overrides,
});
const unlimited = { maxTokens: null, maxCostUsd: null };
const budgets = (overrides: Partial<SpendBudgets>): SpendBudgets => ({
  perRun: unlimited,
  perIncident: unlimited,
  perSourcePerDay: unlimited,
  perDay: unlimited,
  ...overrides,
});

describe('spend budgets', () => {
  it('lets a fresh run call the model under the default budgets', () => {
    expect(budgetBreach(defaultSpendBudgets, spent({}))).toBeUndefined();
  });

  it('stops a run once its tokens reach the per-run limit', () => {
    const limits = budgets({ perRun: { maxTokens: 1000, maxCostUsd: null } });
    expect(budgetBreach(limits, spent({ run: { tokens: 999, costUsd: 0 } }))).toBeUndefined();
    expect(budgetBreach(limits, spent({ run: { tokens: 1000, costUsd: 0 } }))).toEqual({
      budget: 'per-run',
      measure: 'tokens',
      limit: 1000,
      spent: 1000,
    });
  });

  it("stops every run of an incident once the incident's cost reaches its limit", () => {
    const limits = budgets({ perIncident: { maxTokens: null, maxCostUsd: 2 } });
    expect(budgetBreach(limits, spent({ incident: { tokens: 5, costUsd: 2.5 } }))).toMatchObject({
      budget: 'per-incident',
      measure: 'cost',
    });
  });

  it("applies the source's daily budget only to incidents that have a source", () => {
    const limits = budgets({ perSourcePerDay: { maxTokens: 10, maxCostUsd: null } });
    const over = { tokens: 11, costUsd: 0 };
    expect(budgetBreach(limits, spent({ sourceDay: over }))).toMatchObject({
      budget: 'per-source-per-day',
    });
    expect(budgetBreach(limits, spent({ sourceDay: undefined }))).toBeUndefined();
  });

  it('stops everything once the daily total is used up, and null means unlimited', () => {
    const day = { tokens: 10_000_000_000, costUsd: 1e6 };
    expect(budgetBreach(budgets({}), spent({ day }))).toBeUndefined();
    expect(
      budgetBreach(budgets({ perDay: { maxTokens: null, maxCostUsd: 100 } }), spent({ day })),
    ).toMatchObject({ budget: 'per-day', measure: 'cost', limit: 100 });
  });

  it('reports the narrowest budget first', () => {
    const tight = { maxTokens: 1, maxCostUsd: null };
    const all = budgets({
      perRun: tight,
      perIncident: tight,
      perSourcePerDay: tight,
      perDay: tight,
    });
    const over = { tokens: 2, costUsd: 0 };
    expect(
      budgetBreach(all, { run: over, incident: over, sourceDay: over, day: over }),
    ).toMatchObject({ budget: 'per-run' });
  });

  it('names the budget, its limit and the spend in words', () => {
    expect(describeBreach({ budget: 'per-run', measure: 'tokens', limit: 1000, spent: 1234 })).toBe(
      'the per-run token budget (per-run) of 1,000 tokens is used up: 1,234 tokens spent',
    );
    expect(describeBreach({ budget: 'per-day', measure: 'cost', limit: 150, spent: 150.5 })).toBe(
      'the daily cost budget (per-day) of $150.00 is used up: $150.50 spent',
    );
  });

  it('counts days from midnight UTC', () => {
    expect(utcDayStart(new Date('2026-12-04T23:59:59+02:00')).toISOString()).toBe(
      '2026-12-04T00:00:00.000Z',
    );
  });

  it('prices cached input at its own rate and unpriced models as null', () => {
    const price = { input_per_million: 2, cached_input_per_million: 0.5, output_per_million: 8 };
    expect(
      tokenCost(
        { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 100_000 },
        price,
      ),
    ).toBe(1 + 0.25 + 0.8);
    expect(tokenCost({ inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 }, undefined)).toBe(
      null,
    );
  });
});
