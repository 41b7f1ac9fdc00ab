/** USD per million tokens for one model. */
export interface ModelPrice {
  readonly input_per_million: number;
  readonly cached_input_per_million: number;
  readonly output_per_million: number;
}

/** The price table in settings (`llm.prices`): model name → price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The token counts a cost is computed from. */
export interface TokenCounts {
  readonly inputTokens: number;
  /** Part of `inputTokens`, charged at the cached rate. */
  readonly cachedInputTokens: number;
  /** Reasoning tokens included. */
  readonly outputTokens: number;
}

/**
 * The cost in USD of some tokens under a model's price, or null when there is no price.
 * Cached input is charged at its own rate; reasoning tokens are part of output. The gateway
 * prices each model response with it and the app prices each run with it, so budgets and run
 * costs agree.
 *
 * @example
 * ```ts
 * tokenCost({ inputTokens: 1e6, cachedInputTokens: 0, outputTokens: 0 },
 *   { input_per_million: 1.25, cached_input_per_million: 0.125, output_per_million: 10 }); // 1.25
 * ```
 */
export function tokenCost(tokens: TokenCounts, price: ModelPrice | undefined): number | null {
  if (price === undefined) return null;
  const uncached = Math.max(0, tokens.inputTokens - tokens.cachedInputTokens);
  const cost =
    (uncached * price.input_per_million +
      tokens.cachedInputTokens * price.cached_input_per_million +
      tokens.outputTokens * price.output_per_million) /
    1_000_000;
  return Math.round(cost * 1e6) / 1e6;
}

/**
 * The price of the first of `models` the table has (the configured model first, then the one
 * the provider named), or undefined.
 *
 * @example
 * ```ts
 * priceOf(prices, 'gpt-5', 'gpt-5-2025-08-07');
 * ```
 */
export function priceOf(
  table: PriceTable,
  ...models: readonly (string | null | undefined)[]
): ModelPrice | undefined {
  for (const model of models)
    if (typeof model === 'string' && Object.hasOwn(table, model)) return table[model];
  return undefined;
}
