import { describe, expect, it } from 'vitest';
import { isLlmConfigured, llmDraft, llmUpdate, priceRows, priceTable } from './settings-bodies';

describe('llmUpdate', () => {
  const draft = {
    ...llmDraft(undefined),
    model: ' gpt-5.5 ',
    reasoningEffort: 'medium',
  };

  it('sends a typed key, and nothing else of it', () => {
    expect(llmUpdate({ ...draft, apiKey: ' sk-new ' }, true)).toEqual({
      provider: 'openai',
      model: 'gpt-5.5',
      reasoning_effort: 'medium',
      api_key: 'sk-new',
    });
  });

  it('keeps the stored key when the key field is left blank', () => {
    expect(llmUpdate(draft, true).api_key).toEqual({ set: true });
  });

  it('leaves the key out when none is stored and none was typed, so the API asks for one', () => {
    expect(llmUpdate(draft, false)).not.toHaveProperty('api_key');
  });

  it("sends an openai-compatible provider's base URL, and no blank one", () => {
    expect(
      llmUpdate({ ...draft, provider: 'openai-compatible', baseUrl: ' http://llm:8000/v1 ' }, true),
    ).toMatchObject({ base_url: 'http://llm:8000/v1' });
    expect(llmUpdate({ ...draft, baseUrl: '  ' }, true)).not.toHaveProperty('base_url');
  });

  it('starts the form from the stored settings with the key field blank', () => {
    expect(
      llmDraft({
        provider: 'openai-compatible',
        base_url: 'http://llm/v1',
        model: 'm',
        reasoning_effort: null,
        api_key: { set: true },
      }),
    ).toEqual({
      provider: 'openai-compatible',
      baseUrl: 'http://llm/v1',
      model: 'm',
      reasoningEffort: null,
      apiKey: '',
    });
  });
});

describe('price rows', () => {
  it('round-trip the price table, by model name', () => {
    const table = {
      'gpt-5': { input_per_million: 1.25, cached_input_per_million: 0.125, output_per_million: 10 },
      'a-model': { input_per_million: 1, cached_input_per_million: 1, output_per_million: 2 },
    };
    const rows = priceRows(table);
    expect(rows.map((row) => row.model)).toEqual(['a-model', 'gpt-5']);
    expect(priceTable(rows)).toEqual({ table });
  });

  it('price cached input like input when it is left blank', () => {
    expect(priceTable([{ model: 'm', input: 2, cachedInput: null, output: 8 }])).toEqual({
      table: { m: { input_per_million: 2, cached_input_per_million: 2, output_per_million: 8 } },
    });
  });

  it('say what is wrong: no name, a name twice, a missing price', () => {
    const row = { model: 'm', input: 1, cachedInput: 1, output: 1 };
    expect(priceTable([{ ...row, model: ' ' }])).toEqual({ problem: 'Row 1 has no model name.' });
    expect(priceTable([row, { ...row, model: ' m ' }])).toEqual({ problem: 'm is listed twice.' });
    expect(priceTable([{ ...row, output: null }])).toEqual({
      problem: 'm needs an input and an output price.',
    });
  });
});

describe('isLlmConfigured', () => {
  const stored = {
    provider: 'openai' as const,
    base_url: 'https://api.openai.com/v1',
    model: 'gpt-5.5',
    reasoning_effort: null,
    api_key: { set: true },
  };
  it('reads a 404 (null) and configured: false as not set up, stored settings as set up', () => {
    expect(isLlmConfigured(null)).toBe(false);
    expect(
      isLlmConfigured({ ...stored, model: '', api_key: null, configured: false } as never),
    ).toBe(false);
    expect(isLlmConfigured(stored)).toBe(true);
    expect(isLlmConfigured({ ...stored, configured: true } as never)).toBe(true);
  });
});
