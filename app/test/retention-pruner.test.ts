import { type Database, type DatabaseBackend, dumpEmbedded, openEmbedded } from '@akmatori/host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, openTestDatabase } from '@akmatori/test-support/databases';
import { RetentionPruner } from '../src/retention/retention-pruner.js';
import type { StoredRetention } from '../src/retention/retention-settings.js';
import { ago, RetentionFixtures } from './support/retention-fixtures.js';

const retention: StoredRetention = {
  run_events_days: 10,
  model_usage_days: 20,
  alert_events_days: 5,
  resolved_incidents_days: 30,
  tool_calls_days: 60,
  eval_runs_days: 100,
};

let migratedImage: Promise<Blob> | undefined;

/** A new migrated database; embedded ones start from one image migrated once per file. */
async function migratedDatabase(backend: DatabaseBackend): Promise<Database> {
  if (backend === 'embedded') {
    migratedImage ??= (async () => {
      const db = await openTestDatabase('embedded');
      await db.migrate();
      const image = await dumpEmbedded(db);
      await db.close();
      return image;
    })();
    return openEmbedded({ image: await migratedImage });
  }
  const db = await openTestDatabase(backend);
  await db.migrate();
  return db;
}

describe.each(backends)('retention on the %s backend', (backend) => {
  let database: Database;
  let fixtures: RetentionFixtures;
  const now = new Date();

  beforeEach(async () => {
    database = await migratedDatabase(backend);
    fixtures = new RetentionFixtures(database);
  });
  afterEach(async () => {
    await database.close();
  });

  it('deletes run events, model usage, applied alert events and audit records past their windows, and keeps those just inside', async () => {
    const { incidentId, runId } = await fixtures.incident({
      status: 'investigating',
      changedAt: ago(now, 400),
    });
    await fixtures.runEvent(runId, incidentId, ago(now, 10, 1), 2);
    const keptEvent = await fixtures.runEvent(runId, incidentId, ago(now, 10, -1), 3);
    await fixtures.runRecording(runId, incidentId, ago(now, 10, 1));
    const keptRecording = await fixtures.runRecording(runId, incidentId, ago(now, 10, -1));
    await fixtures.modelUsage(ago(now, 20, 1));
    const keptUsage = await fixtures.modelUsage(ago(now, 20, -1));
    await fixtures.alertEvent(ago(now, 5, 1), true);
    const keptAlertEvent = await fixtures.alertEvent(ago(now, 5, -1), true);
    const unapplied = await fixtures.alertEvent(ago(now, 100), false);
    await fixtures.toolCall(ago(now, 60, 1));
    const keptCall = await fixtures.toolCall(ago(now, 60, -1));
    await fixtures.operatorAuditEntry(ago(now, 60, 1));
    const keptEntry = await fixtures.operatorAuditEntry(ago(now, 60, -1));
    await fixtures.evalRun(ago(now, 100, 1));
    const keptEvalRun = await fixtures.evalRun(ago(now, 100, -1));

    const report = await new RetentionPruner(database).prune(retention, now);

    expect(
      await fixtures.ids('run_events'),
      'the run of an open incident loses only its old events',
    ).toEqual([keptEvent]);
    expect(
      await fixtures.ids('run_recordings'),
      'its recording goes after run_events_days too',
    ).toEqual([keptRecording]);
    expect(await fixtures.ids('model_usage')).toEqual([keptUsage]);
    expect(await fixtures.ids('alert_events'), 'an alert event not yet applied is kept').toEqual([
      keptAlertEvent,
      unapplied,
    ]);
    expect(await fixtures.ids('tool_calls')).toEqual([keptCall]);
    expect(
      await fixtures.ids('audit_events'),
      'the operator audit is kept like the tool audit',
    ).toEqual([keptEntry]);
    expect(
      await fixtures.ids('eval_runs'),
      'eval runs go after eval_runs_days, longer than the audit',
    ).toEqual([keptEvalRun]);
    expect(
      await database.knex('eval_results').pluck('run_id'),
      'an eval run takes its results with it',
    ).toEqual([keptEvalRun]);
    expect(await database.knex('eval_result_skills').pluck('skill_version')).toHaveLength(1);
    expect(report.pruned).toMatchObject({
      eval_runs: 1,
      audit_events: 1,
      run_events: 2,
      run_recordings: 1,
      model_usage: 1,
      alert_events: 1,
      tool_calls: 1,
      incidents: 0,
    });
    expect(report.unfinished).toEqual([]);
  });

  it('deletes incidents closed longer ago than the window with their alerts, runs, events, sessions and approvals, and never an open one', async () => {
    const closedOld = await fixtures.incident({
      status: 'completed',
      changedAt: ago(now, 30, 1),
      alertsResolvedAt: ago(now, 30, 1),
    });
    const manualOld = await fixtures.incident({
      status: 'failed',
      changedAt: ago(now, 31),
      manual: true,
    });
    const kept = {
      closedRecently: await fixtures.incident({
        status: 'completed',
        changedAt: ago(now, 30, -1),
        alertsResolvedAt: ago(now, 30, -1),
      }),
      alertsResolvedRecently: await fixtures.incident({
        status: 'cancelled',
        changedAt: ago(now, 400),
        alertsResolvedAt: ago(now, 2),
      }),
      stillFiring: await fixtures.incident({ status: 'completed', changedAt: ago(now, 400) }),
      investigating: await fixtures.incident({
        status: 'investigating',
        changedAt: ago(now, 400),
        alertsResolvedAt: ago(now, 400),
        runStatus: 'running',
      }),
      pending: await fixtures.incident({
        status: 'pending',
        changedAt: ago(now, 400),
        alertsResolvedAt: ago(now, 400),
        runStatus: 'queued',
      }),
      followUpQueued: await fixtures.incident({
        status: 'completed',
        changedAt: ago(now, 400),
        alertsResolvedAt: ago(now, 400),
        runStatus: 'queued',
      }),
    };

    const report = await new RetentionPruner(database, { incidentBatchSize: 1 }).prune(
      { ...retention, run_events_days: null, tool_calls_days: null },
      now,
    );

    const incidents = await fixtures.ids('incidents');
    expect(incidents.sort()).toEqual(
      Object.values(kept)
        .map((i) => i.incidentId)
        .sort(),
    );
    for (const gone of [closedOld, manualOld])
      for (const table of ['alerts', 'runs', 'run_events', 'run_sessions', 'approvals'])
        expect(
          await fixtures.countFor(table, gone.incidentId),
          `${table} of a pruned incident`,
        ).toBe(0);
    expect(await fixtures.ids('alerts'), 'the alerts of the kept incidents only').toHaveLength(6);
    for (const [name, incident] of Object.entries(kept))
      expect(await fixtures.countFor('runs', incident.incidentId), `${name} keeps its run`).toBe(1);
    expect(report.pruned).toMatchObject({
      incidents: 2,
      incident_alerts: 1,
      incident_runs: 2,
      incident_approvals: 2,
      run_events: 0,
    });
  });

  it('keeps everything whose setting is null, and stops after its batch allowance, leaving the rest for the next run', async () => {
    for (let i = 0; i < 5; i++) await fixtures.modelUsage(ago(now, 400));
    await fixtures.toolCall(ago(now, 400));
    const oldEvalRun = await fixtures.evalRun(ago(now, 4000));
    const forever = {
      run_events_days: null,
      model_usage_days: null,
      alert_events_days: null,
      resolved_incidents_days: null,
      tool_calls_days: null,
      eval_runs_days: null,
    };
    expect((await new RetentionPruner(database).prune(forever, now)).pruned.model_usage).toBe(0);
    expect(await fixtures.ids('model_usage')).toHaveLength(5);

    const bounded = new RetentionPruner(database, { batchSize: 2, maxBatches: 2 });
    const first = await bounded.prune({ ...forever, model_usage_days: 1 }, now);
    expect(first.pruned.model_usage).toBe(4);
    expect(first.unfinished).toEqual(['model_usage']);
    const second = await bounded.prune({ ...forever, model_usage_days: 1 }, now);
    expect(second.pruned.model_usage).toBe(1);
    expect(second.unfinished).toEqual([]);
    expect(await fixtures.ids('tool_calls'), 'the audit is kept forever').toHaveLength(1);
    expect(await fixtures.ids('eval_runs'), 'eval runs are kept forever').toEqual([oldEvalRun]);
  });

  it('forgets handled Slack event ids after a day, whatever the settings', async () => {
    await fixtures.slackEvent('EvOLD', ago(now, 1, 1));
    await fixtures.slackEvent('EvRECENT', ago(now, 0, 23));
    const forever = {
      run_events_days: null,
      model_usage_days: null,
      alert_events_days: null,
      resolved_incidents_days: null,
      tool_calls_days: null,
      eval_runs_days: null,
    };
    const report = await new RetentionPruner(database).prune(forever, now);
    expect(report.pruned.slack_events).toBe(1);
    expect(await fixtures.slackEventIds(), 'a retry may still come within the day').toEqual([
      'EvRECENT',
    ]);
  });
});

