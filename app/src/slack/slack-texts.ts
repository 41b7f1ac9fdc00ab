import { escapeMrkdwn } from '@akmatori/notifier-slack';
import type { Knex } from 'knex';

/** What `/akmatori help` and an empty mention answer. */
export function helpText(): string {
  return [
    '*Akmatori*',
    '• `/akmatori status`: the open incidents',
    '• `/akmatori investigate <what to look into>`: start an investigation here',
    "• `@akmatori <question>` in an incident's thread: ask a follow-up",
    '• `@akmatori <what to look into>` anywhere else: start an investigation',
  ].join('\n');
}

/** An ephemeral summary of the incidents not resolved, newest first. */
export async function statusText(knex: Knex): Promise<string> {
  const rows = (await knex('incidents')
    .select('id', 'title', 'severity', 'state', 'status')
    .whereNot('state', 'resolved')
    .orderBy('created_at', 'desc')
    .limit(15)) as { id: string; title: string; severity: string; state: string; status: string }[];
  const [{ count } = { count: 0 }] = (await knex('incidents')
    .whereNot('state', 'resolved')
    .count({ count: '*' })) as { count: number | string }[];
  if (rows.length === 0) return ':white_check_mark: No open incidents.';
  const lines = rows.map(
    (row) =>
      `• [${row.severity}] ${escapeMrkdwn(row.title).slice(0, 150)}: ${row.state}, investigation ${row.status}`,
  );
  const total = Number(count);
  return [
    `*${total} open incident${total === 1 ? '' : 's'}*`,
    ...lines,
    ...(total > rows.length ? [`…and ${total - rows.length} more`] : []),
  ].join('\n');
}
