import type {
  EvalApproval,
  EvalReport,
  EvalTimelineEntry,
  EvalToolCall,
  EvalUsage,
} from '../report/eval-result.js';
import type { AkmatoriApi } from './akmatori-api.js';

/** A run as `GET /api/incidents/{uuid}/runs` gives it (the fields the harness reads). */
export interface RunView {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly error: string | null;
  readonly report_markdown: string | null;
  readonly report: Record<string, string | undefined> | null;
  readonly usage: Record<string, number | undefined>;
  readonly cost_usd: number | null;
}

/** An approval as `GET /api/approvals` gives it. */
export interface ApprovalView {
  readonly id: string;
  readonly run_id: string;
  readonly tool_instance_id: string;
  readonly tool: string;
  readonly summary: string;
  readonly details: Record<string, unknown>;
  readonly status: string;
  readonly created_at: string;
  readonly decided_at?: string | null;
}

interface ToolCallView {
  readonly run_id: string;
  readonly tool_instance_name: string | null;
  readonly tool: string;
  readonly arguments: unknown;
  readonly decision: string;
  readonly status: string;
  readonly error: string | null;
  readonly started_at: string;
  readonly duration_ms: number | null;
}

interface EventView {
  readonly run_id: string;
  readonly type: string;
  readonly at: string;
  readonly event: Record<string, unknown>;
}

/** The MCP name of a tool of an instance, as the gateway lists it (`<instance slug>__<tool>`). */
export function mcpToolName(instanceName: string, tool: string): string {
  const slug = instanceName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  return `${slug || 'tool'}__${tool}`;
}

const clip = (text: string, max = 400): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

function timelineText(type: string, event: Record<string, unknown>): string {
  const s = (key: string): string => (typeof event[key] === 'string' ? (event[key] as string) : '');
  switch (type) {
    case 'agent.message':
    case 'agent.reasoning':
      return clip(s('text'));
    case 'agent.error':
      return clip(s('message'));
    case 'command.started':
      return clip(s('command'));
    case 'command.completed':
      return clip(`${s('command')} → exit ${String(event.exitCode)}: ${s('output')}`);
    case 'tool.started':
      return clip(`${s('tool')} ${JSON.stringify(event.input ?? {})}`);
    case 'tool.completed':
      return clip(`${s('tool')}${event.isError === true ? ' (error)' : ''}: ${s('output')}`);
    case 'usage':
      return JSON.stringify(event.usage ?? {});
    case 'run.completed':
      return clip(s('summary'));
    case 'run.failed':
      return clip(s('error'));
    default:
      return '';
  }
}

/** The run's report fields, or null when it has none. */
export function reportOf(run: RunView): EvalReport | null {
  if (run.report === null && run.report_markdown === null) return null;
  const field = (name: string): string | null => run.report?.[name] ?? null;
  return {
    summary: field('summary'),
    rootCause: field('rootCause'),
    evidence: field('evidence'),
    actionsTaken: field('actionsTaken'),
    recommendations: field('recommendations'),
    confidence: field('confidence'),
    markdown: run.report_markdown,
  };
}

/**
 * Reads what an investigation left in Akmatori: the audited tool calls of `run` (each paired with
 * the output the agent saw, from the run's `tool.completed` events), its timeline and usage.
 */
export async function readInvestigation(
  api: AkmatoriApi,
  incidentUuid: string,
  run: RunView,
): Promise<{ toolCalls: EvalToolCall[]; timeline: EvalTimelineEntry[]; usage: EvalUsage }> {
  const audit = (
    await api.call<{ data: ToolCallView[] }>(
      'GET',
      `/api/incidents/${incidentUuid}/tool-calls?limit=1000`,
    )
  ).data.filter((call) => call.run_id === run.id);
  const events = (
    await api.call<{ data: EventView[] }>('GET', `/api/incidents/${incidentUuid}/events?limit=5000`)
  ).data.filter((event) => event.run_id === run.id);

  // The n-th audited call of a tool is the n-th tool.completed of that tool (calls of one run
  // are made one after another by Codex, and both logs are in order).
  const outputs = new Map<string, string[]>();
  for (const { type, event } of events) {
    if (type !== 'tool.completed' || typeof event.tool !== 'string') continue;
    const name = event.tool.slice(event.tool.indexOf('.') + 1);
    outputs.set(name, [...(outputs.get(name) ?? []), String(event.output ?? '')]);
  }
  const toolCalls = audit.map((call): EvalToolCall => {
    const tool =
      call.tool_instance_name === null
        ? call.tool
        : mcpToolName(call.tool_instance_name, call.tool);
    const output = outputs.get(tool)?.shift() ?? null;
    return {
      tool,
      toolInstanceName: call.tool_instance_name,
      arguments: call.arguments,
      decision: call.decision,
      status: call.status,
      output,
      error: call.error,
      startedAt: call.started_at,
      durationMs: call.duration_ms,
    };
  });
  const timeline = events.map(({ type, at, event }): EvalTimelineEntry => ({
    at,
    type,
    text: timelineText(type, event),
  }));
  const n = (key: string): number => run.usage[key] ?? 0;
  const usage: EvalUsage = {
    inputTokens: n('input_tokens'),
    cachedInputTokens: n('cached_input_tokens'),
    outputTokens: n('output_tokens'),
    reasoningTokens: n('reasoning_tokens'),
    totalTokens: n('input_tokens') + n('output_tokens'),
    costUsd: run.cost_usd,
    toolCalls: toolCalls.length,
  };
  return { toolCalls, timeline, usage };
}

/** An approval as the result shows it. */
export function approvalOf(approval: ApprovalView): EvalApproval {
  return {
    id: approval.id,
    tool: approval.tool,
    summary: approval.summary,
    status: approval.status,
    createdAt: approval.created_at,
    decidedAt: approval.decided_at ?? null,
  };
}
