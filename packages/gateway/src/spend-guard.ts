import type { AkmatoriError, Logger } from '@akmatori/core';
import { GatewayErrors } from './errors.js';
import type { GatewayStore, RunScope } from './gateway-store.js';
import type { ModelUsage } from './llm-provider.js';
import { priceOf, tokenCost, type PriceTable } from './model-prices.js';
import { budgetBreach, describeBreach, utcDayStart } from './spend-budgets.js';

/** Checks a run's budgets before each model call and records each response's priced usage. */
export interface SpendGuard {
  /** Undefined when the call may go ahead; otherwise the error to answer with. */
  admit(): Promise<AkmatoriError | undefined>;
  /** Records a response's usage, priced at the configured model (or the one that answered). */
  record(usage: ModelUsage, configuredModel: string | undefined): Promise<void>;
}

/**
 * The spend guard of one model call of `run`. `admit` reads the budgets, the price table and
 * the spend so far (run, incident, the incident's alert source today, everything today) and
 * refuses with `AKM_GATEWAY_BUDGET_EXCEEDED` once any budget is used up, so the call after
 * the one that crossed a limit is the first refused. A failed lookup refuses too (503):
 * spend is never unbounded because the database was unreachable.
 *
 * @example
 * ```ts
 * const guard = createSpendGuard({ store, run: { runId, incidentId }, log });
 * const refusal = await guard.admit();
 * ```
 */
export function createSpendGuard(options: {
  store: Pick<GatewayStore, 'spendPolicy' | 'modelSpend' | 'recordModelUsage'>;
  run: RunScope;
  log: Logger;
  now?: () => Date;
}): SpendGuard {
  const { store, run, log } = options;
  const now = options.now ?? (() => new Date());
  let prices: PriceTable | undefined;
  return {
    async admit() {
      try {
        const policy = await store.spendPolicy();
        prices = policy.prices;
        const spend = await store.modelSpend(run, utcDayStart(now()));
        const breach = budgetBreach(policy.budgets, spend);
        if (breach === undefined) return undefined;
        log.warn({ ...breach }, 'spend budget exceeded: model call refused');
        return GatewayErrors.AKM_GATEWAY_BUDGET_EXCEEDED({ reason: describeBreach(breach) });
      } catch (error) {
        log.error({ err: error }, 'reading the spend budgets failed: model call refused');
        return GatewayErrors.AKM_GATEWAY_BUDGET_UNAVAILABLE();
      }
    },
    async record(usage, configuredModel) {
      if (prices === undefined) prices = (await store.spendPolicy()).prices;
      const cost = tokenCost(usage, priceOf(prices, configuredModel, usage.model));
      await store.recordModelUsage(run, usage, cost);
    },
  };
}
