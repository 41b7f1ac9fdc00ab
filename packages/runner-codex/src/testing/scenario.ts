import type { ResponsesUsage } from './responses-stream.js';

/** The agent runs a shell command through Codex's shell tool (found in `body.tools`). */
export interface ShellStep {
  readonly kind: 'shell';
  readonly command: string;
  /** Working directory for the command (default: Codex's own, the workspace). */
  readonly workdir?: string;
}

/** The agent calls an MCP tool: `mcp__<server>` namespace, `<tool>` name. */
export interface McpStep {
  readonly kind: 'mcp';
  readonly server: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** The agent answers with a message (the last one is its final answer). */
export interface MessageStep {
  readonly kind: 'message';
  readonly text: string;
}

/** The agent reports a reasoning summary. */
export interface ReasoningStep {
  readonly kind: 'reasoning';
  readonly text: string;
}

/** The model API fails this request with an HTTP status and JSON body instead of streaming. */
export interface ErrorStep {
  readonly kind: 'error';
  readonly status: number;
  readonly body: unknown;
}

/** The model pauses this long before sending the next frame (to test streaming and cancel). */
export interface SlowStep {
  readonly kind: 'slow';
  readonly ms: number;
}

/** Overrides the usage `response.completed` reports for this turn. */
export interface UsageStep {
  readonly kind: 'usage';
  readonly usage: ResponsesUsage;
}

/** One thing the scripted model does while answering a request. */
export type ScenarioStep =
  ShellStep | McpStep | MessageStep | ReasoningStep | ErrorStep | SlowStep | UsageStep;

/** The answer to one model request, as a list of steps sent in order. */
export type ScenarioTurn = readonly ScenarioStep[];

/** What the scripted model answers: the n-th turn answers the n-th request. */
export interface Scenario {
  readonly turns: readonly ScenarioTurn[];
}

/** Usage reported when a turn sets none: 10 input tokens, 5 output tokens. */
export const defaultTurnUsage: ResponsesUsage = Object.freeze({
  input_tokens: 10,
  output_tokens: 5,
});

/**
 * A step that makes the agent run `command` in its shell.
 *
 * @example
 * ```ts
 * const scenario = { turns: [[shell('echo hi')], [message('It said hi.')]] };
 * ```
 */
export function shell(command: string, options: { workdir?: string } = {}): ShellStep {
  return { kind: 'shell', command, ...(options.workdir === undefined ? {} : options) };
}

/**
 * A step that makes the agent call MCP tool `tool` of server `server`. When Codex does not
 * offer the tool up front (known model names load MCP tools on demand), the scripted model
 * first calls `tool_search` and makes the call in its answer to the next request.
 *
 * @example
 * ```ts
 * mcp('akmatori', 'web_1__http_get', { url: 'http://svc/health' });
 * ```
 */
export function mcp(server: string, tool: string, args: Record<string, unknown> = {}): McpStep {
  return { kind: 'mcp', server, tool, arguments: args };
}

/** A step that makes the agent say `text`. */
export function message(text: string): MessageStep {
  return { kind: 'message', text };
}

/** A step that reports a reasoning summary `text`. */
export function reasoning(text: string): ReasoningStep {
  return { kind: 'reasoning', text };
}

/** A step that fails the request with HTTP `status` and JSON `body`. */
export function error(
  status: number,
  body: unknown = { error: { message: 'scripted failure' } },
): ErrorStep {
  return { kind: 'error', status, body };
}

/** A step that waits `ms` milliseconds before the next frame. */
export function slow(ms: number): SlowStep {
  return { kind: 'slow', ms };
}

/** A step that sets the usage reported for this turn. */
export function usage(tokens: ResponsesUsage): UsageStep {
  return { kind: 'usage', usage: tokens };
}
