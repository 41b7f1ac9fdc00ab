import { SlackActions } from './incident-message.js';
import type { ApprovalView, SlackMessage } from './incident-view.js';
import { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './mrkdwn.js';

/** Slack allows 3,000 characters per section; stay under it. */
const SECTION_CHARS = 2900;
/** Slack refuses messages whose blocks hold about 13k characters in all (bolt-js #2509). */
const MESSAGE_CHARS = 11_000;

const section = (text: string): Record<string, unknown> => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
});

/** A one-line milestone in the thread. */
export function milestoneMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * The report (Markdown) as mrkdwn sections within Slack's limits. A report too long for one
 * message is cut at a section boundary and ends with a link to the full report.
 *
 * @example
 * ```ts
 * const message = reportMessage('Report', report, 'https://akmatori.example/incidents/…');
 * ```
 */
export function reportMessage(
  heading: string,
  markdown: string,
  fullReportUrl: string | null,
): SlackMessage {
  const pieces = splitMrkdwn(markdownToMrkdwn(markdown), SECTION_CHARS);
  const blocks: Record<string, unknown>[] = [section(`*${escapeMrkdwn(heading)}*`)];
  let used = heading.length;
  let cut = false;
  for (const piece of pieces) {
    if (used + piece.length > MESSAGE_CHARS || blocks.length >= 45) {
      cut = true;
      break;
    }
    blocks.push(section(piece));
    used += piece.length;
  }
  if (cut)
    blocks.push(
      section(
        fullReportUrl === null
          ? '_The report is longer than Slack allows; read it in the Akmatori dashboard._'
          : `_The report goes on: <${fullReportUrl}|read it in full in Akmatori>._`,
      ),
    );
  const plain = markdown.replace(/\s+/g, ' ').trim();
  return { text: `${heading}: ${plain.slice(0, 300)}${plain.length > 300 ? '…' : ''}`, blocks };
}

const when = (date: Date): string =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time_secs}|${date.toISOString()}>`;

/**
 * An approval request: the command, the hosts and the expiry with Approve / Deny buttons
 * while it is pending; after a decision the buttons give way to who decided and when.
 *
 * @example
 * ```ts
 * const message = approvalMessage(approval);
 * ```
 */
export function approvalMessage(approval: ApprovalView): SlackMessage {
  const hosts =
    approval.hosts.length === 0 ? '' : `\n*Hosts:* ${approval.hosts.map(escapeMrkdwn).join(', ')}`;
  const command = approval.summary.slice(0, 2000).replaceAll('```', "'''");
  const body = `:lock: *Approval needed* for \`${escapeMrkdwn(approval.tool)}\`\n\`\`\`${escapeMrkdwn(command)}\`\`\`${hosts}`;
  const blocks: Record<string, unknown>[] = [section(body)];
  if (approval.status === 'pending') {
    blocks.push(section(`Expires ${when(approval.expiresAt)}`));
    blocks.push({
      type: 'actions',
      block_id: `approval:${approval.id}`,
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          action_id: SlackActions.approve,
          value: approval.id,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Deny' },
          style: 'danger',
          action_id: SlackActions.deny,
          value: approval.id,
        },
      ],
    });
  } else {
    const verb =
      approval.status === 'expired'
        ? 'Expired'
        : approval.status === 'approved'
          ? ':white_check_mark: Approved'
          : ':no_entry: Denied';
    const by = approval.decidedBy === null ? '' : ` by ${escapeMrkdwn(approval.decidedBy)}`;
    const at = approval.decidedAt === null ? '' : ` ${when(approval.decidedAt)}`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${verb}${by}${at}` }] });
  }
  return { text: `Approval ${approval.status}: ${approval.summary.slice(0, 200)}`, blocks };
}
