import type { ModelUsage } from './llm-provider.js';
import { hasModelUsage, readModelUsage, type UsageTap } from './model-proxy-usage.js';
import { createSseParser, type SseParserOptions } from './sse-parser.js';

/** Terminal Responses API events; `response.completed` always counts, the others when they carry usage. */
export const terminalResponseEvents: readonly string[] = Object.freeze([
  'response.completed',
  'response.incomplete',
  'response.failed',
]);

/**
 * A tap for a streaming Responses API body (`text/event-stream`). It parses the frames on the
 * side and reports usage once per response: for `response.completed` (zeros when the provider
 * sent no usage) and for `response.incomplete` / `response.failed` when they carry usage.
 * A response id seen twice is reported once. Frames that are not JSON are ignored.
 *
 * @example
 * ```ts
 * const tap = createSseUsageTap((usage) => console.log(usage.inputTokens));
 * tap.push(Buffer.from('event: response.completed\ndata: {"type":"response.completed",'));
 * tap.push(Buffer.from('"response":{"id":"r","usage":{"input_tokens":10}}}\n\n')); // logs 10
 * tap.end();
 * ```
 */
export function createSseUsageTap(
  onUsage: (usage: ModelUsage) => void,
  options: SseParserOptions = {},
): UsageTap {
  const reported = new Set<string>();
  const parser = createSseParser((event) => {
    // Skip the JSON parse for the many delta frames that name their type in `event:`.
    if (event.type !== 'message' && !terminalResponseEvents.includes(event.type)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof payload !== 'object' || payload === null) return;
    const { type, response } = payload as { type?: unknown; response?: unknown };
    const eventType = typeof type === 'string' ? type : event.type;
    if (!terminalResponseEvents.includes(eventType)) return;
    if (eventType !== 'response.completed' && !hasModelUsage(response)) return;
    const usage = readModelUsage(response);
    if (usage === undefined) return;
    if (usage.responseId !== null) {
      if (reported.has(usage.responseId)) return;
      reported.add(usage.responseId);
    }
    onUsage(usage);
  }, options);
  return { push: (chunk) => parser.push(chunk), end: () => parser.end() };
}
