import { scrubSecrets } from '@akmatori/core';
import type { StoredLlmSettings } from './gateway-settings.js';

/** What one test request to the LLM provider found. */
export interface LlmProviderTestResult {
  /** True when the provider answered the request with a success status. */
  readonly ok: boolean;
  /** The provider's HTTP status; null when no answer came (network error, timeout). */
  readonly status: number | null;
  /** What happened, for people: the provider's own error message when it sent one. */
  readonly message: string;
  /** Milliseconds from sending the request to its answer (or failure). */
  readonly duration_ms: number;
}

/** How long the test waits for the provider. */
export const LLM_TEST_TIMEOUT_MS = 15_000;
const MAX_MESSAGE_LENGTH = 500;

/**
 * Sends one minimal Responses API request (`POST <base_url>/responses`, a few output tokens) to
 * the configured provider with the stored key, and reports whether it answered. The key is
 * never part of the result: it is cut out of whatever the provider sends back.
 *
 * @example
 * ```ts
 * const result = await testLlmProvider(settings, apiKey);
 * if (!result.ok) console.log(result.message); // "HTTP 401: Incorrect API key provided"
 * ```
 */
export async function testLlmProvider(
  settings: StoredLlmSettings,
  apiKey: string,
  options: { timeoutMs?: number; now?: () => number } = {},
): Promise<LlmProviderTestResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const redact = (text: string): string =>
    scrubSecrets(text, [apiKey]).slice(0, MAX_MESSAGE_LENGTH);
  const signal = AbortSignal.timeout(options.timeoutMs ?? LLM_TEST_TIMEOUT_MS);
  try {
    const response = await fetch(`${settings.base_url}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        model: settings.model,
        input: 'Reply with the word OK.',
        max_output_tokens: 16,
        stream: true,
        store: false,
      }),
      signal,
    });
    const text = await response.text();
    const duration = now() - started;
    if (response.ok)
      return {
        ok: true,
        status: response.status,
        message: `${settings.model} answered (HTTP ${response.status})`,
        duration_ms: duration,
      };
    return {
      ok: false,
      status: response.status,
      message: redact(`HTTP ${response.status}: ${providerMessage(text)}`),
      duration_ms: duration,
    };
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      status: null,
      message: timedOut
        ? `no answer within ${Math.round((options.timeoutMs ?? LLM_TEST_TIMEOUT_MS) / 1000)} s`
        : redact(`could not reach ${settings.base_url}: ${causeOf(error)}`),
      duration_ms: now() - started,
    };
  }
}

/** The `error.message` of an OpenAI-style error body, else the body's start. */
function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'object' && typeof body.error.message === 'string')
      return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: show its start
  }
  return text.trim() === '' ? '(empty answer)' : text.trim();
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
