/**
 * How the Evals page writes numbers.
 *
 * @example
 * ```ts
 * passRate(0.75); // '75%'
 * usd(0.0213); // '$0.021'
 * usd(null); // 'no price'
 * shortVersion('sha256:5f0c9a1b2c3d…'); // '5f0c9a1b2c3d'
 * ```
 */
export const passRate = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

/** Dollars with three decimals (five under a cent); `no price` when unknown. */
export const usd = (cost: number | null): string =>
  cost === null ? 'no price' : `$${cost.toFixed(cost !== 0 && cost < 0.01 ? 5 : 3)}`;

/** Tokens with thousands separators. */
export const tokens = (count: number): string => count.toLocaleString('en-US');

/** Seconds (or minutes) from milliseconds. */
export const duration = (ms: number): string =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;

/** The first 12 hex digits of a skill version (`sha256:<hex>`). */
export const shortVersion = (version: string): string =>
  version.replace(/^sha256:/, '').slice(0, 12);

/** Pass, fail or mixed, as a word for the page. */
export const outcomeLabel = (outcome: 'pass' | 'fail' | 'mixed'): string =>
  outcome === 'pass' ? 'pass' : outcome === 'fail' ? 'fail' : 'some pass';
