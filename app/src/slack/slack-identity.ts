import type { SlackApi } from '@akmatori/notifier-slack';
import type { Knex } from 'knex';
import { roleAllows, type Role } from '../auth/roles.js';

/** The Akmatori user a Slack user acts as. */
export interface SlackActor {
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  /** The Slack user id (`U…`), for the audit. */
  readonly slackUser: string;
}

/** Who may not act, and why (shown to them, ephemeral). */
export interface SlackRefusal {
  readonly refused: string;
}

type LinkedUser = { id: string; username: string; role: Role; disabled_at: Date | null };

/**
 * Finds the Akmatori user behind a Slack user: the one an admin linked to it
 * (`users.slack_user_id`), or else the one whose e-mail address is that of the Slack profile
 * (`users.info`, scope `users:read.email`), case-insensitively. A disabled user, no match or a
 * role below `needed` is refused.
 */
export async function slackActor(
  api: SlackApi,
  knex: Knex,
  slackUser: string,
  needed: Role,
): Promise<SlackActor | SlackRefusal> {
  const columns = ['id', 'username', 'role', 'disabled_at'];
  let user = (await knex('users').select(columns).where({ slack_user_id: slackUser }).first()) as
    LinkedUser | undefined;
  if (user === undefined) {
    let email: string | undefined;
    try {
      const answer = (await api.call('users.info', { user: slackUser })) as {
        user?: { profile?: { email?: string } };
      };
      email = answer.user?.profile?.email;
    } catch {
      email = undefined;
    }
    if (email === undefined || email === '')
      return {
        refused:
          'Akmatori cannot see your e-mail address in Slack, so it cannot tell which Akmatori user you are; an admin can link your Slack member id to your Akmatori user.',
      };
    user = (await knex('users')
      .select(columns)
      .whereRaw('lower(email) = lower(?)', [email])
      .orderBy('created_at')
      .first()) as LinkedUser | undefined;
  }
  if (user === undefined)
    return {
      refused: `No Akmatori user has the e-mail address of your Slack profile or your Slack member id (${slackUser}); an admin can set either on your Akmatori user.`,
    };
  if (user.disabled_at !== null) return { refused: 'Your Akmatori user is disabled.' };
  if (!roleAllows(user.role, needed))
    return {
      refused: `This needs the ${needed} role in Akmatori; your user ${user.username} is a ${user.role}.`,
    };
  return { userId: user.id, name: user.username, role: user.role, slackUser };
}
