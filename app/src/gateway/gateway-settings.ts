/** Settings keys the gateway reads (through the `gateway_settings` view). */
export const GatewaySettingKeys = Object.freeze({
  /** LLM provider settings without the key: `{provider, base_url, model, reasoning_effort}`. */
  llm: 'llm',
  /** The LLM API key, sealed with the settings key as its context. */
  llmApiKey: 'llm.api_key',
  /** The public JWK run tokens are verified with. */
  runTokenPublicKey: 'gateway.run_token_public_key',
  /** Spend budgets and the queued-investigation cap (`StoredBudgets`). */
  budgets: 'budgets',
  /** The model price table, model → USD per million tokens. */
  prices: 'llm.prices',
  /** The private JWK run tokens are signed with, sealed. Not visible to the gateway. */
  runTokenPrivateKey: 'gateway.run_token_private_key',
});

/** The stored shape of the `llm` setting. */
export interface StoredLlmSettings {
  readonly provider: 'openai' | 'openai-compatible';
  readonly base_url: string;
  readonly model: string;
  readonly reasoning_effort: 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | null;
}

/** Where OpenAI's Responses API lives. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