describe.each(backends)('the tool call audit on the %s backend', (backend) => {
  let database: Database;
  let fixtures: RetentionFixtures;
  const now = new Date();

  beforeEach(async () => {
    database = await migratedDatabase(backend);
    fixtures = new RetentionFixtures(database);
  });
  afterEach(async () => {
    await database.close();
  });

  for (const audit of [
    { table: 'tool_calls', column: 'status', add: (at: Date) => fixtures.toolCall(at) },
    {
      table: 'audit_events',
      column: 'action',
      add: (at: Date) => fixtures.operatorAuditEntry(at),
    },
  ]) {
    it(`refuses a plain DELETE, UPDATE and TRUNCATE of ${audit.table}, even of old records`, async () => {
      const id = await audit.add(ago(now, 400));
      await expect(database.executeSql(`delete from ${audit.table}`)).rejects.toThrow(
        /insert-only/,
      );
      await expect(
        database.executeSql(`update ${audit.table} set ${audit.column} = 'x'`),
      ).rejects.toThrow(/insert-only/);
      await expect(database.executeSql(`truncate ${audit.table}`)).rejects.toThrow(/insert-only/);
      expect(await fixtures.ids(audit.table)).toEqual([id]);
    });

    it(`refuses, even with the retention job's setting, an UPDATE of ${audit.table} or the DELETE of a record younger than 30 days`, async () => {
      const young = await audit.add(ago(now, 29));
      const old = await audit.add(ago(now, 400));
      const withSetting = (statement: string) =>
        database.transaction(async (sql) => {
          await sql("select set_config('akmatori.retention', 'on', true)");
          await sql(statement);
        });
      await expect(withSetting(`delete from ${audit.table} where id = ${young}`)).rejects.toThrow(
        /insert-only/,
      );
      await expect(
        withSetting(`update ${audit.table} set ${audit.column} = 'x' where id = ${old}`),
      ).rejects.toThrow(/insert-only/);
      await expect(withSetting(`truncate ${audit.table}`)).rejects.toThrow(/insert-only/);
      expect(await fixtures.ids(audit.table)).toEqual([young, old]);
    });
  }

  it("lets the retention job's transaction delete old records, and the permission ends with it", async () => {
    const young = await fixtures.toolCall(ago(now, 29));
    await fixtures.toolCall(ago(now, 400));
    const report = await new RetentionPruner(database).prune(
      {
        run_events_days: null,
        model_usage_days: null,
        alert_events_days: null,
        resolved_incidents_days: null,
        tool_calls_days: 1,
        eval_runs_days: null,
      },
      now,
    );
    expect(report.pruned.tool_calls, 'deleted: the 400-day-old record only').toBe(1);
    expect(await fixtures.ids('tool_calls')).toEqual([young]);

    await fixtures.toolCall(ago(now, 400));
    await expect(
      database.executeSql('delete from tool_calls'),
      'the setting did not outlive the job transaction',
    ).rejects.toThrow(/insert-only/);
  });
});
