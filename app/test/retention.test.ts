import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppTokens, resolve } from '../src/container.js';
import { createApp, type AkmatoriApp } from '../src/create-app.js';
import { InvestigationQueue } from '../src/incidents/investigation-queue.js';
import { RetentionJob, type RetentionOutcome } from '../src/retention/retention-job.js';
import { RetentionPruner } from '../src/retention/retention-pruner.js';
import { RetentionSettings } from '../src/retention/retention-settings.js';
import { bearer, capturedLogger, setUpAdmin } from './helpers.js';
import { eventually } from './support/eventually.js';
import { ago, RetentionFixtures } from './support/retention-fixtures.js';

let host: TestHost;
let app: AkmatoriApp;
let admin: Record<string, string>;
let logs: () => string;

/** Boots the real app on a throwaway embedded database, keeping hold of its container. */
async function boot(): Promise<void> {
  const captured = capturedLogger();
  logs = captured.text;
  host = await createTestHost({
    log: captured.log,
    app: async (options) => (app = await createApp(options)),
  });
  admin = bearer(await setUpAdmin(host));
}

const api = (method: 'GET' | 'PUT', payload?: Record<string, unknown>) =>
  host.inject({
    method,
    url: '/api/settings/retention',
    headers: admin,
    ...(payload === undefined ? {} : { payload }),
  });

const windows = {
  run_events_days: 10,
  model_usage_days: 20,
  alert_events_days: 5,
  resolved_incidents_days: 30,
  tool_calls_days: 60,
};

/** Every outcome `job` reports from now on, in order. */
function outcomesOf(job: RetentionJob): RetentionOutcome[] {
  const outcomes: RetentionOutcome[] = [];
  job.onRun((outcome) => outcomes.push(outcome));
  return outcomes;
}

const reports = (outcomes: RetentionOutcome[]) =>
  outcomes.flatMap((outcome) => ('report' in outcome ? [outcome.report] : []));

/** Retention jobs the queue still has waiting or going. */
async function retentionJobsInFlight(): Promise<number> {
  const { rows } = await host.database.executeSql<{ n: string | number }>(
    "select count(*) as n from pgboss.job where name = 'retention' and state in ('created', 'retry', 'active')",
  );
  return Number(rows[0]?.n);
}

describe('retention settings (GET|PUT /api/settings/retention)', () => {
  beforeAll(boot);
  afterAll(async () => host.close());

  it('answer the defaults until changed', async () => {
    const response = await api('GET');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      run_events_days: 90,
      model_usage_days: 90,
      alert_events_days: 30,
      resolved_incidents_days: 180,
      tool_calls_days: 365,
      eval_runs_days: 365,
    });
  });

  it('store what is sent, fill what is left out with its default, and take null as keep forever', async () => {
    const put = await api('PUT', { run_events_days: 7, tool_calls_days: null });
    expect(put.statusCode, put.body).toBe(200);
    const expected = {
      run_events_days: 7,
      model_usage_days: 90,
      alert_events_days: 30,
      resolved_incidents_days: 180,
      tool_calls_days: null,
      eval_runs_days: 365,
    };
    expect(put.json()).toEqual(expected);
    expect((await api('GET')).json()).toEqual(expected);
  });

  it.each([
    ['zero days', { run_events_days: 0 }, /run_events_days/],
    ['negative days', { model_usage_days: -5 }, /model_usage_days/],
    ['a fraction', { alert_events_days: 1.5 }, /alert_events_days/],
    ['text', { resolved_incidents_days: 'forever' }, /resolved_incidents_days/],
    ['more than 100 years', { run_events_days: 36_501 }, /run_events_days/],
    ['an unknown field', { incidents_days: 5 }, /must NOT have additional properties/],
    ['an audit kept under 30 days', { tool_calls_days: 29 }, /tool_calls_days/],
    [
      'an audit kept shorter than the incidents it names',
      {
        run_events_days: 30,
        model_usage_days: 30,
        alert_events_days: 30,
        resolved_incidents_days: 90,
        tool_calls_days: 60,
      },
      /tool_calls_days \(60\) must be at least resolved_incidents_days \(90\)/,
    ],
    [
      'an audit kept shorter than a default it leaves in force',
      { tool_calls_days: 100 },
      /tool_calls_days \(100\) must be at least resolved_incidents_days \(180\)/,
    ],
  ])('refuse %s with 400 and keep what was stored', async (_case, body, reason) => {
    const before = (await api('GET')).json();
    const response = await api('PUT', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(reason);
    expect((await api('GET')).json()).toEqual(before);
  });

  it('keep eval runs longer than the audit: they name no audited tool call', async () => {
    const response = await api('PUT', { tool_calls_days: 365, eval_runs_days: 1000 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ tool_calls_days: 365, eval_runs_days: 1000 });
  });
});

