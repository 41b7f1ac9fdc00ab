import type { RecordedEntry, RecordedTool, RecordedToolCall } from '@akmatori/gateway';

/** A tool call made during a replay, and whether the recording could answer it. */
export interface ReplayedToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** False when the recording held no result for this call (the agent got a "not recorded" error). */
  readonly recorded: boolean;
  readonly isError: boolean;
}

/** The answer to one tool call: the recorded result, or a "not recorded" error. */
export interface RecordedAnswer {
  readonly text: string;
  readonly structured?: Readonly<Record<string, unknown>>;
  readonly isError: boolean;
  readonly recorded: boolean;
}

/**
 * The JSON of `value` with object keys sorted, so that arguments compare equal whatever order
 * the agent wrote them in.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2] }); // '{"a":[2],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The tools and tool results of a recording, answering a replay's tool calls: a call gets the
 * recorded result of the same tool with the same arguments (the n-th such call the n-th
 * result); a call the recording does not hold gets an error saying so, and nothing runs.
 *
 * @example
 * ```ts
 * const tools = new RecordedTools(entries);
 * tools.answer('web__execute_command', { command: 'df -h' }).text;
 * ```
 */
export class RecordedTools {
  /** The tools listed to the recorded run (the last list it was given). */
  readonly list: readonly RecordedTool[];
  /** The calls this replay made, in order. */
  readonly calls: ReplayedToolCall[] = [];
  readonly #results = new Map<string, RecordedToolCall[]>();

  constructor(entries: readonly RecordedEntry[]) {
    let list: readonly RecordedTool[] = [];
    for (const entry of entries) {
      if (entry.kind === 'tools') list = entry.tools;
      if (entry.kind !== 'tool') continue;
      const key = callKey(entry.name, entry.arguments);
      this.#results.set(key, [...(this.#results.get(key) ?? []), entry]);
    }
    // A tool called but missing from the list (listed in another session) is still offered.
    const listed = new Set(list.map((tool) => tool.name));
    const extra = entries.flatMap((entry) =>
      entry.kind === 'tool' && !listed.has(entry.name)
        ? (listed.add(entry.name), [{ name: entry.name, inputSchema: { type: 'object' } }])
        : [],
    );
    this.list = [...list, ...extra];
  }

  /** The recorded result of calling `name` with `args`, or a "not recorded" error. */
  answer(name: string, args: Readonly<Record<string, unknown>>): RecordedAnswer {
    const result = this.#results.get(callKey(name, args))?.shift();
    const answer: RecordedAnswer =
      result === undefined
        ? {
            text: `Not recorded: the recording of this run holds no result for ${name} with these arguments (replay answers tools only from the recording; nothing was run).`,
            isError: true,
            recorded: false,
          }
        : {
            text: result.text,
            ...(result.structured === undefined ? {} : { structured: result.structured }),
            isError: result.isError,
            recorded: true,
          };
    this.calls.push({
      name,
      arguments: args,
      recorded: answer.recorded,
      isError: answer.isError,
    });
    return answer;
  }
}

const callKey = (name: string, args: Readonly<Record<string, unknown>>): string =>
  `${name}\u0000${canonicalJson(args)}`;
