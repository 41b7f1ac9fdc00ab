import type { SettingsRepository } from '@akmatori/core';
import type { RunUsage } from './run-repository.js';

/** USD per million tokens for one model. */
export interface ModelPrice {
  readonly input_per_million: number;
  readonly cached_input_per_million: number;
  readonly output_per_million: number;
}

/** The price table in settings: model name → price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Settings key of the price table. */
export const PRICE_TABLE_SETTING = 'llm.prices';

/**
 * The cost of a run's tokens under the model's price, or null when the table has no price
 * for it. Cached input is charged at its own rate; reasoning tokens are part of output.
 *
 * @example
 * ```ts
 * runCost({ inputTokens: 1e6, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
 *   { input_per_million: 1.25, cached_input_per_million: 0.125, output_per_million: 10 }); // 1.25
 * ```
 */
export function runCost(usage: RunUsage, price: ModelPrice | undefined): number | null {
  if (price === undefined) return null;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  const cost =
    (uncached * price.input_per_million +
      usage.cachedInputTokens * price.cached_input_per_million +
      usage.outputTokens * price.output_per_million) /
    1_000_000;
  return Math.round(cost * 1e6) / 1e6;
}

/** Reads the price table (empty when none is set). */
export async function priceTable(settings: SettingsRepository): Promise<PriceTable> {
  return (await settings.get<PriceTable>(PRICE_TABLE_SETTING)) ?? {};
}
