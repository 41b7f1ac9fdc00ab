import { deciderName, type Approval } from '../approvals/approval-view';
import type { LiveEvent } from '../live/live-events';

/** What kind of step a timeline entry shows; decides its icon and colour. */
export type TimelineKind =
  'message' | 'reasoning' | 'command' | 'tool' | 'approval' | 'error' | 'run' | 'other';

/**
 * One entry of the run timeline, as plain text only: the UI shows every field with text
 * interpolation, never as HTML (the agent's and the alert senders' text is untrusted).
 */
export interface TimelineItem {
  /** Stable key: the agent item id (later events of one item replace earlier ones) or the event id. */
  readonly key: string;
  /** The id of the newest event merged into this entry. */
  readonly lastEventId: number;
  readonly kind: TimelineKind;
  /** A short heading, e.g. `Command` or `Tool prometheus.query`. */
  readonly title: string;
  /** The main text (message, command line, arguments). */
  readonly body: string;
  /** Output or details shown under the body, when there are any. */
  readonly detail?: string;
  /** A short status, e.g. `exit 0`, `error`, `approved`. */
  readonly status?: string;
  readonly failed: boolean;
  readonly at: string;
  readonly runId: string;
}

/** The fields of a run event, read defensively: the API types them as any object. */
type Fields = Readonly<Record<string, unknown>>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function describe(
  type: string,
  e: Fields,
): Omit<TimelineItem, 'key' | 'lastEventId' | 'at' | 'runId'> {
  switch (type) {
    case 'agent.message':
      return { kind: 'message', title: 'Agent', body: text(e.text), failed: false };
    case 'agent.reasoning':
      return { kind: 'reasoning', title: 'Reasoning', body: text(e.text), failed: false };
    case 'agent.error':
      return { kind: 'error', title: 'Agent error', body: text(e.message), failed: true };
    case 'command.started':
    case 'command.updated':
    case 'command.completed': {
      const done = type === 'command.completed';
      const failed = done && (e.status !== 'completed' || (e.exitCode ?? 0) !== 0);
      const status = done
        ? e.status === 'declined'
          ? 'declined'
          : e.exitCode === null || e.exitCode === undefined
            ? text(e.status)
            : `exit ${text(e.exitCode)}`
        : 'running';
      return {
        kind: 'command',
        title: 'Command',
        body: text(e.command),
        ...(e.output === undefined ? {} : { detail: text(e.output) }),
        status,
        failed,
      };
    }
    case 'tool.started':
      return {
        kind: 'tool',
        title: `Tool ${text(e.tool)}`,
        body: text(e.input),
        status: 'running',
        failed: false,
      };
    case 'tool.completed':
      return {
        kind: 'tool',
        title: `Tool ${text(e.tool)}`,
        body: '',
        detail: text(e.output),
        status: e.isError === true ? 'error' : 'done',
        failed: e.isError === true,
      };
    case 'run.started':
      return { kind: 'run', title: 'Run started', body: '', failed: false };
    case 'run.completed':
      return { kind: 'run', title: 'Run completed', body: '', failed: false };
    case 'run.failed':
      return { kind: 'error', title: 'Run failed', body: text(e.error), failed: true };
    default:
      if (type.startsWith('approval.'))
        return {
          kind: 'approval',
          title: `Approval ${type.slice('approval.'.length)}`,
          body: text(e.command ?? e.tool ?? ''),
          ...(e.reason === undefined ? {} : { detail: text(e.reason) }),
          status: text(e.decision ?? e.status ?? ''),
          failed: e.decision === 'denied',
        };
      return { kind: 'other', title: type, body: text(e), failed: false };
  }
}

/** Events the timeline does not show: bookkeeping, not steps. */
const HIDDEN = new Set(['turn.started', 'usage', 'todo.updated']);

/** What the timeline reads of an approval of the incident. */
export type TimelineApproval = Pick<
  Approval,
  | 'id'
  | 'run_id'
  | 'status'
  | 'summary'
  | 'created_at'
  | 'expires_at'
  | 'decided_at'
  | 'decided_by'
  | 'reason'
>;

/**
 * The entries an approval adds to the timeline: when it was asked for (what would change,
 * with its status now), and once decided, who decided and why (or that it expired).
 */
export function approvalItems(approval: TimelineApproval): TimelineItem[] {
  const asked: TimelineItem = {
    key: `approval/${approval.id}/asked`,
    lastEventId: 0,
    kind: 'approval',
    title: 'Approval asked',
    body: approval.summary,
    status: approval.status,
    failed: false,
    at: approval.created_at,
    runId: approval.run_id,
  };
  if (approval.status === 'pending') return [asked];
  const expired = approval.status === 'expired';
  const decided: TimelineItem = {
    key: `approval/${approval.id}/decided`,
    lastEventId: 0,
    kind: 'approval',
    title: expired ? 'Approval expired' : `Approval ${approval.status}`,
    body: expired
      ? 'Nobody decided in time; it was not run.'
      : `${approval.status === 'approved' ? 'Approved' : 'Denied'} by ${deciderName(approval.decided_by)}`,
    ...(approval.reason ? { detail: approval.reason } : {}),
    status: approval.status,
    failed: approval.status !== 'approved',
    at: approval.decided_at ?? approval.expires_at,
    runId: approval.run_id,
  };
  return [asked, decided];
}

/**
 * `items` (oldest first) with `extra` entries put in by time: each goes before the first item
 * that started later, so the run's own order is kept.
 */
function mergeByTime(items: TimelineItem[], extra: TimelineItem[]): TimelineItem[] {
  if (extra.length === 0) return items;
  const sorted = [...extra].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const merged: TimelineItem[] = [];
  let next = 0;
  for (const item of items) {
    const at = Date.parse(item.at);
    while (next < sorted.length && Date.parse(sorted[next]!.at) <= at) merged.push(sorted[next++]!);
    merged.push(item);
  }
  merged.push(...sorted.slice(next));
  return merged;
}

/**
 * The timeline's entries from the incident's events, oldest first, with its approvals (asked,
 * decided) put in where they happened. Events of one agent item
 * (same `itemId` in one run: a command started, updated, completed; a tool call started then
 * returned, by `callId`) become one entry, updated in place; a tool call's arguments stay
 * when its result comes.
 *
 * @example
 * ```ts
 * timelineItems([{ id: 1, type: 'agent.message', event: { type: 'agent.message', text: 'hi' }, … }]);
 * ```
 */
export function timelineItems(
  events: readonly LiveEvent[],
  approvals: readonly TimelineApproval[] = [],
): TimelineItem[] {
  const items: TimelineItem[] = [];
  const index = new Map<string, number>();
  for (const event of events) {
    if (HIDDEN.has(event.type)) continue;
    const fields: Fields =
      typeof event.event === 'object' && event.event !== null ? (event.event as Fields) : {};
    const itemId = fields.itemId ?? fields.callId;
    const key = typeof itemId === 'string' ? `${event.run_id}/${itemId}` : `event/${event.id}`;
    const next: TimelineItem = {
      key,
      lastEventId: event.id,
      at: event.at,
      runId: event.run_id,
      ...describe(event.type, fields),
    };
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, items.length);
      items.push(next);
    } else {
      const previous = items[at]!;
      // Keep what the earlier event said that the later one does not repeat (tool arguments).
      items[at] = { ...next, body: next.body === '' ? previous.body : next.body, at: previous.at };
    }
  }
  return mergeByTime(items, approvals.flatMap(approvalItems));
}
