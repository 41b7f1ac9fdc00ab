import {
  mcpToolOffered,
  offeredShellTool,
  offeredToolNames,
  toolSearchOffered,
} from './offered-tools.js';
import {
  assistantMessageItem,
  outputItemDone,
  reasoningItem,
  responseCompleted,
  responseCreated,
  type ResponsesStreamEvent,
  type ResponsesUsage,
} from './responses-stream.js';
import { defaultTurnUsage, type McpStep, type ScenarioTurn } from './scenario.js';

/** A piece of a streamed answer: an SSE event, or a pause before the next one. */
export type AnswerFrame =
  | { readonly kind: 'event'; readonly event: ResponsesStreamEvent }
  | { readonly kind: 'pause'; readonly ms: number };

/** How the scripted model answers one request. */
export type TurnAnswer =
  | {
      /** Fail with an HTTP error after `pauseMs`. */
      readonly kind: 'error';
      readonly pauseMs: number;
      readonly status: number;
      readonly body: unknown;
    }
  | {
      /** Stream `frames`; `turnDone` false means the same turn also answers the next request. */
      readonly kind: 'stream';
      readonly frames: readonly AnswerFrame[];
      readonly turnDone: boolean;
    };

/** Where the scripted model is in its scenario, for ids and for `tool_search` bookkeeping. */
export interface TurnPosition {
  /** 1-based number of the request being answered. */
  readonly request: number;
  /** Whether this turn already answered a request with a `tool_search` call. */
  readonly searched: boolean;
}

const scriptError = (message: string): TurnAnswer => ({
  kind: 'error',
  pauseMs: 0,
  status: 400,
  body: { error: { type: 'invalid_request_error', message: `scripted model: ${message}` } },
});

const event = (value: ResponsesStreamEvent): AnswerFrame => ({ kind: 'event', event: value });

/**
 * Turns one scenario turn into the answer to `body` (the request's JSON): the function calls
 * use the tools the request offers, an MCP tool not offered yet is searched for first, and
 * a script that cannot be played (no shell tool, tool never offered) becomes an HTTP 400
 * whose message says why, so the run fails visibly.
 */
export function answerTurn(
  turn: ScenarioTurn,
  body: Record<string, unknown>,
  position: TurnPosition,
): TurnAnswer {
  const n = position.request;
  const responseId = `resp_${n}`;
  const frames: AnswerFrame[] = [event(responseCreated(responseId))];
  let usage: ResponsesUsage = defaultTurnUsage;
  let pauseMs = 0;
  for (const [index, step] of turn.entries()) {
    const id = `${n}_${index}`;
    switch (step.kind) {
      case 'slow':
        frames.push({ kind: 'pause', ms: step.ms });
        pauseMs += step.ms;
        break;
      case 'usage':
        usage = step.usage;
        break;
      case 'error':
        return { kind: 'error', pauseMs, status: step.status, body: step.body };
      case 'message':
        frames.push(event(outputItemDone(assistantMessageItem(`msg_${id}`, step.text))));
        break;
      case 'reasoning':
        frames.push(event(outputItemDone(reasoningItem(`rs_${id}`, step.text))));
        break;
      case 'shell': {
        const tool = offeredShellTool(body);
        if (tool === undefined) {
          return scriptError(
            `no shell tool offered (offered: ${offeredToolNames(body).join(', ')})`,
          );
        }
        const args = tool.arguments(step.command, step.workdir);
        frames.push(event(outputItemDone(functionCall(id, tool.name, args))));
        break;
      }
      case 'mcp': {
        const namespace = `mcp__${step.server}`;
        if (mcpToolOffered(body, namespace, step.tool)) {
          frames.push(
            event(outputItemDone(functionCall(id, step.tool, step.arguments, namespace))),
          );
          break;
        }
        if (toolSearchOffered(body) && !position.searched) {
          return {
            kind: 'stream',
            frames: [
              event(responseCreated(responseId)),
              event(outputItemDone(toolSearchCall(id, step))),
              event(responseCompleted(responseId, usage)),
            ],
            turnDone: false,
          };
        }
        return scriptError(
          `MCP tool ${namespace}/${step.tool} is not offered${position.searched ? ' even after tool_search' : ''} (offered: ${offeredToolNames(body).join(', ')})`,
        );
      }
    }
  }
  frames.push(event(responseCompleted(responseId, usage)));
  return { kind: 'stream', frames, turnDone: true };
}

function functionCall(
  id: string,
  name: string,
  args: Readonly<Record<string, unknown>>,
  namespace?: string,
): Record<string, unknown> {
  return {
    type: 'function_call',
    id: `fc_${id}`,
    call_id: `call_${id}`,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    arguments: JSON.stringify(args),
  };
}

function toolSearchCall(id: string, step: McpStep): Record<string, unknown> {
  const words = step.tool.split(/_+/).filter((word) => word !== '');
  return {
    type: 'tool_search_call',
    id: `ts_${id}`,
    call_id: `call_ts_${id}`,
    execution: 'client',
    status: 'completed',
    arguments: { query: [step.tool, ...words].join(' '), limit: 8 },
  };
}
