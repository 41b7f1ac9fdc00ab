import type { FileChange, RunEvent, TodoEntry, TokenUsage } from '@akmatori/core';

/** How a Codex process ended. */
export interface CodexExit {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
  /** The end of what it wrote to stderr (already redacted). */
  readonly stderrTail: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

/**
 * Codex reports a model call refused with a 4xx by quoting the response body; a Responses API
 * error body (`{"error": {"message", "code"}}`, as the provider and the gateway send it) is
 * read down to its message and code, so the run's error says why in plain words.
 */
function providerErrorMessage(message: string): string {
  const start = message.indexOf('{');
  if (start < 0) return message;
  try {
    const body = JSON.parse(message.slice(start)) as unknown;
    const error = isObject(body) && isObject(body.error) ? body.error : undefined;
    const said = text(error?.message);
    if (said === '') return message;
    const code = text(error?.code);
    const prefix = message.slice(0, start).trim();
    return `${prefix === '' ? '' : `${prefix} `}${said}${code === '' ? '' : ` (${code})`}`;
  } catch {
    return message;
  }
}

/** stderr lines Codex always prints in a worker, which say nothing about a failure. */
const STDERR_NOISE = [
  /^WARNING: proceeding, even though we could not create PATH aliases/,
  /^Reading additional input from stdin/,
];

/**
 * Turns the JSONL lines of one `codex exec --json` process into {@link RunEvent}s, one line
 * at a time, and decides how the run ended. Unknown event or item types become
 * `event.unknown` (never an exception). It keeps what the end of the run needs: the thread
 * id (`run.started.sessionId`, for resuming), the last agent message (the summary), the
 * failure of the turn, and the usage.
 *
 * Codex reports in `turn.completed` the token totals of the whole thread; a resumed run
 * gives the totals before it as `usageBaseline`, so its `usage` event counts only its own.
 *
 * @example
 * ```ts
 * const mapper = new CodexEventMapper();
 * mapper.mapLine('{"type":"thread.started","thread_id":"t1"}'); // [{ type: 'run.started', sessionId: 't1' }]
 * mapper.outcome({ code: 0, signal: null, stderrTail: '' }); // { type: 'run.completed', summary: '' }
 * ```
 */
export class CodexEventMapper {
  #sessionId: string | undefined;
  #finalMessage: string | undefined;
  #turnFailure: string | undefined;
  #lastError: string | undefined;
  #usage: TokenUsage | undefined;
  #baseline: TokenUsage | undefined;

  constructor(options: { usageBaseline?: TokenUsage } = {}) {
    this.#baseline = options.usageBaseline;
  }

  /** The Codex thread id, once `thread.started` arrived. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** The last complete agent message so far. */
  get finalMessage(): string | undefined {
    return this.#finalMessage;
  }

  /** This run's token usage, once a turn completed. */
  get usage(): TokenUsage | undefined {
    return this.#usage;
  }

  /** Sets the thread's token totals from before this run (see the class description). */
  setUsageBaseline(baseline: TokenUsage | undefined): void {
    this.#baseline = baseline;
  }

  /** Maps one stdout line; a line that is not JSON becomes `event.unknown` with the line. */
  mapLine(line: string): RunEvent[] {
    const trimmed = line.trim();
    if (trimmed === '') return [];
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch {
      return [{ type: 'event.unknown', raw: trimmed }];
    }
    return this.mapEvent(event);
  }

