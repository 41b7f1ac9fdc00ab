import { createHmac, randomUUID } from 'node:crypto';
import type { FakeSlackState } from './fake-slack-state.js';

/** What an Events API event callback carries around the event. */
export function eventCallback(
  state: FakeSlackState,
  event: Record<string, unknown>,
  eventId: string,
): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: state.teamId,
    api_app_id: state.appId,
    event: { event_ts: event.ts ?? state.nextTs(), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: state.teamId, user_id: state.botUserId, is_bot: true },
    ],
    is_ext_shared_channel: false,
  };
}

/** A button click on a message, as a `block_actions` interaction payload. */
export interface ButtonClick {
  readonly user: string;
  readonly channel: string;
  /** The ts of the message carrying the button. */
  readonly messageTs: string;
  readonly actionId: string;
  readonly value?: string;
  readonly blockId?: string;
}

/** The `block_actions` payload Slack sends for a button click. */
export function blockActions(state: FakeSlackState, click: ButtonClick): Record<string, unknown> {
  const message = state.message(click.channel, click.messageTs);
  const user = state.users.get(click.user);
  return {
    type: 'block_actions',
    user: {
      id: click.user,
      username: user?.name ?? click.user,
      name: user?.name,
      team_id: state.teamId,
    },
    api_app_id: state.appId,
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: click.messageTs,
      channel_id: click.channel,
      is_ephemeral: false,
      ...(message?.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    },
    trigger_id: `${Date.now()}.trigger`,
    team: { id: state.teamId, domain: 'akmatori-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: click.channel, name: state.channels.get(click.channel) ?? click.channel },
    message:
      message === undefined
        ? { ts: click.messageTs, type: 'message' }
        : {
            type: 'message',
            ts: message.ts,
            text: message.text,
            blocks: message.blocks,
            user: message.user,
            ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
          },
    response_url: `https://hooks.slack.invalid/actions/${randomUUID()}`,
    actions: [
      {
        action_id: click.actionId,
        block_id: click.blockId ?? 'akm',
        type: 'button',
        ...(click.value === undefined ? {} : { value: click.value }),
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A slash command invocation, as Slack posts its form fields. */
export function slashCommand(
  state: FakeSlackState,
  input: { user: string; channel: string; command: string; text: string },
): Record<string, string> {
  return {
    token: 'verification-token-unused',
    team_id: state.teamId,
    team_domain: 'akmatori-test',
    channel_id: input.channel,
    channel_name: state.channels.get(input.channel) ?? input.channel,
    user_id: input.user,
    user_name: state.users.get(input.user)?.name ?? input.user,
    command: input.command,
    text: input.text,
    api_app_id: state.appId,
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.invalid/commands/${randomUUID()}`,
    trigger_id: `${Date.now()}.trigger`,
  };
}

/** Slack's request signature: `v0=` hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
