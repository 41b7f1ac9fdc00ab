import type { components, paths } from '../api/schema';

/** The LLM settings as the API shows them. */
export type LlmSettings = components['schemas']['LlmSettings'];
/** What `PUT /api/settings/llm` takes. */
export type LlmSettingsUpdate = NonNullable<
  paths['/api/settings/llm']['put']['requestBody']
>['content']['application/json'];

/** The LLM form as the user fills it in: the key field starts blank. */
export interface LlmDraft {
  provider: LlmSettings['provider'];
  baseUrl: string;
  model: string;
  reasoningEffort: string | null;
  apiKey: string;
}

/**
 * Whether an LLM provider is set up. Before setup the API answers 404 (read as null) or, in
 * newer versions, the defaults with `configured: false`.
 *
 * @example
 * ```ts
 * isLlmConfigured(null); // false
 * ```
 */
export function isLlmConfigured(settings: LlmSettings | null | undefined): boolean {
  if (settings === null || settings === undefined) return false;
  return (settings as { configured?: boolean }).configured !== false;
}

/**
 * The form for the settings the API sent; `undefined` (none stored yet) gives OpenAI's defaults.
 *
 * @example
 * ```ts
 * llmDraft(undefined); // { provider: 'openai', baseUrl: '', model: '', … }
 * ```
 */
export function llmDraft(settings: LlmSettings | undefined): LlmDraft {
  return {
    provider: settings?.provider ?? 'openai',
    baseUrl: settings?.base_url ?? '',
    model: settings?.model ?? '',
    reasoningEffort: settings?.reasoning_effort ?? null,
    apiKey: '',
  };
}

/**
 * The body of `PUT /api/settings/llm`. The key is write-only: a typed key replaces it; a blank
 * field keeps the stored one (`{"set": true}`), or is left out when none is stored, so the API
 * says a key is needed.
 *
 * @example
 * ```ts
 * llmUpdate({ ...draft, apiKey: '' }, true).api_key; // { set: true }
 * ```
 */
export function llmUpdate(draft: LlmDraft, keyStored: boolean): LlmSettingsUpdate {
  const baseUrl = draft.baseUrl.trim();
  const key = draft.apiKey.trim();
  return {
    provider: draft.provider,
    model: draft.model.trim(),
    reasoning_effort: (draft.reasoningEffort ?? null) as LlmSettingsUpdate['reasoning_effort'],
    ...(baseUrl === '' ? {} : { base_url: baseUrl }),
    ...(key !== '' ? { api_key: key } : keyStored ? { api_key: { set: true as const } } : {}),
  };
}

/** One model's prices, USD per million tokens. */
export interface ModelPrice {
  input_per_million: number;
  cached_input_per_million: number;
  output_per_million: number;
}

/** A row of the price table as edited. */
export interface PriceRow {
  model: string;
  input: number | null;
  cachedInput: number | null;
  output: number | null;
}

/** The price table as rows, by model name. */
export function priceRows(table: Readonly<Record<string, ModelPrice>>): PriceRow[] {
  return Object.entries(table)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, price]) => ({
      model,
      input: price.input_per_million,
      cachedInput: price.cached_input_per_million,
      output: price.output_per_million,
    }));
}

/**
 * The body of `PUT /api/settings/prices`, or what is wrong with the rows: each needs a model
 * name, once, and its three prices (a blank cached price is the input price).
 *
 * @example
 * ```ts
 * priceTable([{ model: 'gpt-5', input: 1.25, cachedInput: null, output: 10 }]);
 * // { table: { 'gpt-5': { input_per_million: 1.25, cached_input_per_million: 1.25, … } } }
 * ```
 */
export function priceTable(
  rows: readonly PriceRow[],
): { table: Record<string, ModelPrice> } | { problem: string } {
  const table: Record<string, ModelPrice> = {};
  for (const [index, row] of rows.entries()) {
    const model = row.model.trim();
    if (model === '') return { problem: `Row ${index + 1} has no model name.` };
    if (model in table) return { problem: `${model} is listed twice.` };
    if (row.input === null || row.output === null)
      return { problem: `${model} needs an input and an output price.` };
    table[model] = {
      input_per_million: row.input,
      cached_input_per_million: row.cachedInput ?? row.input,
      output_per_million: row.output,
    };
  }
  return { table };
}
