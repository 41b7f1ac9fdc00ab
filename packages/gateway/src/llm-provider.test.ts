import { describe, expect, it } from 'vitest';
import { responsesUrl } from './llm-provider.js';

describe('responsesUrl', () => {
  it('appends /responses to the base URL, with or without a trailing slash', () => {
    expect(responsesUrl({ baseUrl: 'https://api.openai.com/v1' }).href).toBe(
      'https://api.openai.com/v1/responses',
    );
    expect(responsesUrl({ baseUrl: 'http://127.0.0.1:8000/v1/' }).href).toBe(
      'http://127.0.0.1:8000/v1/responses',
    );
  });

  it('keeps a query string such as an API version', () => {
    expect(
      responsesUrl({ baseUrl: 'https://x.openai.azure.com/openai/v1?api-version=preview' }).href,
    ).toBe('https://x.openai.azure.com/openai/v1/responses?api-version=preview');
  });

  it('refuses URLs that are not absolute http(s) or that embed credentials', () => {
    expect(() => responsesUrl({ baseUrl: 'api.openai.com/v1' })).toThrow(/not an absolute URL/);
    expect(() => responsesUrl({ baseUrl: 'ftp://host/v1' })).toThrow(/http or https/);
    expect(() => responsesUrl({ baseUrl: 'https://user:pw@host/v1' })).toThrow(/credentials/);
  });
});
