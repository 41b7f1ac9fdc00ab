import { escapeMrkdwn } from './mrkdwn.js';
import type { IncidentView, SlackMessage } from './incident-view.js';

/** The `action_id`s of the buttons Akmatori puts on messages; the app listens for these. */
export const SlackActions = Object.freeze({
  acknowledge: 'akm_acknowledge',
  resolve: 'akm_resolve',
  reinvestigate: 'akm_reinvestigate',
  cancel: 'akm_cancel',
  open: 'akm_open',
  approve: 'akm_approve',
  deny: 'akm_deny',
});

const SEVERITY_MARK: Readonly<Record<string, string>> = {
  critical: ':red_circle:',
  error: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  info: ':large_blue_circle:',
};

const STATUS_TEXT: Readonly<Record<string, string>> = {
  pending: 'queued',
  investigating: 'investigating…',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** `1h 2m`, `3m 4s`, `5s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

const button = (
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
): Record<string, unknown> => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style === undefined ? {} : { style }),
});

/** The buttons an incident offers in its current state. */
function incidentButtons(view: IncidentView): Record<string, unknown>[] {
  const buttons: Record<string, unknown>[] = [];
  if (view.state === 'open')
    buttons.push(button('Acknowledge', SlackActions.acknowledge, view.uuid, 'primary'));
  if (view.state !== 'resolved') buttons.push(button('Resolve', SlackActions.resolve, view.uuid));
  if (view.status === 'pending' || view.status === 'investigating')
    buttons.push(button('Cancel', SlackActions.cancel, view.uuid, 'danger'));
  else buttons.push(button('Re-investigate', SlackActions.reinvestigate, view.uuid));
  if (view.dashboardUrl !== null)
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Open', emoji: true },
      action_id: SlackActions.open,
      url: view.dashboardUrl,
    });
  return buttons;
}

/**
 * The root message of an incident: title, severity, source, incident state, investigation
 * state, alerts, elapsed time, confidence, cost and the buttons for what can be done now.
 *
 * @example
 * ```ts
 * const { text, blocks } = incidentMessage(view, new Date());
 * ```
 */
export function incidentMessage(view: IncidentView, now: Date): SlackMessage {
  const title = escapeMrkdwn(view.title).slice(0, 500);
  const mark = SEVERITY_MARK[view.severity] ?? ':white_circle:';
  const state =
    view.state === 'acknowledged' && view.acknowledgedBy !== null
      ? `acknowledged by ${escapeMrkdwn(view.acknowledgedBy)}`
      : view.state === 'resolved' && view.resolvedBy !== null
        ? `resolved by ${escapeMrkdwn(view.resolvedBy)}`
        : view.state;
  const elapsed = formatElapsed((view.finishedAt ?? now).getTime() - view.createdAt.getTime());
  const fields = [
    `*Severity*\n${view.severity}`,
    `*Source*\n${escapeMrkdwn(view.source)}`,
    `*Incident*\n${state}`,
    `*Investigation*\n${STATUS_TEXT[view.status] ?? view.status} (${elapsed})`,
    `*Alerts*\n${view.firingCount} firing, ${view.alertCount - view.firingCount} resolved`,
    `*Confidence · cost*\n${view.confidence === null ? '–' : escapeMrkdwn(view.confidence)} · ${
      view.costUsd === null ? '–' : `$${view.costUsd.toFixed(2)}`
    }`,
  ];
  const heading = `${mark} *${view.state === 'resolved' ? `~${title}~` : title}*`;
  return {
    text: `[${view.severity}] ${view.title} (${view.state}, investigation ${view.status})`.slice(
      0,
      3000,
    ),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: heading } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      { type: 'actions', block_id: `incident:${view.uuid}`, elements: incidentButtons(view) },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Akmatori incident \`${view.uuid}\`` }],
      },
    ],
  };
}
