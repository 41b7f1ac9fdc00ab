import { defaultSpendBudgets } from '@akmatori/gateway';
import { describe, expect, it } from 'vitest';
import { defaultBudgets, resolveBudgets, spendBudgetsOf } from './budget-settings.js';

describe('budget settings', () => {
  it('resolves nothing stored to the defaults, the same the gateway uses', () => {
    expect(resolveBudgets(undefined)).toEqual(defaultBudgets);
    expect(spendBudgetsOf(resolveBudgets(undefined))).toEqual(defaultSpendBudgets);
  });

  it('keeps null as unlimited and fills missing or malformed fields with their defaults', () => {
    const budgets = resolveBudgets({
      per_run: { max_tokens: null, max_cost_usd: -3 },
      per_day: 'lots',
      max_queued_investigations_per_source: null,
    });
    expect(budgets.per_run).toEqual({ max_tokens: null, max_cost_usd: 5 });
    expect(budgets.per_day).toEqual(defaultBudgets.per_day);
    expect(budgets.max_queued_investigations_per_source).toBeNull();
    expect(spendBudgetsOf(budgets).perRun).toEqual({ maxTokens: null, maxCostUsd: 5 });
  });
});
