/** A limit on tokens and on cost; null means unlimited. */
export interface SpendLimit {
  /** Input plus output tokens (cached input and reasoning included). */
  readonly maxTokens: number | null;
  /** USD, priced with the `llm.prices` table; tokens of an unpriced model cost nothing here. */
  readonly maxCostUsd: number | null;
}

/** The spend budgets the model proxy enforces before each model call. */
export interface SpendBudgets {
  /** One run. */
  readonly perRun: SpendLimit;
  /** All runs of one incident: the investigation, its retries and follow-ups. */
  readonly perIncident: SpendLimit;
  /** All runs of the incidents of one alert source, per UTC day. */
  readonly perSourcePerDay: SpendLimit;
  /** Everything, per UTC day. */
  readonly perDay: SpendLimit;
}

/**
 * The budgets that apply when none are set: generous enough for a normal investigation and
 * its follow-ups, tight enough that a runaway loop or an alert storm cannot spend without bound.
 */
export const defaultSpendBudgets: SpendBudgets = Object.freeze({
  perRun: Object.freeze({ maxTokens: 2_000_000, maxCostUsd: 5 }),
  perIncident: Object.freeze({ maxTokens: 6_000_000, maxCostUsd: 15 }),
  perSourcePerDay: Object.freeze({ maxTokens: 20_000_000, maxCostUsd: 50 }),
  perDay: Object.freeze({ maxTokens: 50_000_000, maxCostUsd: 150 }),
});

/** Tokens and cost spent in one scope. */
export interface Spend {
  readonly tokens: number;
  readonly costUsd: number;
}

/** What has been spent in each scope a model call counts against. */
export interface SpendSnapshot {
  readonly run: Spend;
  readonly incident: Spend;
  /** The incident's alert source today (UTC), or undefined when the incident has no source. */
  readonly sourceDay: Spend | undefined;
  readonly day: Spend;
}

/** Which budget a call would break, and by how much. */
export interface BudgetBreach {
  /** `per-run`, `per-incident`, `per-source-per-day` or `per-day`. */
  readonly budget: 'per-run' | 'per-incident' | 'per-source-per-day' | 'per-day';
  readonly measure: 'tokens' | 'cost';
  readonly limit: number;
  readonly spent: number;
}

const scopes = [
  ['per-run', 'perRun', 'run'],
  ['per-incident', 'perIncident', 'incident'],
  ['per-source-per-day', 'perSourcePerDay', 'sourceDay'],
  ['per-day', 'perDay', 'day'],
] as const;

/**
 * The first budget that is used up (spend at or over its limit), narrowest scope first, or
 * undefined when the next model call may go ahead.
 *
 * @example
 * ```ts
 * budgetBreach(defaultSpendBudgets, { run: { tokens: 2_100_000, costUsd: 1 }, ...rest });
 * // { budget: 'per-run', measure: 'tokens', limit: 2000000, spent: 2100000 }
 * ```
 */
export function budgetBreach(
  budgets: SpendBudgets,
  spend: SpendSnapshot,
): BudgetBreach | undefined {
  for (const [budget, limitKey, spendKey] of scopes) {
    const limit = budgets[limitKey];
    const spent = spend[spendKey];
    if (spent === undefined) continue;
    if (limit.maxTokens !== null && spent.tokens >= limit.maxTokens)
      return { budget, measure: 'tokens', limit: limit.maxTokens, spent: spent.tokens };
    if (limit.maxCostUsd !== null && spent.costUsd >= limit.maxCostUsd)
      return { budget, measure: 'cost', limit: limit.maxCostUsd, spent: spent.costUsd };
  }
  return undefined;
}

/** The start of the UTC day `at` falls in: daily budgets count from there. */
export function utcDayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** A human sentence for a breach, as stored in the run's error. */
export function describeBreach(breach: BudgetBreach): string {
  const scope = {
    'per-run': 'per-run',
    'per-incident': 'per-incident',
    'per-source-per-day': "alert source's daily",
    'per-day': 'daily',
  }[breach.budget];
  const amount = (value: number): string =>
    breach.measure === 'cost'
      ? `$${value >= 1 ? value.toFixed(2) : String(Number(value.toFixed(6)))}`
      : `${value.toLocaleString('en-US')} tokens`;
  return `the ${scope} ${breach.measure === 'cost' ? 'cost' : 'token'} budget (${breach.budget}) of ${amount(breach.limit)} is used up: ${amount(breach.spent)} spent`;
}
