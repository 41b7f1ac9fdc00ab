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

/**
 * Finds the Akmatori user behind a Slack user: by the e-mail address of their Slack profile
 * (`users.info`, scope `users:read.email`) matched against users' e-mail, case-insensitively.
 * A disabled user, an unknown address or a role below `needed` is refused.
 */
export async function slackActor(
  api: SlackApi,
  knex: Knex,
  slackUser: string,
  needed: Role,
): Promise<SlackActor | SlackRefusal> {
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
        'Akmatori cannot see your e-mail address in Slack, so it cannot tell which Akmatori user you are.',
    };
  const user = (await knex('users')
    .select('id', 'username', 'role', 'disabled_at')
    .whereRaw('lower(email) = lower(?)', [email])
    .orderBy('created_at')
    .first()) as { id: string; username: string; role: Role; disabled_at: Date | null } | undefined;
  if (user === undefined)
    return {
      refused: `No Akmatori user has the e-mail address of your Slack profile; an admin can set it on your Akmatori user.`,
    };
  if (user.disabled_at !== null) return { refused: 'Your Akmatori user is disabled.' };
  if (!roleAllows(user.role, needed))
    return {
      refused: `This needs the ${needed} role in Akmatori; your user ${user.username} is a ${user.role}.`,
    };
  return { userId: user.id, name: user.username, role: user.role, slackUser };
}
