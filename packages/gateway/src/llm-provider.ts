/** The kinds of LLM provider the model proxy can forward to; both speak the Responses API. */
export const llmProviderKinds = ['openai', 'openai-compatible'] as const;

/** The LLM provider settings the model proxy forwards to. */
export interface LlmProvider {
  /** `openai` for api.openai.com, `openai-compatible` for any other Responses API endpoint. */
  readonly provider: (typeof llmProviderKinds)[number];
  /** API root such as `https://api.openai.com/v1`; the proxy calls `${baseUrl}/responses`. */
  readonly baseUrl: string;
  /** The real API key. Only the gateway holds it; workers never see it. */
  readonly apiKey: string;
  /** Model the worker is configured with; the proxy pins every request to it. */
  readonly model?: string;
  /** Reasoning effort the worker is configured with (informational for the proxy). */
  readonly reasoningEffort?: string;
}

/**
 * The Responses endpoint of a provider: `baseUrl` without its trailing slash, plus `/responses`
 * (a query string on the base URL, such as Azure's `?api-version=`, is kept). Throws a `TypeError` (whose message names no secret) unless the base URL is an absolute
 * http(s) URL without embedded credentials.
 *
 * @example
 * ```ts
 * responsesUrl({ baseUrl: 'https://api.openai.com/v1/' }).href; // 'https://api.openai.com/v1/responses'
 * ```
 */
export function responsesUrl(provider: Pick<LlmProvider, 'baseUrl'>): URL {
  let url: URL;
  try {
    url = new URL(provider.baseUrl.trim());
  } catch {
    throw new TypeError('The LLM provider base URL is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`The LLM provider base URL must use http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(
      'The LLM provider base URL must not contain credentials: set the API key instead',
    );
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/responses`;
  url.hash = '';
  return url;
}

/** Usage of one model response, as the provider reports it in `response.completed`. */
export interface ModelUsage {
  /** The provider's response id (`resp_…`), or null when it sent none. */
  readonly responseId: string | null;
  /** The model that answered, as the provider names it, or null. */
  readonly model: string | null;
  /** `usage.input_tokens`. */
  readonly inputTokens: number;
  /** `usage.input_tokens_details.cached_tokens`. */
  readonly cachedInputTokens: number;
  /** `usage.output_tokens`. */
  readonly outputTokens: number;
  /** `usage.output_tokens_details.reasoning_tokens`. */
  readonly reasoningTokens: number;
}
