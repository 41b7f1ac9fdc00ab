import { isAkmatoriError, type Logger } from '@akmatori/core';
import type { Repositories } from '@akmatori/host';
import { SlackActions, type SlackApi, type SlackIncidentNotifier } from '@akmatori/notifier-slack';
import type { App } from '@slack/bolt';
import type { Knex } from 'knex';
import type { OperatorAudit } from '../audit/operator-audit.js';
import type { Role } from '../auth/roles.js';
import type { Approvals } from '../gateway/approvals.js';
import type { IncidentLifecycle } from '../incidents/incident-lifecycle.js';
import type { ManualIncidents } from '../incidents/manual-incidents.js';
import { reinvestigate, type ReinvestigationDeps } from '../incidents/reinvestigation.js';
import type { RunControl } from '../runs/run-control.js';
import { slackActor, type SlackActor } from './slack-identity.js';
import type { SlackDatabaseStore } from './slack-message-store.js';
import { helpText, statusText } from './slack-texts.js';

/** The app's services the Slack buttons and commands act through. */
export interface SlackInboundDeps {
  readonly knex: Knex;
  readonly repositories: Pick<Repositories, 'incidents'>;
  readonly lifecycle: IncidentLifecycle;
  readonly reinvestigation: ReinvestigationDeps;
  readonly control: RunControl;
  readonly approvals: Approvals;
  readonly manual: ManualIncidents;
  readonly audit: OperatorAudit;
  readonly store: SlackDatabaseStore;
  readonly notifier: SlackIncidentNotifier;
  readonly log: Logger;
}

/** Where a reply to one person goes. */
interface Where {
  readonly channel: string;
  readonly user: string;
  readonly threadTs?: string | undefined;
}

const ACTION_PATTERN = new RegExp(
  `^(${Object.values(SlackActions)
    .filter((id) => id !== SlackActions.open)
    .join('|')})$`,
);

/** The role each button needs. */
const BUTTON_ROLE: Readonly<Record<string, Role>> = {
  [SlackActions.acknowledge]: 'responder',
  [SlackActions.resolve]: 'responder',
  [SlackActions.reinvestigate]: 'responder',
  [SlackActions.cancel]: 'responder',
  [SlackActions.approve]: 'responder',
  [SlackActions.deny]: 'responder',
};

/**
 * Slack's way in: the buttons on Akmatori's messages, `@akmatori` mentions and the
 * `/akmatori` command, each acknowledged at once and then carried out as the Akmatori user
 * linked to the Slack user (refused, privately, without the role), recorded in the operator
 * audit with the Slack user. Retried events are dropped by their `event_id`.
 */
