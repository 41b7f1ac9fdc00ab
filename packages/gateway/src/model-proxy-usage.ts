import type { ModelUsage } from './llm-provider.js';

export type { ModelUsage } from './llm-provider.js';

/** Watches a response body on the side (it never changes the bytes) and reports usage. */
export interface UsageTap {
  /** Reads one chunk of the body, exactly as it was sent to the worker. */
  push(chunk: Uint8Array): void;
  /** The body is complete; report whatever usage is still pending. */
  end(): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : 0;

/** True when a Responses API response object carries a `usage` object. */
export function hasModelUsage(response: unknown): boolean {
  return isRecord(response) && isRecord(response['usage']);
}

/**
 * Reads the usage of a Responses API response object (the `response` of `response.completed`,
 * or the whole body of a non-streaming call). Missing or malformed counts read as 0; a value
 * that is not an object gives `undefined`.
 *
 * @example
 * ```ts
 * readModelUsage({ id: 'resp_1', usage: { input_tokens: 10, output_tokens: 5 } });
 * // { responseId: 'resp_1', model: null, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }
 * ```
 */
export function readModelUsage(response: unknown): ModelUsage | undefined {
  if (!isRecord(response)) return undefined;
  const usage = isRecord(response['usage']) ? response['usage'] : {};
  const inputDetails = isRecord(usage['input_tokens_details']) ? usage['input_tokens_details'] : {};
  const outputDetails = isRecord(usage['output_tokens_details'])
    ? usage['output_tokens_details']
    : {};
  return {
    responseId: typeof response['id'] === 'string' ? response['id'] : null,
    model: typeof response['model'] === 'string' ? response['model'] : null,
    inputTokens: count(usage['input_tokens']),
    cachedInputTokens: count(inputDetails['cached_tokens']),
    outputTokens: count(usage['output_tokens']),
    reasoningTokens: count(outputDetails['reasoning_tokens']),
  };
}

/**
 * A tap for a non-streaming (`stream: false`) JSON response: it keeps up to `maxBytes` of
 * the body and, at the end, reports the usage of a completed response or of any response
 * that carries a `usage` object. A body over the limit or not JSON reports nothing.
 *
 * @example
 * ```ts
 * const tap = createJsonUsageTap((usage) => console.log(usage.outputTokens));
 * tap.push(Buffer.from('{"id":"resp_1","status":"completed","usage":{"output_tokens":5}}'));
 * tap.end(); // logs 5
 * ```
 */
export function createJsonUsageTap(
  onUsage: (usage: ModelUsage) => void,
  maxBytes = 64 * 1024 * 1024,
): UsageTap {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.byteLength;
      if (size <= maxBytes) chunks.push(Buffer.from(chunk));
      else chunks.length = 0;
    },
    end() {
      if (size > maxBytes) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return;
      }
      if (!isRecord(body) || (body['status'] !== 'completed' && !hasModelUsage(body))) return;
      const usage = readModelUsage(body);
      if (usage !== undefined) onUsage(usage);
    },
  };
}
