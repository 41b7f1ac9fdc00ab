import type { SettingsRepository } from '@akmatori/host';
import { tokenCost, type ModelPrice, type PriceTable } from '@akmatori/gateway';
import type { RunUsage } from './run-repository.js';

export type { ModelPrice, PriceTable } from '@akmatori/gateway';

/** Settings key of the price table (the gateway reads it too, to price budgets). */
export const PRICE_TABLE_SETTING = 'llm.prices';

/**
 * The cost of a run's tokens under the model's price, or null when the table has no price
 * for it: the same computation the gateway's budgets use ({@link tokenCost}).
 *
 * @example
 * ```ts
 * runCost({ inputTokens: 1e6, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
 *   { input_per_million: 1.25, cached_input_per_million: 0.125, output_per_million: 10 }); // 1.25
 * ```
 */
export function runCost(usage: RunUsage, price: ModelPrice | undefined): number | null {
  return tokenCost(usage, price);
}

/** Reads the price table (empty when none is set). */
export async function priceTable(settings: SettingsRepository): Promise<PriceTable> {
  return (await settings.get<PriceTable>(PRICE_TABLE_SETTING)) ?? {};
}
