import type { RunEvent } from '@akmatori/core';
import type { WorkerMessage } from '../protocol/worker-protocol.js';

type RunEventMessage = Extract<WorkerMessage, { type: 'run.event' }>;

/** Characters of a cut string that are always kept (half at each end). */
const MIN_KEPT = 1024;
/** Room left for the cut marker, in characters. */
const MARKER_ROOM = 200;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * `message` as it may be sent: unchanged when its JSON is at most `maxBytes`; otherwise its
 * event's longest strings (a command's output, a message's text…) are cut in the middle,
 * with a marker saying how much, until it fits. An event that still does not fit (thousands
 * of short strings) becomes an `agent.error` saying which event was dropped and why, so the
 * API never sees a message over its limit and the run goes on.
 *
 * @example
 * ```ts
 * const sent = boundedEventMessage(outboxMessage, workerMessageLimits.maxEventBytes);
 * ```
 */
export function boundedEventMessage(message: RunEventMessage, maxBytes: number): RunEventMessage {
  const original = jsonBytes(message);
  if (original <= maxBytes) return message;
  const event = structuredClone(message.event) as unknown as Record<string, unknown>;
  let over = original - maxBytes;
  for (let round = 0; round < 64 && over > 0; round += 1) {
    const longest = longestString(event);
    if (longest === undefined || longest.value.length <= MIN_KEPT) break;
    const keep = Math.max(MIN_KEPT, longest.value.length - over - MARKER_ROOM);
    longest.replace(cutMiddle(longest.value, keep));
    over = jsonBytes({ ...message, event }) - maxBytes;
  }
  if (over <= 0) return { ...message, event: event as unknown as RunEvent };
  return {
    ...message,
    event: {
      type: 'agent.error',
      message: `a ${message.event.type} event of ${original} bytes was dropped: it is over the worker protocol's limit of ${maxBytes} bytes`,
    },
  };
}

interface FoundString {
  readonly value: string;
  replace(value: string): void;
}

/** The longest string anywhere inside `root` (an object or array), with a way to replace it. */
function longestString(root: object): FoundString | undefined {
  let found: FoundString | undefined;
  const visit = (container: Record<string, unknown> | unknown[]): void => {
    for (const [key, value] of Object.entries(container)) {
      if (typeof value === 'string') {
        if (found === undefined || value.length > found.value.length) {
          found = {
            value,
            replace: (next) => {
              (container as Record<string, unknown>)[key] = next;
            },
          };
        }
      } else if (typeof value === 'object' && value !== null) {
        visit(value as Record<string, unknown>);
      }
    }
  };
  visit(root as Record<string, unknown>);
  return found;
}

/** `value` with its middle cut out so that about `keep` characters remain, and a marker. */
function cutMiddle(value: string, keep: number): string {
  let headEnd = Math.ceil(keep / 2);
  let tailStart = value.length - Math.floor(keep / 2);
  // Never split a surrogate pair: a lone half is not storable text.
  if (isHighSurrogate(value.charCodeAt(headEnd - 1))) headEnd -= 1;
  if (isLowSurrogate(value.charCodeAt(tailStart))) tailStart += 1;
  const cut = tailStart - headEnd;
  return `${value.slice(0, headEnd)}\n… [${cut} characters cut: the event was over the worker protocol's size limit] …\n${value.slice(tailStart)}`;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