  /** Maps one parsed Codex event. */
  mapEvent(event: unknown): RunEvent[] {
    if (!isObject(event)) return [{ type: 'event.unknown', raw: event }];
    switch (event.type) {
      case 'thread.started':
        this.#sessionId = text(event.thread_id) || this.#sessionId;
        return [
          { type: 'run.started', ...(this.#sessionId ? { sessionId: this.#sessionId } : {}) },
        ];
      case 'turn.started':
        return [{ type: 'turn.started' }];
      case 'turn.completed':
        this.#usage = this.#runUsage(isObject(event.usage) ? event.usage : {});
        return [{ type: 'usage', usage: this.#usage }];
      case 'turn.failed':
        this.#turnFailure =
          providerErrorMessage(text(isObject(event.error) ? event.error.message : undefined)) ||
          'the turn failed';
        return [];
      case 'error':
        this.#lastError = text(event.message);
        return [{ type: 'agent.error', message: this.#lastError }];
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        if (!isObject(event.item)) return [{ type: 'event.unknown', raw: event }];
        return this.#mapItem(event.type, event.item, event);
      default:
        return [{ type: 'event.unknown', raw: event }];
    }
  }

  /** The run's last event, from how the process ended. */
  outcome(exit: CodexExit): RunEvent {
    if (this.#turnFailure !== undefined) return { type: 'run.failed', error: this.#turnFailure };
    if (exit.code === 0) return { type: 'run.completed', summary: this.#finalMessage ?? '' };
    const how =
      exit.code === null
        ? `codex was stopped by ${exit.signal ?? 'a signal'}`
        : `codex exited with code ${exit.code}`;
    const details = [this.#lastError, stderrSummary(exit.stderrTail)].filter(
      (detail): detail is string => detail !== undefined && detail !== '',
    );
    return {
      type: 'run.failed',
      error: details.length === 0 ? how : `${how}: ${details.join('\n')}`,
    };
  }

  #mapItem(phase: string, item: Json, raw: Json): RunEvent[] {
    const itemId = text(item.id) || undefined;
    const id = itemId === undefined ? {} : { itemId };
    const completed = phase === 'item.completed';
    switch (item.type) {
      case 'agent_message':
        if (completed) this.#finalMessage = text(item.text);
        return [{ type: 'agent.message', text: text(item.text), ...id }];
      case 'reasoning':
        return [{ type: 'agent.reasoning', text: text(item.text), ...id }];
      case 'error':
        return [{ type: 'agent.error', message: text(item.message), ...id }];
      case 'command_execution': {
        const command = text(item.command);
        if (phase === 'item.started') return [{ type: 'command.started', command, ...id }];
        const output = text(item.aggregated_output);
        if (!completed) return [{ type: 'command.updated', command, output, ...id }];
        const exitCode = typeof item.exit_code === 'number' ? item.exit_code : null;
        return [
          {
            type: 'command.completed',
            command,
            output,
            exitCode,
            status: text(item.status),
            ...id,
          },
        ];
      }
      case 'mcp_tool_call': {
        const tool = `${text(item.server)}.${text(item.tool)}`;
        const callId = itemId ?? tool;
        if (phase === 'item.started') {
          return [{ type: 'tool.started', callId, tool, input: item.arguments ?? {}, ...id }];
        }
        if (!completed) return [{ type: 'event.unknown', raw }];
        const error = isObject(item.error) ? text(item.error.message) : '';
        const isError = item.status === 'failed' || error !== '' || isErrorResult(item.result);
        const output = error !== '' ? error : resultText(item.result);
        return [{ type: 'tool.completed', callId, tool, output, isError, ...id }];
      }
      case 'file_change': {
        const changes: FileChange[] = (Array.isArray(item.changes) ? item.changes : [])
          .filter(isObject)
          .map((change) => ({ path: text(change.path), kind: fileChangeKind(change.kind) }));
        return [{ type: 'file.changed', changes, status: text(item.status), ...id }];
      }
      case 'todo_list': {
        const items: TodoEntry[] = (Array.isArray(item.items) ? item.items : [])
          .filter(isObject)
          .map((entry) => ({ text: text(entry.text), completed: entry.completed === true }));
        return [{ type: 'todo.updated', items, ...id }];
      }
      case 'web_search':
        return completed ? [{ type: 'web.searched', query: text(item.query), ...id }] : [];
      default:
        return [{ type: 'event.unknown', raw }];
    }
  }

  #runUsage(reported: Json): TokenUsage {
    const base = this.#baseline;
    const less = (value: unknown, before: number | undefined): number =>
      Math.max(0, count(value) - (before ?? 0));
    return {
      inputTokens: less(reported.input_tokens, base?.inputTokens),
      cachedInputTokens: less(reported.cached_input_tokens, base?.cachedInputTokens),
      outputTokens: less(reported.output_tokens, base?.outputTokens),
      reasoningTokens: less(reported.reasoning_output_tokens, base?.reasoningTokens),
    };
  }
}

function fileChangeKind(kind: unknown): FileChange['kind'] {
  return kind === 'add' || kind === 'delete' ? kind : 'update';
}

function isErrorResult(result: unknown): boolean {
  return isObject(result) && (result.is_error === true || result.isError === true);
}

/** The text of an MCP result: its text parts, a note for other parts, else the structured content. */
function resultText(result: unknown): string {
  if (!isObject(result)) return '';
  const parts = (Array.isArray(result.content) ? result.content : []).map((part) => {
    if (!isObject(part)) return '';
    if (part.type === 'text') return text(part.text);
    if (part.type === 'resource_link' || part.type === 'resource') {
      const resource = isObject(part.resource) ? part.resource : part;
      return `[resource ${text(resource.uri)}]`;
    }
    return `[${text(part.type) || 'content'}]`;
  });
  const joined = parts.filter((part) => part !== '').join('\n');
  if (joined !== '' || result.structured_content == null) return joined;
  return JSON.stringify(result.structured_content);
}

/** The informative end of Codex's stderr: its last 20 lines without the usual noise, at most 4000 characters. */
function stderrSummary(stderrTail: string): string {
  const lines = stderrTail
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !STDERR_NOISE.some((noise) => noise.test(line)));
  return lines.slice(-20).join('\n').slice(-4000);
}
