import {
  checkAlertAdapterContract,
  checkHeadersWith,
  fixtureFolder,
  fixtureProblems,
  mangledPayloadProblems,
  nonObjectBodies,
  parseFixture,
  parseWith,
  payloadErrorOf,
  testReceivedAt,
  verifyWith,
  webhookRequest,
} from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import { alertmanagerAdapter } from './adapter.js';

const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
type Body = { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const firingBody = (): Body => fixtures.body('akmatori_fixture_alertmanager_firing.json') as Body;
const firstAlert = (body: unknown) =>
  parseWith(alertmanagerAdapter, body, { receivedAt: testReceivedAt })[0];
/** The akmatori fixture with its one alert changed. */
const withAlert = (change: Record<string, unknown>): Body => {
  const body = firingBody();
  body.alerts[0] = { ...body.alerts[0], ...change };
  return body;
};

describe('alertmanagerAdapter', () => {
  it('passes the adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(alertmanagerAdapter)).toEqual([]);
  });

  it('reads a firing alert: name, severity, host, service, texts, links and times', () => {
    const body = firingBody();
    expect(parseWith(alertmanagerAdapter, body, { receivedAt: testReceivedAt })).toEqual([
      {
        name: 'HighMemoryUsage',
        status: 'firing',
        severity: 'critical',
        rawSeverity: 'critical',
        fingerprint: 'abc123def456',
        groupKey: '{}:{alertname="HighMemoryUsage"}',
        host: 'web-server-01:9090',
        service: 'node-exporter',
        summary: 'Memory usage is above 90%',
        description: 'Instance web-server-01 has memory usage of 95%',
        runbookUrl: 'https://runbooks.example.com/memory',
        sourceUrl: 'http://prometheus:9090/graph?g0.expr=node_memory_usage%3E90',
        startsAt: new Date('2024-01-15T10:30:00Z'),
        labels: {
          alertname: 'HighMemoryUsage',
          severity: 'critical',
          instance: 'web-server-01:9090',
          job: 'node-exporter',
        },
        annotations: {
          summary: 'Memory usage is above 90%',
          description: 'Instance web-server-01 has memory usage of 95%',
          runbook_url: 'https://runbooks.example.com/memory',
        },
        extra: { receiver: 'akmatori', externalURL: 'http://alertmanager:9093' },
        payloadItem: body.alerts[0],
      },
    ]);
  });

  it('gives each alert its own status, not the notification status (real Alertmanager 0.25)', () => {
    const body = fixtures.body('captured_am025_firing_and_resolved.json') as Body;
    expect(body.status).toBe('firing');
    const alerts = parseFixture(
      alertmanagerAdapter,
      fixtures,
      'captured_am025_firing_and_resolved.json',
    );
    expect(alerts.map((a) => a.status)).toEqual(body.alerts.map((a) => a.status));
    expect(alerts.map((a) => a.status).sort()).toEqual(['firing', 'resolved']);
  });

  it('keeps each alert apart by its own fingerprint, even when their labels are equal (Alertmanager 2020)', () => {
    const alerts = parseFixture(
      alertmanagerAdapter,
      fixtures,
      'zulip_alert_two_alerts_firing.json',
    );
    expect(alerts.map((a) => [a.fingerprint, a.description])).toEqual([
      ['a1bc48475b20e73d', 'CPU core temperature is 34.75C'],
      ['c2ea85182f28cbd9', 'CPU core temperature is 17.625C'],
    ]);
    expect(alerts.map((a) => a.groupKey)).toEqual(['{}/{}:{}', '{}/{}:{}']);
    expect(alerts[0]).toMatchObject({
      name: 'High CPU Temperature',
      severity: 'critical',
      host: 'andromeda',
      startsAt: new Date('2020-02-06T00:17:58.432Z'),
      extra: { receiver: 'ops-zulip', externalURL: 'http://ops1:9093' },
    });
    expect(alerts[0]?.service).toBeUndefined();
    expect(alerts[0]?.runbookUrl).toBeUndefined();
  });

  it('reads the host from the instance label, then host, then hostname', () => {
    const labels = { alertname: 'X', host: 'h', hostname: 'hn' };
    expect(firstAlert(withAlert({ labels: { ...labels, instance: 'i:9100' } }))?.host).toBe(
      'i:9100',
    );
    expect(firstAlert(withAlert({ labels }))?.host).toBe('h');
    expect(firstAlert(withAlert({ labels: { alertname: 'X', hostname: 'hn' } }))?.host).toBe('hn');
  });

  it('reads the service from the service label, then job', () => {
    expect(
      firstAlert(withAlert({ labels: { alertname: 'X', service: 's', job: 'j' } }))?.service,
    ).toBe('s');
    expect(firstAlert(withAlert({ labels: { alertname: 'X', job: 'j' } }))?.service).toBe('j');
  });

  it('takes the runbook link from the runbook_url annotation, else from a runbook_url label', () => {
    expect(
      firstAlert(
        withAlert({ annotations: {}, labels: { alertname: 'X', runbook_url: 'https://rb/label' } }),
      )?.runbookUrl,
    ).toBe('https://rb/label');
  });

  it('keeps endsAt only for resolved alerts (a firing alert carries a future endsAt that means nothing)', () => {
    const future = '2099-01-01T00:00:00Z';
    expect(firstAlert(withAlert({ status: 'firing', endsAt: future }))?.endsAt).toBeUndefined();
    const resolved = firstAlert(withAlert({ status: 'resolved', endsAt: '2024-01-15T11:00:00Z' }));
    expect(resolved).toMatchObject({
      status: 'resolved',
      endsAt: new Date('2024-01-15T11:00:00Z'),
    });
  });

  it('reads the real resolved notification: every alert resolved with its end time (real Alertmanager 0.25)', () => {
    const body = fixtures.body('captured_am025_all_resolved.json') as Body;
    const alerts = parseFixture(alertmanagerAdapter, fixtures, 'captured_am025_all_resolved.json');
    expect(alerts.map((a) => a.status)).toEqual(body.alerts.map(() => 'resolved'));
    expect(alerts.map((a) => a.endsAt?.toISOString())).toEqual(
      body.alerts.map((a) => new Date(a.endsAt as string).toISOString()),
    );
  });

  it("starts an alert that has no start time (or Go's zero time) when the request arrived", () => {
    expect(firstAlert(withAlert({ startsAt: '0001-01-01T00:00:00Z' }))?.startsAt).toEqual(
      testReceivedAt,
    );
    expect(firstAlert(withAlert({ startsAt: undefined }))?.startsAt).toEqual(testReceivedAt);
  });

  it("records truncatedAlerts, receiver and externalURL in every alert's extra", () => {
    const body = { ...firingBody(), truncatedAlerts: 3 };
    expect(firstAlert(body)?.extra).toEqual({
      receiver: 'akmatori',
      externalURL: 'http://alertmanager:9093',
      truncatedAlerts: 3,
    });
  });

  it('makes a fingerprint from the sorted labels when an alert has none', () => {
    const a = firstAlert(
      withAlert({ fingerprint: undefined, labels: { alertname: 'X', job: 'j' } }),
    );
    const b = firstAlert(withAlert({ fingerprint: '', labels: { job: 'j', alertname: 'X' } }));
    const c = firstAlert(
      withAlert({ fingerprint: undefined, labels: { alertname: 'X', job: 'k' } }),
    );
    expect(a?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(b?.fingerprint).toBe(a?.fingerprint);
    expect(c?.fingerprint).not.toBe(a?.fingerprint);
  });

  it('uses the notification status for an alert that has none', () => {
    const body = withAlert({ status: undefined });
    body.status = 'resolved';
    expect(firstAlert(body)?.status).toBe('resolved');
  });

  it('names an alert without an alertname label "Alertmanager alert"', () => {
    expect(firstAlert(withAlert({ labels: { severity: 'warning' } }))?.name).toBe(
      'Alertmanager alert',
    );
  });

  it('defaults the severity to warning when there is no severity label, keeping no raw value', () => {
    const alert = firstAlert(withAlert({ labels: { alertname: 'X' } }));
    expect(alert?.severity).toBe('warning');
    expect(alert?.rawSeverity).toBeUndefined();
  });

  describe('verify (called only when the source has a secret)', () => {
    const basic = (user: string, password: string): Record<string, string> => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    const request = (headers: Record<string, string>) => webhookRequest(firingBody(), headers);

    it('accepts HTTP basic auth whose password is the secret, whatever the user name', () => {
      expect(
        verifyWith(alertmanagerAdapter, request(basic('alertmanager', 's3cret')), 's3cret'),
      ).toBe(true);
      expect(verifyWith(alertmanagerAdapter, request(basic('', 's3cret')), 's3cret')).toBe(true);
    });

    it('rejects basic auth with another password', () => {
      expect(
        verifyWith(alertmanagerAdapter, request(basic('alertmanager', 'guess')), 's3cret'),
      ).toBe(false);
      expect(verifyWith(alertmanagerAdapter, request(basic('s3cret', '')), 's3cret')).toBe(false);
    });

    it('rejects a request with no credentials (the bearer token is checked by the host)', () => {
      expect(verifyWith(alertmanagerAdapter, request({}), 's3cret')).toBe(false);
      expect(
        verifyWith(alertmanagerAdapter, request({ authorization: 'Bearer s3cret' }), 's3cret'),
      ).toBe(false);
    });

    it('judges all of it from the headers, so a wrong password is refused before the body is read', () => {
      expect(checkHeadersWith(alertmanagerAdapter, basic('am', 's3cret'), 's3cret')).toEqual({
        outcome: 'accepted',
      });
      for (const headers of [basic('am', 'guess'), {}, { authorization: 'Bearer guess' }])
        expect(checkHeadersWith(alertmanagerAdapter, headers, 's3cret')).toEqual({
          outcome: 'refused',
        });
    });
  });

  describe('refuses payloads it cannot read, with the reason', () => {
    it.each(nonObjectBodies)('a body that is %s', (_kind, body) => {
      expect(payloadErrorOf(() => parseWith(alertmanagerAdapter, body)).message).toContain(
        'the body must be a JSON object',
      );
    });

    it('an empty object: alerts must be an array', () => {
      expect(payloadErrorOf(() => parseWith(alertmanagerAdapter, {})).message).toContain(
        'alerts must be an array, got nothing',
      );
    });

    it('alerts that is not an array', () => {
      expect(
        payloadErrorOf(() => parseWith(alertmanagerAdapter, { ...firingBody(), alerts: { a: 1 } }))
          .message,
      ).toContain('alerts must be an array, got an object');
    });

    it('an alert that is not an object', () => {
      const body = { ...firingBody(), alerts: [firingBody().alerts[0], 'oops'] };
      expect(payloadErrorOf(() => parseWith(alertmanagerAdapter, body)).message).toContain(
        'alerts[1] must be an object, got a string',
      );
    });

    it('labels or annotations that are not objects', () => {
      expect(
        payloadErrorOf(() => firstAlert(withAlert({ labels: 'alertname=X' }))).message,
      ).toContain('alerts[0].labels must be an object');
      expect(payloadErrorOf(() => firstAlert(withAlert({ annotations: [1] }))).message).toContain(
        'alerts[0].annotations must be an object, got an array',
      );
    });

    it('an alert whose status is neither firing nor resolved', () => {
      expect(payloadErrorOf(() => firstAlert(withAlert({ status: 'sleeping' }))).message).toContain(
        'alerts[0].status must be "firing" or "resolved"',
      );
    });
  });

  describe('every fixture in fixtures/ (captures added later included)', () => {
    it('has real fixtures, each with a .source.txt saying where it came from', () => {
      expect(fixtures.names().length, `fixtures in ${fixtures.dir}`).toBeGreaterThan(0);
      expect(fixtures.withoutProvenance(), 'fixtures without provenance').toEqual([]);
    });

    it.each(fixtures.names())('reads %s into valid alerts, the same way twice', (name) => {
      expect(fixtureProblems(alertmanagerAdapter, fixtures, name)).toEqual([]);
    });

    it('reads any field of any fixture damaged (other types, removed, cut, huge, odd Unicode), or refuses it with a payload error', () => {
      expect(mangledPayloadProblems(alertmanagerAdapter, fixtures)).toEqual([]);
    });
  });
});