export function registerSlackInbound(app: App, api: SlackApi, deps: SlackInboundDeps): void {
  const { log } = deps;
  const tell = async (where: Where, text: string): Promise<void> => {
    try {
      await api.call('chat.postEphemeral', {
        channel: where.channel,
        user: where.user,
        text,
        ...(where.threadTs === undefined ? {} : { thread_ts: where.threadTs }),
      });
    } catch (error) {
      log.warn({ err: error }, 'Slack ephemeral reply not posted');
    }
  };
  const audit = (
    actor: SlackActor,
    action: string,
    target: Record<string, unknown>,
    status: number,
  ): Promise<void> =>
    deps.audit.record({
      actor: {
        kind: 'user',
        id: actor.userId,
        name: actor.name,
        role: actor.role,
        sessionId: 'slack',
      },
      action: `SLACK ${action}`,
      target: { ...target, slack_user: actor.slackUser },
      status,
      clientAddress: undefined,
    });
  /** Runs `work` as the linked user with `role`; refusals and failures are told privately. */
  const asUser = async (
    where: Where,
    role: Role,
    action: string,
    target: Record<string, unknown>,
    work: (actor: SlackActor) => Promise<void>,
  ): Promise<void> => {
    const actor = await slackActor(api, deps.knex, where.user, role);
    if ('refused' in actor) {
      await tell(where, `:no_entry: ${actor.refused}`);
      return;
    }
    try {
      await work(actor);
      await audit(actor, action, target, 200);
    } catch (error) {
      const status = isAkmatoriError(error) ? error.statusCode : 500;
      await audit(actor, action, target, status);
      if (!isAkmatoriError(error)) log.error({ err: error, action }, 'Slack action failed');
      await tell(
        where,
        `:warning: ${isAkmatoriError(error) ? error.message : 'That did not work; see the Akmatori log.'}`,
      );
    }
  };

  // Slack retries an event it thinks was missed: handle each event id once, across replicas.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await deps.store.firstDelivery(eventId))) {
      log.debug({ eventId }, 'Slack event seen before: skipped');
      return;
    }
    await next();
  });

  app.action(SlackActions.open, async ({ ack }) => ack());
  app.action(ACTION_PATTERN, async ({ ack, body, action }) => {
    await ack();
    const click = body as unknown as {
      user: { id: string };
      channel?: { id: string };
      container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
    };
    const { action_id: actionId, value } = action as { action_id: string; value?: string };
    const where: Where = {
      channel: click.channel?.id ?? click.container?.channel_id ?? '',
      user: click.user.id,
      threadTs: click.container?.thread_ts,
    };
    const id = value ?? '';
    const verb = actionId.replace(/^akm_/, '');
    const isApproval = actionId === SlackActions.approve || actionId === SlackActions.deny;
    await asUser(
      where,
      BUTTON_ROLE[actionId] ?? 'admin',
      verb,
      isApproval ? { approval: id } : { incident: id },
      async (actor) => {
        const by = { kind: 'user' as const, userId: actor.userId, name: actor.name };
        switch (actionId) {
          case SlackActions.acknowledge:
            await deps.lifecycle.apply(id, 'acknowledge', by);
            break;
          case SlackActions.resolve:
            await deps.lifecycle.apply(id, 'resolve', by);
            break;
          case SlackActions.reinvestigate:
            await reinvestigate(deps.reinvestigation, id);
            break;
          case SlackActions.cancel:
            await deps.control.cancel(id, `user:${actor.name}`, { wait: false });
            break;
          default: {
            const decided = await deps.approvals.decide(id, {
              approve: actionId === SlackActions.approve,
              by: `user:${actor.name}`,
              byUserId: actor.userId,
              reason: `decided in Slack by <@${actor.slackUser}>`,
            });
            await deps.notifier.onApproval(decided.id);
            return;
          }
        }
        void deps.notifier.refresh(id);
      },
    );
  });

  app.event('app_mention', async ({ event, context }) => {
    const mention = event as {
      user?: string;
      channel: string;
      text: string;
      ts: string;
      thread_ts?: string;
    };
    if (mention.user === undefined) return;
    const text = mention.text.replaceAll(`<@${context.botUserId ?? ''}>`, '').trim();
    const where: Where = {
      channel: mention.channel,
      user: mention.user,
      threadTs: mention.thread_ts ?? mention.ts,
    };
    const incident =
      mention.thread_ts === undefined
        ? undefined
        : await deps.store.incidentOfThread(mention.channel, mention.thread_ts);
    if (text === '') {
      await tell(where, helpText());
      return;
    }
    if (incident !== undefined) {
      await asUser(where, 'responder', 'follow-up', { incident }, async () => {
        await deps.control.followUp(incident, text);
      });
      return;
    }
    await investigate(where, text);
  });

  const investigate = (where: Where, text: string): Promise<void> =>
    asUser(where, 'responder', 'investigate', { channel: where.channel }, async (actor) => {
      await deps.manual.create({
        task: text,
        context: { slack: { channel: where.channel, requested_by: actor.name } },
      });
    });

  app.command('/akmatori', async ({ ack, command }) => {
    await ack();
    const where: Where = { channel: command.channel_id, user: command.user_id };
    const [verb = 'help', ...rest] = command.text.trim().split(/\s+/);
    if (verb === 'status') {
      await asUser(where, 'viewer', 'status', {}, async () => {
        await tell(where, await statusText(deps.knex));
      });
      return;
    }
    if (verb === 'investigate' && rest.join(' ').trim() !== '') {
      await investigate(where, rest.join(' ').trim());
      return;
    }
    await tell(where, helpText());
  });
}
