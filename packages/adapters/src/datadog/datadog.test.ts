import {
  alertProblems,
  checkAlertAdapterContract,
  fixtureFolder,
  fixtureProblems,
  mangledPayloadProblems,
  nonObjectBodies,
  parseFixture,
  parseWith,
  payloadErrorOf,
  testReceivedAt,
} from '@akmatori/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datadogAdapter } from './adapter.js';

const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
const parse = (name: string) => parseFixture(datadogAdapter, fixtures, name);
const parseBody = (body: unknown) =>
  parseWith(datadogAdapter, body, { receivedAt: testReceivedAt });
const keepTriggered = () =>
  fixtures.body('keep_real_log_alert_triggered_keep-api.json') as Record<string, unknown>;
/** Every real delivery of keep_real_deliveries_all.jsonl, parsed as JSON. */
const deliveries = readFileSync(`${fixtures.dir}keep_real_deliveries_all.jsonl`, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('datadogAdapter', () => {
  it('passes the adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(datadogAdapter)).toEqual([]);
  });

  it('reads a real triggered log monitor: monitor name, priority-less severity, scope, tags, link, time', () => {
    const [alert] = parse('keep_real_log_alert_triggered_keep-api.json');
    expect(alert).toMatchObject({
      name: 'Error monitor',
      status: 'firing',
      severity: 'high',
      rawSeverity: 'error',
      groupKey: 'monitor:160076582',
      service: 'keep-api',
      summary: '[Triggered on {service:keep-api}] Error monitor',
      sourceUrl: 'https://app.datadoghq.com/event/event?id=7879716234457967220',
      startsAt: new Date(1733930553000),
      labels: { monitor: '', service: 'keep-api' },
      annotations: {
        alert_query: 'logs("status:error").index("*").rollup("count").by("service").last("5m") > 0',
      },
      extra: {
        eventId: '7879716234457967220',
        monitorId: '160076582',
        transition: 'Triggered',
        alertType: 'error',
        eventType: 'log_alert',
        scope: 'service:keep-api',
        orgId: '831563',
        orgName: 'DPN | KeepHQ',
      },
    });
    expect(alert?.host).toBeUndefined();
    expect(alert?.description).toMatch(/^trace_id:/);
    expect(alert?.description).not.toContain('%%%');
    expect(alert?.endsAt).toBeUndefined();
  });

  it('resolves the same alert on Recovered: same fingerprint as the trigger, ended at the event date', () => {
    const [triggered] = parse('keep_real_log_alert_triggered_keep-api.json');
    const [recovered] = parse('keep_real_log_alert_recovered_keep-api.json');
    expect(recovered).toMatchObject({
      name: 'Error monitor',
      status: 'resolved',
      fingerprint: triggered?.fingerprint,
      groupKey: triggered?.groupKey,
      endsAt: new Date(1733930853000),
    });
  });

  it("pairs another monitor's trigger and recovery the same way, apart from the first monitor", () => {
    const [triggered] = parse('keep_real_log_alert_triggered_operational_error_db.json');
    const [recovered] = parse('keep_real_log_alert_recovered_operational_error_db.json');
    expect([triggered?.status, recovered?.status]).toEqual(['firing', 'resolved']);
    expect(recovered?.fingerprint).toBe(triggered?.fingerprint);
    expect(triggered?.fingerprint).not.toBe(
      parse('keep_real_log_alert_triggered_keep-api.json')[0]?.fingerprint,
    );
    expect(triggered).toMatchObject({
      name: 'OperationalError DB',
      service: 'keep-api-feature-grafana-legacy',
    });
  });

  it('reads the monitor priority P2 as high and trims the trailing space of the title', () => {
    const [triggered] = parse('keep_real_log_alert_triggered_p2.json');
    const [recovered] = parse('keep_real_log_alert_recovered_p2_trailing_space_title.json');
    expect(triggered).toMatchObject({
      name: 'Unauthorized access to API keep-api',
      severity: 'high',
      rawSeverity: 'P2',
      labels: { environment: 'production', service: 'keep-api' },
    });
    expect(recovered).toMatchObject({
      name: 'Unauthorized access to API',
      summary: '[P2] [Recovered] Unauthorized access to API',
      status: 'resolved',
      fingerprint: triggered?.fingerprint,
    });
  });

  it('keeps a Warn transition firing', () => {
    const [warn] = parse('keep_real_log_alert_warn_p2.json');
    expect(warn).toMatchObject({
      status: 'firing',
      extra: { transition: 'Warn', alertType: 'warning' },
    });
  });

  it('splits tags and scopes on the first colon only', () => {
    const [alert] = parse('keep_real_log_alert_triggered_db_monitor_colon_scope.json');
    expect(alert).toMatchObject({
      name: 'Somethine weird in DB',
      labels: { database_id: 'keephq-sandbox:keep', monitor: '' },
      extra: { scope: 'database_id:keephq-sandbox:keep' },
    });
  });

  it('reads a metric monitor with a richer template (Port docs): alert title, status text, host tag', () => {
    const [alert] = parse('port_docs_query_alert_monitor_triggered.json');
    expect(alert).toMatchObject({
      name: '[TEST] api-service with IP 172.19.128.1 have exceeded memory limit',
      status: 'firing',
      severity: 'high',
      groupKey: 'monitor:147793',
      host: 'api-service',
      summary: '[Triggered] [TEST] Service with IP 172.19.128.1 have exceeded memory limit',
      description: 'Webhook message text',
      sourceUrl: 'https://us5.datadoghq.com/event/event?id=7050278235293370890',
      startsAt: new Date(1684492195000),
      annotations: {
        alert_status:
          'system.mem.used over host:api-service was > 7516192768.0 on average during the last 5m.',
        alert_metric: 'system.mem.used',
      },
      extra: { orgId: '1300048894', orgName: 'Port' },
    });
  });

  it('reads tags given as a list, epoch seconds, alert_cycle_key as fingerprint, and a runbook link', () => {
    const [alert] = parse('akmatori_fixture_datadog_monitor.json');
    expect(alert).toMatchObject({
      name: 'High API Latency Detected',
      fingerprint: 'cycle-abc123',
      host: 'api-gateway-01',
      service: 'api-gateway',
      runbookUrl: 'https://runbooks.example.com/api-latency',
      startsAt: new Date(1705315800 * 1000),
      labels: {
        service: 'api-gateway',
        env: 'production',
        team: 'platform',
        host: 'api-gateway-01',
      },
    });
  });

  it('uses the aggregation key as fingerprint when there is no alert cycle key', () => {
    expect(
      parseBody({ ...keepTriggered(), aggreg_key: '9bd4ac313a4d1e8fae2482df7b77628' })[0]
        ?.fingerprint,
    ).toBe('9bd4ac313a4d1e8fae2482df7b77628');
  });

  it("reads Datadog's default payload (title, body, date, org, id only): trigger and recovery still match", () => {
    const defaultPayload = (name: string) => {
      const { body, last_updated, event_type, title, date, org, id } = fixtures.body(
        name,
      ) as Record<string, unknown>;
      return { body, last_updated, event_type, title, date, org, id };
    };
    const [triggered] = parseBody(defaultPayload('keep_real_log_alert_triggered_keep-api.json'));
    const [recovered] = parseBody(defaultPayload('keep_real_log_alert_recovered_keep-api.json'));
    expect(triggered).toMatchObject({
      name: 'Error monitor',
      status: 'firing',
      severity: 'warning',
      service: 'keep-api',
      labels: { service: 'keep-api' },
    });
    expect(recovered?.status).toBe('resolved');
    expect(recovered?.fingerprint).toBe(triggered?.fingerprint);
    expect(triggered?.groupKey).toBeUndefined();
  });

  it.each([
    ['Triggered', 'firing'],
    ['Re-Triggered', 'firing'],
    ['Warn', 'firing'],
    ['No Data', 'firing'],
    ['Renotify', 'firing'],
    ['Recovered', 'resolved'],
  ])('reads the transition %s as %s', (transition, status) => {
    expect(parseBody({ ...keepTriggered(), alert_transition: transition })[0]?.status).toBe(status);
  });

  it('resolves on alert_type success or a [Recovered] title when there is no transition field', () => {
    const { alert_transition: _t, ...rest } = keepTriggered();
    expect(parseBody({ ...rest, title: 'Error monitor', alert_type: 'success' })[0]?.status).toBe(
      'resolved',
    );
    expect(parseBody({ title: '[Recovered] Disk full', id: '1' })[0]?.status).toBe('resolved');
    expect(parseBody({ title: '[Triggered] Disk full', id: '1' })[0]?.status).toBe('firing');
  });

  it.each([
    ['P1', 'critical'],
    ['P2', 'high'],
    ['P3', 'warning'],
    ['P4', 'info'],
    ['P5', 'info'],
  ])('reads alert_priority %s as %s', (priority, severity) => {
    expect(parseBody({ ...keepTriggered(), alert_priority: priority })[0]).toMatchObject({
      severity,
      rawSeverity: priority,
    });
  });

  it('ignores the event priority "normal", which is not a monitor priority', () => {
    expect(parseBody({ title: 'x', priority: 'normal', alert_type: 'warning' })[0]).toMatchObject({
      severity: 'warning',
      rawSeverity: 'warning',
    });
  });

  describe('the real deliveries of keep_real_deliveries_all.jsonl', () => {
    it('reads every line into one valid alert', () => {
      expect(deliveries.length).toBe(43);
      for (const [line, delivery] of deliveries.entries()) {
        const alerts = parseBody(delivery);
        expect(alerts, `line ${line + 1}`).toHaveLength(1);
        expect(alertProblems(alerts), `line ${line + 1}`).toEqual([]);
      }
    });

    it('gives one fingerprint per monitor and group, shared by its triggers and recoveries', () => {
      const byGroup = new Map<string, Set<string>>();
      const statuses = new Map<string, Set<string>>();
      for (const delivery of deliveries) {
        const [alert] = parseBody(delivery);
        const group = `${String(delivery.monitor_id)} ${String(delivery.scopes)}`;
        byGroup.set(group, (byGroup.get(group) ?? new Set()).add(alert?.fingerprint ?? ''));
        statuses.set(group, (statuses.get(group) ?? new Set()).add(alert?.status ?? ''));
      }
      expect([...byGroup.values()].every((fingerprints) => fingerprints.size === 1)).toBe(true);
      const fingerprints = [...byGroup.values()].map((set) => [...set][0]);
      expect(new Set(fingerprints).size).toBe(byGroup.size);
      expect([...statuses.values()].some((set) => set.size === 2)).toBe(true);
    });
  });

  describe('refuses payloads it cannot read, with the reason', () => {
    it.each(nonObjectBodies)('a body that is %s', (_kind, body) => {
      expect(payloadErrorOf(() => parseWith(datadogAdapter, body)).message).toContain(
        'the body must be a JSON object',
      );
    });

    it('an empty object, or one without any title', () => {
      expect(payloadErrorOf(() => parseBody({})).message).toContain('the payload has no title');
      expect(
        payloadErrorOf(() => parseBody({ id: '1', title: '   ', tags: 'a:b' })).message,
      ).toContain('the payload has no title');
    });
  });

  describe('every fixture in fixtures/', () => {
    it('has real fixtures, each with a .source.txt saying where it came from', () => {
      expect(fixtures.names().length, `fixtures in ${fixtures.dir}`).toBeGreaterThan(0);
      expect(fixtures.withoutProvenance(), 'fixtures without provenance').toEqual([]);
    });

    it.each(fixtures.names())('reads %s into valid alerts, the same way twice', (name) => {
      expect(fixtureProblems(datadogAdapter, fixtures, name)).toEqual([]);
    });

    it('reads any field of any fixture damaged (other types, removed, cut, huge, odd Unicode), or refuses it with a payload error', () => {
      expect(mangledPayloadProblems(datadogAdapter, fixtures)).toEqual([]);
    });
  });
});
