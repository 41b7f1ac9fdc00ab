/**
 * Fills a stopped server's embedded database for the dashboard benchmark: copies of one real
 * incident (made through the API, so every column holds what the app writes) and thousands of
 * run events appended to one real run. Plain SQL on the same PGlite files the server opens.
 */
import { type Database, openEmbedded } from '@akmatori/host';

const severities = ['critical', 'high', 'warning', 'info'];

/** Column names of `table`, in order. */
async function columns(db: Database, table: string): Promise<string[]> {
  const result = await db.knex.raw<{ rows: { column_name: string }[] }>(
    `select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = ? order by ordinal_position`,
    [table],
  );
  return result.rows.map((row) => row.column_name);
}

/**
 * Adds `count` incidents, copies of `templateId` with their own id, title, severity and
 * creation time (one a minute, going back), and `events` run events (a command, then its
 * output, then a message, over and over, each its own timeline entry) to the run `runId`.
 */
export async function seedDashboardData(options: {
  dataDir: string;
  templateId: string;
  count: number;
  runId: string;
  events: number;
}): Promise<void> {
  const db = await openEmbedded({ dataDir: options.dataDir });
  try {
    const incidentColumns = await columns(db, 'incidents');
    const copied: Record<string, string> = {
      id: 'gen_random_uuid()',
      title: `'Bench incident #' || n`,
      severity: `(array['${severities.join("','")}'])[1 + n % ${severities.length}]`,
      created_at: `now() - make_interval(mins => n)`,
      updated_at: `now() - make_interval(mins => n)`,
      investigate_after: `now() - make_interval(mins => n)`,
    };
    await db.knex.raw(
      `insert into incidents (${incidentColumns.join(', ')})
       select ${incidentColumns.map((name) => copied[name] ?? `t.${name}`).join(', ')}
         from incidents t, generate_series(1, ?) as n
        where t.id = ?`,
      [options.count, options.templateId],
    );

    const last = await db.knex.raw<{ rows: { seq: number | null; incident_id: string }[] }>(
      `select r.incident_id, (select max(seq) from run_events where run_id = r.id) as seq
         from runs r where r.id = ?`,
      [options.runId],
    );
    const run = last.rows[0];
    if (run === undefined) throw new Error(`no run ${options.runId}`);
    const from = (run.seq ?? 0) + 1;
    // Each step n: a completed command with a few lines of output, or an agent message.
    await db.knex.raw(
      `insert into run_events (run_id, incident_id, seq, type, event, at)
       select ?, ?, ? + n,
              case when n % 3 = 0 then 'agent.message' else 'command.completed' end,
              case when n % 3 = 0
                then jsonb_build_object('type', 'agent.message', 'itemId', 'bench-' || n,
                       'text', 'bench step ' || n || ': the disk on db-' || (n % 7) || ' fills at 2 GB an hour; checking what writes.')
                else jsonb_build_object('type', 'command.completed', 'itemId', 'bench-' || n,
                       'command', 'df -h /var/lib/postgresql # bench step ' || n || ':',
                       'output', 'Filesystem Size Used Avail Use% Mounted on' || chr(10) || '/dev/sda1 100G ' || (n % 100) || 'G 10G 90% /',
                       'exitCode', 0, 'status', 'completed')
              end,
              now() - make_interval(secs => ? - n)
         from generate_series(1, ?) as n`,
      [options.runId, run.incident_id, from - 1, options.events, options.events],
    );
  } finally {
    await db.close();
  }
}
