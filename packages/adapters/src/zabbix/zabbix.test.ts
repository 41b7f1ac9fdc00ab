import {
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
import { describe, expect, it } from 'vitest';
import { zabbixAdapter } from './adapter.js';

const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
const parse = (name: string) => parseFixture(zabbixAdapter, fixtures, name);
const parseBody = (body: unknown) => parseWith(zabbixAdapter, body, { receivedAt: testReceivedAt });
const problem = () =>
  fixtures.body('akmatori_fixture_zabbix_problem.json') as Record<string, unknown>;
const withFields = (fields: Record<string, unknown>) => parseBody({ ...problem(), ...fields })[0];

describe('zabbixAdapter', () => {
  it('passes the adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(zabbixAdapter)).toEqual([]);
  });

  describe('the Akmatori media type', () => {
    it('reads a problem: name, severity, host, event id, time, expression, metric and runbook', () => {
      expect(parse('akmatori_fixture_zabbix_problem.json')).toEqual([
        {
          name: 'CPU Load High',
          status: 'firing',
          severity: 'high',
          rawSeverity: 'High',
          fingerprint: '12345',
          host: 'db-server-01',
          summary: 'CPU Load High',
          runbookUrl: 'https://runbooks.example.com/cpu-load',
          startsAt: new Date('2024-01-15T10:30:00Z'),
          labels: {},
          annotations: {
            trigger_expression: '{host:system.cpu.load[percpu,avg1].avg(5m)}>5',
            metric_name: 'system.cpu.load[percpu,avg1]',
            metric_value: '8.5',
            pending_duration: '5m',
          },
          extra: { eventId: '12345', priority: '4' },
        },
      ]);
    });

    it('resolves the same alert with the recovery, ending it at the recovery time', () => {
      const [alert] = parse('akmatori_media_type_resolved_handwritten.json');
      expect(alert).toMatchObject({
        name: 'CPU Load High',
        status: 'resolved',
        fingerprint: parse('akmatori_fixture_zabbix_problem.json')[0]?.fingerprint,
        startsAt: new Date('2024-01-15T10:30:00Z'),
        endsAt: new Date('2024-01-15T10:52:00Z'),
        extra: { eventId: '12345', recoveryEventId: '12360' },
      });
    });

    it('pairs a real Zabbix 6.0 problem and its recovery by the problem event id', () => {
      const [problemAlert] = parse('captured_zabbix60_problem.json');
      const [recovery] = parse('captured_zabbix60_resolved.json');
      expect([problemAlert?.status, recovery?.status]).toEqual(['firing', 'resolved']);
      expect(recovery?.fingerprint).toBe(problemAlert?.fingerprint);
      expect(recovery?.startsAt).toEqual(problemAlert?.startsAt);
      expect(recovery?.endsAt?.getTime()).toBeGreaterThanOrEqual(
        recovery?.startsAt?.getTime() ?? 0,
      );
      expect(recovery?.extra?.recoveryEventId).toBeDefined();
    });

    it('fires when no event status is sent (the akmatori test script)', () => {
      const [alert] = parse('akmatori_test_script_zabbix_payload.json');
      expect(alert).toMatchObject({
        name: 'High CPU usage on hypervisor',
        status: 'firing',
        host: 'F0-HOST-104',
        startsAt: new Date('2025-11-12T20:00:00Z'),
        annotations: { pending_duration: '5m 30s', metric_value: '95.5' },
      });
      expect(alert?.runbookUrl).toBeUndefined();
    });

    it.each([
      ['PROBLEM', 'firing'],
      ['RESOLVED', 'resolved'],
      ['Resolved', 'resolved'],
      ['OK', 'resolved'],
    ])('reads event_status %s as %s', (eventStatus, status) => {
      expect(withFields({ event_status: eventStatus })?.status).toBe(status);
    });

    it('resolves a recovery whose status did not expand, as the media type sends it (recovery_event_id present)', () => {
      expect(withFields({ event_status: '', recovery_event_id: '' })?.status).toBe('resolved');
      expect(withFields({ event_status: '{EVENT.STATUS}', event_value: '0' })?.status).toBe(
        'resolved',
      );
    });

    it.each([
      ['0', 'Not classified', 'info'],
      ['1', 'Information', 'info'],
      ['2', 'Warning', 'warning'],
      ['3', 'Average', 'warning'],
      ['4', 'High', 'high'],
      ['5', 'Disaster', 'critical'],
    ])('reads priority %s (%s) as %s', (priority, name, severity) => {
      expect(withFields({ priority, severity: name })).toMatchObject({
        severity,
        rawSeverity: name,
      });
      expect(withFields({ priority, severity: undefined })).toMatchObject({
        severity,
        rawSeverity: priority,
      });
      expect(withFields({ priority: undefined, severity: name })).toMatchObject({
        severity,
        rawSeverity: name,
      });
    });

    it('trusts the priority number over a renamed severity', () => {
      expect(withFields({ priority: '5', severity: 'Sev-1' })).toMatchObject({
        severity: 'critical',
        rawSeverity: 'Sev-1',
      });
    });

    it('accepts the priority as a Zabbix word too', () => {
      expect(withFields({ priority: 'Disaster', severity: undefined })?.severity).toBe('critical');
    });

    it('reads event_time with dots ({EVENT.DATE} {EVENT.TIME}) or dashes, and a separate event_date', () => {
      expect(withFields({ event_time: '2024.01.15 10:30:00' })?.startsAt).toEqual(
        new Date('2024-01-15T10:30:00Z'),
      );
      expect(withFields({ event_time: '10:30:00', event_date: '2024.01.15' })?.startsAt).toEqual(
        new Date('2024-01-15T10:30:00Z'),
      );
    });

    it('treats unexpanded macros as absent', () => {
      const alert = withFields({
        hardware: '{HOST.NAME}',
        runbook_url: '{TRIGGER.URL}',
        event_time: '{EVENT.DATE} {EVENT.TIME}',
        event_status: '{EVENT.UPDATE.ACTION}',
        event_id: '{EVENT.ID}',
        metric_value: '{ITEM.LASTVALUE1}',
        event_tags: '{EVENT.TAGS}',
      });
      expect(alert).toMatchObject({ status: 'firing', startsAt: testReceivedAt, labels: {} });
      expect(alert?.host).toBeUndefined();
      expect(alert?.runbookUrl).toBeUndefined();
      expect(alert?.annotations).not.toHaveProperty('metric_value');
      expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    });

    it('keeps text that merely contains braces, such as an old-style trigger expression', () => {
      expect(withFields({})?.annotations.trigger_expression).toBe(
        '{host:system.cpu.load[percpu,avg1].avg(5m)}>5',
      );
    });

    it('reads {EVENT.TAGS} and {EVENT.TAGSJSON} into labels, and a service tag as the service', () => {
      expect(
        withFields({ event_tags: 'scope:availability, service:web, monitored' }),
      ).toMatchObject({
        labels: { scope: 'availability', service: 'web', monitored: '' },
        service: 'web',
      });
      expect(
        withFields({
          event_tags: '[{"tag":"scope","value":"capacity"},{"tag":"component","value":"cpu"}]',
        })?.labels,
      ).toEqual({ scope: 'capacity', component: 'cpu' });
    });

    it('reads the optional trigger_id, host_name and recovery fields', () => {
      const alert = withFields({
        hardware: undefined,
        host_name: 'db-server-01.example.com',
        trigger_id: '23456',
        event_status: 'RESOLVED',
        recovery_event_id: '12399',
        event_recovery_time: '2024-01-15 11:00:00',
      });
      expect(alert).toMatchObject({
        host: 'db-server-01.example.com',
        fingerprint: '12345',
        endsAt: new Date('2024-01-15T11:00:00Z'),
        extra: { triggerId: '23456', recoveryEventId: '12399' },
      });
    });

    it('ends a recovery without a recovery time when the request arrived', () => {
      expect(withFields({ event_status: 'RESOLVED' })?.endsAt).toEqual(testReceivedAt);
    });
  });

  describe('the Zulip media type (hostname, severity, status, item, trigger, link)', () => {
    it('reads a problem: the trigger as name, the link as source, the item as an annotation', () => {
      const [alert] = parse('zulip_media_type_problem_average.json');
      expect(alert).toMatchObject({
        name: 'Zabbix agent on www.example.com is unreachable for 5 minutes',
        status: 'firing',
        severity: 'warning',
        rawSeverity: 'Average',
        host: 'www.example.com',
        sourceUrl: 'https://zabbix.example.com/tr_events.php?triggerid=14032&eventid=10528',
        startsAt: testReceivedAt,
        annotations: { item: 'Agent ping is Up (1)' },
        extra: { triggerId: '14032' },
      });
    });

    it('resolves the same alert on status OK: the trigger id in the link ties them together', () => {
      const [problemAlert] = parse('zulip_media_type_problem_average.json');
      const [ok] = parse('zulip_media_type_ok_resolved.json');
      expect(ok).toMatchObject({ status: 'resolved', endsAt: testReceivedAt });
      expect(ok?.fingerprint).toBe(problemAlert?.fingerprint);
    });

    it('reads Disaster as critical and Information as info', () => {
      expect(parse('zulip_media_type_problem_disaster.json')[0]?.severity).toBe('critical');
      expect(parse('zulip_media_type_problem_information.json')[0]?.severity).toBe('info');
    });

    it('accepts a problem without hostname, leaving the host empty rather than refusing the alert', () => {
      const [alert] = parse('zulip_media_type_invalid_missing_hostname.json');
      expect(alert).toMatchObject({
        name: 'Zabbix agent on www.example.com is unreachable for 5 minutes',
        status: 'firing',
        severity: 'warning',
      });
      expect(alert?.host).toBeUndefined();
      expect(alert?.fingerprint).not.toBe(
        parse('zulip_media_type_problem_average.json')[0]?.fingerprint,
      );
    });
  });

  describe('refuses payloads it cannot read, with the reason', () => {
    it.each(nonObjectBodies)('a body that is %s', (_kind, body) => {
      expect(payloadErrorOf(() => parseWith(zabbixAdapter, body)).message).toContain(
        'the body must be a JSON object',
      );
    });

    it('an empty object, or a name that is an unexpanded macro: alert_name is missing', () => {
      expect(payloadErrorOf(() => parseBody({})).message).toContain('alert_name is missing');
      expect(
        payloadErrorOf(() => parseBody({ ...problem(), alert_name: '{EVENT.NAME}' })).message,
      ).toContain('alert_name is missing');
    });
  });

  describe('every fixture in fixtures/ (captures added later included)', () => {
    it('has real fixtures, each with a .source.txt saying where it came from', () => {
      expect(fixtures.names().length, `fixtures in ${fixtures.dir}`).toBeGreaterThan(0);
      expect(fixtures.withoutProvenance(), 'fixtures without provenance').toEqual([]);
    });

    it.each(fixtures.names())('reads %s into valid alerts, the same way twice', (name) => {
      expect(fixtureProblems(zabbixAdapter, fixtures, name)).toEqual([]);
    });

    it('reads any field of any fixture damaged (other types, removed, cut, huge, odd Unicode), or refuses it with a payload error', () => {
      expect(mangledPayloadProblems(zabbixAdapter, fixtures)).toEqual([]);
    });
  });
});

describe('the Zabbix server time zone', () => {
  it('reads event times in the time zone configured on the source', () => {
    const body = {
      alert_name: 'CPU Load High',
      priority: '4',
      hardware: 'db-1',
      event_status: 'PROBLEM',
      event_id: '77',
      event_time: '2026.11.24 10:23:29',
    };
    const [tokyo] = parseWith(zabbixAdapter, body, { config: { time_zone: 'Asia/Tokyo' } });
    expect(tokyo?.startsAt?.toISOString()).toBe('2026-11-24T01:23:29.000Z');
    const [utc] = parseWith(zabbixAdapter, body);
    expect(utc?.startsAt?.toISOString()).toBe('2026-11-24T10:23:29.000Z');
  });
});
