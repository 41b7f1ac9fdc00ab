import { createHmac } from 'node:crypto';
import { fingerprintOf } from '@akmatori/core';
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
import { pagerdutyAdapter } from './adapter.js';

const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
const parse = (name: string) => parseFixture(pagerdutyAdapter, fixtures, name);
const parseBody = (body: unknown) =>
  parseWith(pagerdutyAdapter, body, { receivedAt: testReceivedAt });
type V3 = { event: Record<string, unknown> & { data: Record<string, unknown> } };
const v3 = (name: string) => fixtures.body(name) as V3;
/** The triggered v3 fixture as another event type. */
const asEvent = (eventType: string, data: Record<string, unknown> = {}): V3 => {
  const body = v3('v3_incident_triggered_zulip.json');
  body.event.event_type = eventType;
  body.event.data = { ...body.event.data, ...data };
  return body;
};

describe('pagerdutyAdapter', () => {
  it('passes the adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(pagerdutyAdapter)).toEqual([]);
  });

  describe('v3 webhooks', () => {
    it('reads a triggered incident: one firing alert identified by the incident id', () => {
      const body = v3('v3_incident_triggered_zulip.json');
      expect(parse('v3_incident_triggered_zulip.json')).toEqual([
        {
          name: 'Test Incident 3',
          status: 'firing',
          severity: 'high',
          rawSeverity: 'high',
          fingerprint: 'PFQZPSY',
          groupKey: 'PFQZPSY',
          service: 'pig208',
          summary: 'Test Incident 3',
          sourceUrl: 'https://pig208.pagerduty.com/incidents/PFQZPSY',
          startsAt: new Date('2021-06-04T13:35:29.781Z'),
          labels: { incident_status: 'triggered', urgency: 'high', service: 'pig208' },
          annotations: {},
          extra: {
            eventType: 'incident.triggered',
            eventId: '01BZYIL05THJDFF2Y08X9SVMTU',
            incidentId: 'PFQZPSY',
            incidentNumber: '9',
            acknowledged: false,
            serviceId: 'PA2P440',
            serviceUrl: 'https://pig208.pagerduty.com/services/PA2P440',
            agent: 'PIG 208',
            assignees: ['PIG 208'],
            escalationPolicy: 'Default',
          },
          payloadItem: body.event.data,
        },
      ]);
    });

    it('resolves the incident on incident.resolved, ending it when the event occurred', () => {
      const [alert] = parse('v3_incident_resolved_zulip.json');
      expect(alert).toMatchObject({
        fingerprint: 'PCPZE64',
        status: 'resolved',
        endsAt: new Date('2021-06-04T13:16:53.816Z'),
      });
    });

    it('keeps an acknowledged incident firing, marked acknowledged', () => {
      const [alert] = parse('v3_incident_acknowledged_zulip.json');
      expect(alert).toMatchObject({
        fingerprint: 'PQ1K5C8',
        status: 'firing',
        labels: { incident_status: 'acknowledged' },
        extra: { eventType: 'incident.acknowledged', acknowledged: true },
      });
      expect(alert?.endsAt).toBeUndefined();
    });

    it('takes the severity from the incident priority P1..P5 before the urgency (PagerDuty docs)', () => {
      const [alert] = parse('pagerduty_docs_v3_incident_priority_updated.json');
      expect(alert).toMatchObject({
        name: 'A little bump in the road',
        status: 'firing',
        severity: 'critical',
        rawSeverity: 'P1',
        service: 'API Service',
        labels: { priority: 'P1', urgency: 'high' },
        extra: {
          eventType: 'incident.priority_updated',
          teams: ['Engineering'],
          assignees: ['User 123'],
        },
      });
    });

    it.each([
      ['P1 - Critical', 'critical'],
      ['P2', 'high'],
      ['P3', 'warning'],
      ['P4', 'info'],
      ['P5', 'info'],
    ])('reads priority %s as %s', (summary, severity) => {
      const [alert] = parseBody(asEvent('incident.priority_updated', { priority: { summary } }));
      expect(alert).toMatchObject({ severity, rawSeverity: summary });
    });

    it('reads low urgency as info when there is no priority', () => {
      expect(parseBody(asEvent('incident.triggered', { urgency: 'low' }))[0]?.severity).toBe(
        'info',
      );
    });

    it.each([
      'incident.reopened',
      'incident.unacknowledged',
      'incident.escalated',
      'incident.reassigned',
      'incident.delegated',
      'incident.priority_updated',
    ])('keeps the incident firing on %s', (eventType) => {
      expect(parseBody(asEvent(eventType))[0]?.status).toBe('firing');
    });

    it("follows the incident's own status for other events, so a late update does not reopen it", () => {
      const [alert] = parseBody(asEvent('incident.priority_updated', { status: 'resolved' }));
      expect(alert?.status).toBe('resolved');
    });

    it('reads note events by their incident reference', () => {
      const body = {
        event: {
          id: '01C0NOTE',
          event_type: 'incident.annotated',
          resource_type: 'incident',
          occurred_at: '2020-10-02T18:50:00.000Z',
          data: {
            incident: {
              html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
              id: 'PGR0VU2',
              summary: 'A little bump in the road',
              type: 'incident_reference',
            },
            id: 'P2LA89X',
            content: 'I sure am glad we are using PagerDuty!',
            type: 'incident_note',
          },
        },
      };
      expect(parseBody(body)[0]).toMatchObject({
        name: 'A little bump in the road',
        status: 'firing',
        fingerprint: 'PGR0VU2',
        description: 'I sure am glad we are using PagerDuty!',
        sourceUrl: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      });
    });

    it('gives no alert for events that are not about incidents (subscription ping, services)', () => {
      expect(
        parseBody({ event: { event_type: 'pagey.ping', resource_type: 'pagey', data: {} } }),
      ).toEqual([]);
      expect(
        parseBody({
          event: { event_type: 'service.updated', resource_type: 'service', data: { id: 'S' } },
        }),
      ).toEqual([]);
    });

    it('reads the loosely shaped akmatori sample: description, source host, runbook in body details', () => {
      const [alert] = parse('akmatori_fixture_pagerduty_trigger_simplified.json');
      expect(alert).toMatchObject({
        name: 'Database Connection Pool Exhausted',
        status: 'firing',
        severity: 'critical',
        rawSeverity: 'P1 - Critical',
        fingerprint: 'incident-xyz789',
        host: 'db-primary.example.com',
        service: 'Main Database Service',
        description:
          'The connection pool for the main database has been exhausted. Application requests are failing.',
        runbookUrl: 'https://runbooks.example.com/db-pool',
        startsAt: testReceivedAt,
      });
    });
  });

  describe('Events API v2 (Alertmanager pagerduty_configs, any Events API sender)', () => {
    it("reads Alertmanager 0.25's trigger: dedup key as identity and group, name and summary without [FIRING:n]", () => {
      const [alert] = parse('events_v2_alertmanager_0.25_trigger.json');
      expect(alert).toMatchObject({
        name: 'HighMemoryUsage (web-server-01:9090 node-exporter critical)',
        status: 'firing',
        severity: 'high',
        rawSeverity: 'error',
        fingerprint: 'f6e3174260369d2096a776df08d068112ccc20ecdee0a65bd7bbd5d6c325b5fa',
        groupKey: 'f6e3174260369d2096a776df08d068112ccc20ecdee0a65bd7bbd5d6c325b5fa',
        summary: 'HighMemoryUsage (web-server-01:9090 node-exporter critical)',
        sourceUrl: 'http://alertmanager:9093/#/alerts?receiver=pagerduty',
        startsAt: testReceivedAt,
        annotations: { num_firing: '1', num_resolved: '0', resolved: '' },
        extra: { eventsApi: 'v2', action: 'trigger', client: 'Alertmanager' },
      });
      expect(alert?.annotations.firing).toContain(' - alertname = HighMemoryUsage\n');
    });

    it("does not take Alertmanager's own name (payload.source = client) as the host", () => {
      expect(parse('events_v2_alertmanager_0.25_trigger.json')[0]?.host).toBeUndefined();
    });

    it("resolves the same alert with Alertmanager's resolve event", () => {
      const [trigger] = parse('events_v2_alertmanager_0.25_trigger.json');
      const [resolve] = parse('events_v2_alertmanager_0.25_resolve.json');
      expect(resolve).toMatchObject({
        status: 'resolved',
        fingerprint: trigger?.fingerprint,
        name: trigger?.name,
        endsAt: testReceivedAt,
      });
    });

    it('never copies the routing key, which may be the webhook secret, into the alert', () => {
      for (const name of [
        'events_v2_alertmanager_0.25_trigger.json',
        'events_v1_alertmanager_0.25_service_key_trigger.json',
      ]) {
        const text = JSON.stringify(parse(name).map(({ payloadItem: _omit, ...alert }) => alert));
        expect(text).not.toContain('R0UT1NGKEYEXAMPLE0000000000000AK');
        expect(text).not.toContain('5ERV1CEKEYEXAMPLE0000000000000V1');
      }
    });

    it('reads a full trigger (PagerDuty docs): source as host, component as service, links, timestamp', () => {
      const [alert] = parse('events_v2_pagerduty_docs_trigger.json');
      expect(alert).toMatchObject({
        name: 'Example alert on host1.example.com',
        severity: 'info',
        rawSeverity: 'info',
        fingerprint: 'samplekeyhere',
        host: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
        service: 'postgres',
        sourceUrl: 'https://monitoring.example.com',
        startsAt: new Date('2015-07-17T08:42:58.315Z'),
        labels: { component: 'postgres', group: 'prod-datapipe', class: 'deploy' },
        annotations: { 'ping time': '1500ms', 'load avg': '0.75' },
        extra: {
          links: [{ href: 'https://example.com/', text: 'Link text' }],
          images: [expect.objectContaining({ alt: 'Example text' })],
        },
      });
    });

    it('takes the group as the service when there is no component', () => {
      const body = fixtures.body('events_v2_pagerduty_docs_trigger.json') as {
        payload: Record<string, unknown>;
      };
      delete body.payload.component;
      expect(parseBody(body)[0]?.service).toBe('prod-datapipe');
    });

    it('keeps an acknowledged alert firing, marked acknowledged (no payload needed)', () => {
      const [alert] = parse('events_v2_pagerduty_docs_acknowledge.json');
      expect(alert).toMatchObject({
        status: 'firing',
        fingerprint: 'dedupkeyhere',
        name: 'PagerDuty alert dedupkeyhere',
        extra: { action: 'acknowledge', acknowledged: true },
      });
    });

    it('resolves by dedup key alone (no payload needed)', () => {
      expect(parse('events_v2_pagerduty_docs_resolve.json')[0]).toMatchObject({
        status: 'resolved',
        fingerprint: 'dedupkeyhere',
      });
    });

    it('derives a stable fingerprint for a trigger without dedup key from routing key, summary and source', () => {
      const body = fixtures.body('events_v2_pagerduty_docs_trigger.json') as Record<
        string,
        unknown
      >;
      delete body.dedup_key;
      const [first] = parseBody(body);
      const [second] = parseBody(structuredClone(body));
      expect(first?.fingerprint).toBe(
        fingerprintOf([
          'samplekeyhere',
          'Example alert on host1.example.com',
          'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
        ]),
      );
      expect(second?.fingerprint).toBe(first?.fingerprint);
      expect(first?.groupKey).toBeUndefined();
    });

    it("reads Alertmanager's legacy Events API v1 request (service_key, incident_key, description)", () => {
      const [alert] = parse('events_v1_alertmanager_0.25_service_key_trigger.json');
      expect(alert).toMatchObject({
        name: 'HighMemoryUsage (web-server-01:9090 node-exporter critical)',
        status: 'firing',
        severity: 'warning',
        fingerprint: 'f6e3174260369d2096a776df08d068112ccc20ecdee0a65bd7bbd5d6c325b5fa',
        annotations: { num_firing: '1' },
        extra: { eventsApi: 'v1', action: 'trigger' },
      });
    });
  });

  describe('verify (called only when the source has a secret)', () => {
    // Signatures computed independently with openssl over the fixture's bytes:
    //   openssl dgst -sha256 -hmac pd-webhook-secret v3_incident_triggered_zulip.json
    const name = 'v3_incident_triggered_zulip.json';
    const current = 'v1=f67a7a3a00153491368405092df815aa535e961bed00e67c2041328d60f39540';
    const old = 'v1=7c060eb9d2d89d253ceabddff02b00dd0b192000572976a5e534838aa64fb964'; // secret old-pd-secret
    const signed = (signature: string) =>
      fixtures.request(name, { 'X-PagerDuty-Signature': signature });

    it("accepts a v3 webhook signed with the secret, dated by the signed body's event.occurred_at", () => {
      expect(verifyWith(pagerdutyAdapter, signed(current), 'pd-webhook-secret')).toEqual({
        signature: current,
        signedAt: new Date('2021-06-04T13:35:29.781Z'),
      });
    });

    it('accepts any matching signature while PagerDuty rotates secrets (several v1= values)', () => {
      expect(
        verifyWith(pagerdutyAdapter, signed(`${old},${current}`), 'pd-webhook-secret'),
      ).toMatchObject({ signature: current });
      expect(
        verifyWith(pagerdutyAdapter, signed(`${old}, ${current}`), 'old-pd-secret'),
      ).toMatchObject({ signature: old });
    });

    it('rejects a correctly signed body that carries no event.occurred_at: it could not be dated', () => {
      const body = Buffer.from(JSON.stringify({ event: { id: 'e1', event_type: 'pagey.ping' } }));
      const signature = `v1=${createHmac('sha256', 'pd-webhook-secret').update(body).digest('hex')}`;
      const request = {
        ...webhookRequest(JSON.parse(body.toString('utf8'))),
        rawBody: body,
        headers: { 'x-pagerduty-signature': signature },
      };
      expect(verifyWith(pagerdutyAdapter, request, 'pd-webhook-secret')).toBe(false);
    });

    it('rejects signatures made with other secrets, or of another version', () => {
      expect(verifyWith(pagerdutyAdapter, signed(old), 'pd-webhook-secret')).toBe(false);
      expect(
        verifyWith(pagerdutyAdapter, signed(current.replace('v1=', 'v2=')), 'pd-webhook-secret'),
      ).toBe(false);
    });

    it('rejects a tampered body', () => {
      const request = signed(current);
      const tampered = Buffer.from(
        request.rawBody.toString('utf8').replace('Test Incident 3', 'Test Incident 4'),
      );
      expect(
        verifyWith(pagerdutyAdapter, { ...request, rawBody: tampered }, 'pd-webhook-secret'),
      ).toBe(false);
    });

    it('accepts an Events API request whose routing_key is the secret, and rejects another key', () => {
      const request = fixtures.request('events_v2_alertmanager_0.25_trigger.json');
      expect(verifyWith(pagerdutyAdapter, request, 'R0UT1NGKEYEXAMPLE0000000000000AK')).toBe(true);
      expect(verifyWith(pagerdutyAdapter, request, 'R0UT1NGKEYEXAMPLE0000000000000AX')).toBe(false);
    });

    it('accepts a v1 request whose service_key is the secret', () => {
      const request = fixtures.request('events_v1_alertmanager_0.25_service_key_trigger.json');
      expect(verifyWith(pagerdutyAdapter, request, '5ERV1CEKEYEXAMPLE0000000000000V1')).toBe(true);
    });

    it('rejects a request with neither signature nor routing key', () => {
      expect(verifyWith(pagerdutyAdapter, webhookRequest(v3(name)), 'pd-webhook-secret')).toBe(
        false,
      );
    });
  });

  describe('checkHeaders: what is judged before the body is read', () => {
    const check = (headers: Record<string, string>) =>
      checkHeadersWith(pagerdutyAdapter, headers, 'pd-webhook-secret');

    it('lets a well-formed v1= signature through to the body check (its time is in the body)', () => {
      expect(check({ 'X-PagerDuty-Signature': `v1=${'a1'.repeat(32)}` })).toEqual({
        outcome: 'needs-body',
      });
      expect(
        check({ 'X-PagerDuty-Signature': `v2=${'b2'.repeat(32)}, v1=${'a1'.repeat(32)}` }),
      ).toEqual({ outcome: 'needs-body' });
    });

    it('refuses a signature header without a well-formed v1= signature', () => {
      for (const value of ['', 'v1=', 'v1=xyz', `v2=${'a1'.repeat(32)}`, 'a1'.repeat(32)])
        expect(check({ 'X-PagerDuty-Signature': value }), value).toMatchObject({
          outcome: 'refused',
          reason: expect.stringContaining('v1='),
        });
    });

    it('refuses an unsigned request with a wrong Authorization header (the host checked the bearer)', () => {
      expect(check({ authorization: 'Bearer wrong-secret' })).toEqual({ outcome: 'refused' });
    });

    it('reads the body of an unsigned request without credentials: an Events API routing key may be in it', () => {
      expect(check({})).toEqual({ outcome: 'needs-body' });
    });
  });

  describe('refuses payloads it cannot read, with the reason', () => {
    it.each(nonObjectBodies)('a body that is %s', (_kind, body) => {
      expect(payloadErrorOf(() => parseWith(pagerdutyAdapter, body)).message).toContain(
        'the body must be a JSON object',
      );
    });

    it('an empty object: neither a v3 webhook nor an Events API request', () => {
      expect(payloadErrorOf(() => parseBody({})).message).toContain(
        'expected a PagerDuty v3 webhook',
      );
    });

    it('a v3 webhook whose event is not an object, or has no event type or incident id', () => {
      expect(payloadErrorOf(() => parseBody({ event: 'x' })).message).toContain(
        'event must be an object',
      );
      expect(payloadErrorOf(() => parseBody({ event: { data: {} } })).message).toContain(
        'event.event_type must be a non-empty string',
      );
      expect(
        payloadErrorOf(() => parseBody({ event: { event_type: 'incident.triggered', data: [] } }))
          .message,
      ).toContain('event.data must be an object');
      expect(
        payloadErrorOf(() =>
          parseBody({ event: { event_type: 'incident.triggered', data: { title: 'x' } } }),
        ).message,
      ).toContain('event.data has no incident id');
    });

    it('an Events API request with an unknown action', () => {
      expect(
        payloadErrorOf(() => parseBody({ routing_key: 'k', event_action: 'snooze' })).message,
      ).toContain('event_action must be "trigger", "acknowledge" or "resolve"');
    });

    it('an acknowledge or resolve without dedup key, or a trigger without summary', () => {
      expect(
        payloadErrorOf(() => parseBody({ routing_key: 'k', event_action: 'resolve' })).message,
      ).toContain('dedup_key is required to resolve');
      expect(
        payloadErrorOf(() =>
          parseBody({ routing_key: 'k', event_action: 'trigger', payload: { source: 'h' } }),
        ).message,
      ).toContain('payload.summary is required to trigger');
      expect(
        payloadErrorOf(() =>
          parseBody({ routing_key: 'k', event_action: 'trigger', payload: 'oops' }),
        ).message,
      ).toContain('payload must be an object, got a string');
    });
  });

  describe('every fixture in fixtures/', () => {
    it('has real fixtures, each with a .source.txt saying where it came from', () => {
      expect(fixtures.names().length, `fixtures in ${fixtures.dir}`).toBeGreaterThan(0);
      expect(fixtures.withoutProvenance(), 'fixtures without provenance').toEqual([]);
    });

    it.each(fixtures.names())('reads %s into valid alerts, the same way twice', (name) => {
      expect(fixtureProblems(pagerdutyAdapter, fixtures, name)).toEqual([]);
    });

    it('reads any field of any fixture damaged (other types, removed, cut, huge, odd Unicode), or refuses it with a payload error', () => {
      expect(mangledPayloadProblems(pagerdutyAdapter, fixtures)).toEqual([]);
    });
  });
});