describe('the retention job', () => {
  beforeEach(boot);
  afterEach(async () => host.close());

  it('runs through the queue, deletes what is old and nothing else, and runs once per period', async () => {
    expect((await api('PUT', windows)).statusCode).toBe(200);
    const now = host.clock.now();
    const fixtures = new RetentionFixtures(host.database);
    const closedOld = await fixtures.incident({
      status: 'completed',
      changedAt: ago(now, 30, 1),
      alertsResolvedAt: ago(now, 30, 1),
    });
    const closedRecently = await fixtures.incident({
      status: 'completed',
      changedAt: ago(now, 30, -1),
      alertsResolvedAt: ago(now, 30, -1),
    });
    const stillFiring = await fixtures.incident({ status: 'failed', changedAt: ago(now, 400) });
    const keptEvent = await fixtures.runEvent(
      closedRecently.runId,
      closedRecently.incidentId,
      ago(now, 10, -1),
      2,
    );
    await fixtures.modelUsage(ago(now, 20, 1));
    const agesNextHour = await fixtures.modelUsage(ago(now, 20, -0.5));
    await fixtures.alertEvent(ago(now, 5, 1), true);
    const keptAlertEvent = await fixtures.alertEvent(ago(now, 5, -1), true);
    await fixtures.toolCall(ago(now, 60, 1));
    const keptCall = await fixtures.toolCall(ago(now, 60, -1));
    await fixtures.slackEvent('EvHANDLED_YESTERDAY', ago(now, 1, 1));
    await fixtures.slackEvent('EvHANDLED_TODAY', ago(now, 0, 1));

    const job = resolve(app.container, AppTokens.RetentionJob);
    const outcomes = outcomesOf(job);
    expect(await job.tick(), 'a new period enqueues a run').toBe(true);
    await eventually(() => expect(reports(outcomes)).toHaveLength(1));
    expect(reports(outcomes)[0]?.pruned).toEqual({
      run_events: 2,
      run_recordings: 0,
      model_usage: 1,
      alert_events: 1,
      incidents: 1,
      incident_alerts: 1,
      incident_runs: 1,
      incident_approvals: 1,
      tool_calls: 1,
      audit_events: 0,
      slack_events: 1,
      eval_runs: 0,
    });
    expect((await fixtures.ids('incidents')).sort()).toEqual(
      [closedRecently.incidentId, stillFiring.incidentId].sort(),
    );
    expect(await fixtures.countFor('runs', closedOld.incidentId)).toBe(0);
    expect(await fixtures.ids('run_events')).toEqual([keptEvent]);
    expect(await fixtures.ids('model_usage')).toEqual([agesNextHour]);
    expect(await fixtures.ids('alert_events')).toEqual([keptAlertEvent]);
    expect(await fixtures.ids('tool_calls')).toEqual([keptCall]);
    expect(await fixtures.slackEventIds()).toEqual(['EvHANDLED_TODAY']);
    await eventually(async () => expect(await retentionJobsInFlight()).toBe(0));
    const { rows } = await host.database.executeSql<{ state: string }>(
      "select state from pgboss.job where name = 'retention'",
    );
    expect(rows.map((row) => row.state)).toEqual(['completed']);
    expect(logs()).toMatch(/"msg":"retention: old records pruned"/);
    expect(logs()).toMatch(/"pruned":\{"run_events":2,"model_usage":1,/);

    expect(await job.tick(), 'the same period does not run again').toBe(false);

    host.clock.advance(3_600_000);
    expect(await job.tick(), 'the next period runs').toBe(true);
    await eventually(() => expect(reports(outcomes)).toHaveLength(2));
    expect(reports(outcomes)[1]?.pruned.model_usage, 'what aged since the last run').toBe(1);
    expect(await fixtures.ids('model_usage')).toEqual([]);
    expect(await fixtures.ids('tool_calls')).toEqual([keptCall]);
  });

  it('prunes once per period however many replicas enqueue it', async () => {
    const fixtures = new RetentionFixtures(host.database);
    for (let i = 0; i < 3; i++) await fixtures.modelUsage(ago(host.clock.now(), 400));
    const { log } = capturedLogger();
    const otherQueue = new InvestigationQueue(host.database, log);
    await otherQueue.start();
    const other = new RetentionJob({
      database: host.database,
      queue: otherQueue,
      settings: new RetentionSettings(host.repositories.settings, host.clock),
      pruner: new RetentionPruner(host.database),
      clock: host.clock,
      intervalSeconds: 3600,
      log,
    });
    try {
      await other.start();
      const job = resolve(app.container, AppTokens.RetentionJob);
      const all = { mine: outcomesOf(job), other: outcomesOf(other) };

      const sent = await Promise.all([job.tick(), other.tick(), job.tick(), other.tick()]);
      expect(sent.filter(Boolean).length, 'at least one replica enqueued a run').toBeGreaterThan(0);
      await eventually(() =>
        expect(reports([...all.mine, ...all.other]).length).toBeGreaterThan(0),
      );
      await eventually(async () => expect(await retentionJobsInFlight()).toBe(0));

      const pruned = reports([...all.mine, ...all.other]);
      expect(pruned, 'exactly one run pruned this period').toHaveLength(1);
      expect(pruned[0]?.pruned.model_usage).toBe(3);
      expect(await Promise.all([job.tick(), other.tick()])).toEqual([false, false]);
    } finally {
      other.stop();
      await otherQueue.stop();
    }
  });
});
