/**
 * The Responses API streaming wire format, as Codex reads it: `event: <type>` and
 * `data: <json>` lines followed by a blank line (the shape of openai/codex's own test proxy,
 * `sdk/typescript/tests/responsesProxy.ts`).
 */

/** One server-sent event of a streamed Responses API answer. */
export interface ResponsesStreamEvent {
  /** Event type, such as `response.output_item.done`; also the SSE `event:` name. */
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Token usage reported in `response.completed`, in the API's own field names. */
export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly input_tokens_details?: { readonly cached_tokens: number } | null;
  readonly output_tokens_details?: { readonly reasoning_tokens: number } | null;
  readonly total_tokens?: number;
}

/**
 * One SSE frame: `event: <type>\ndata: <json>\n\n`.
 *
 * @example
 * ```ts
 * sseFrame(responseCreated('resp_1')); // 'event: response.created\ndata: {...}\n\n'
 * ```
 */
export function sseFrame(event: ResponsesStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** `response.created`: the first event of every answer. */
export function responseCreated(responseId: string): ResponsesStreamEvent {
  return { type: 'response.created', response: { id: responseId } };
}

/** `response.output_item.done` carrying one finished output item (message, function call…). */
export function outputItemDone(item: Record<string, unknown>): ResponsesStreamEvent {
  return { type: 'response.output_item.done', item };
}

/** `response.completed` with the usage Codex reports for the turn; Codex needs this event. */
export function responseCompleted(responseId: string, usage: ResponsesUsage): ResponsesStreamEvent {
  const total = usage.total_tokens ?? usage.input_tokens + usage.output_tokens;
  return {
    type: 'response.completed',
    response: {
      id: responseId,
      usage: {
        input_tokens: usage.input_tokens,
        input_tokens_details: usage.input_tokens_details ?? null,
        output_tokens: usage.output_tokens,
        output_tokens_details: usage.output_tokens_details ?? null,
        total_tokens: total,
      },
    },
  };
}

/** An assistant message output item. */
export function assistantMessageItem(id: string, text: string): Record<string, unknown> {
  return {
    type: 'message',
    role: 'assistant',
    id,
    content: [{ type: 'output_text', text }],
  };
}

/** A reasoning output item whose summary Codex shows as the agent's reasoning. */
export function reasoningItem(id: string, text: string): Record<string, unknown> {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
}
