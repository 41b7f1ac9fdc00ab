import {
  checkAlertAdapterContract,
  fixtureFolder,
  fixtureProblems,
  mangledPayloadProblems,
  parseWith,
  payloadErrorOf,
} from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import { uptimeKumaAdapter, type UptimeKumaConfig } from '../src/index.js';

const fixtures = fixtureFolder(new URL('../src/fixtures/', import.meta.url));
const fixture = (name: string): unknown => fixtures.body(`${name}.json`);
const down = fixture('webhook_json_http_down') as {
  heartbeat: Record<string, unknown>;
  monitor: Record<string, unknown>;
  msg: string;
};
const up = fixture('webhook_json_http_up');

const parse = (body: unknown, config: UptimeKumaConfig = {}) =>
  parseWith(uptimeKumaAdapter, body, { config, receivedAt: new Date('2026-12-01T00:00:00Z') });

const refusal = (body: unknown): string => payloadErrorOf(() => parse(body)).message;

describe('the Uptime Kuma alert source', () => {
  it('passes the alert adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(uptimeKumaAdapter)).toEqual([]);
  });

  it('reads every fixture into sound alerts, and each says where it came from', () => {
    expect(fixtures.names()).toHaveLength(4);
    expect(fixtures.withoutProvenance()).toEqual([]);
    for (const name of fixtures.names())
      expect(fixtureProblems(uptimeKumaAdapter, fixtures, name)).toEqual([]);
  });

  it('answers every damaged copy of its fixtures with sound alerts or a payload error, never a crash', () => {
    expect(mangledPayloadProblems(uptimeKumaAdapter, fixtures)).toEqual([]);
  });

  it('fires the alert monitor:<id> for a DOWN beat, at the beat’s time, with the tag’s severity', () => {
    const [alert, ...rest] = parse(down);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      name: 'Shop / Checkout API',
      status: 'firing',
      severity: 'high',
      rawSeverity: 'high',
      fingerprint: 'monitor:7',
      host: 'https://shop.example.com/api/checkout/health',
      service: 'Checkout API',
      summary: '[Checkout API] [🔴 Down] Request failed with status code 503',
      startsAt: new Date('2026-11-30T09:14:05.318Z'),
      labels: { monitor_id: '7', monitor_type: 'http', tag_severity: 'high', tag_team: 'payments' },
      annotations: { heartbeat_msg: 'Request failed with status code 503' },
    });
    expect(alert?.endsAt).toBeUndefined();
    expect(alert?.extra).toMatchObject({ retries: 1, time_zone: 'Europe/Berlin' });
    expect(String(alert?.extra?.response)).toContain('503 Service Unavailable');
  });

  it('resolves the same alert for the UP beat, from the last down time to the beat', () => {
    const [alert] = parse(up);
    expect(alert).toMatchObject({
      status: 'resolved',
      fingerprint: 'monitor:7',
      startsAt: new Date('2026-11-30T09:14:05.318Z'),
      endsAt: new Date('2026-11-30T09:21:05.902Z'),
      extra: { ping_ms: 184 },
    });
  });

  it('uses downSeverity for a monitor without a severity tag, and another tag when configured', () => {
    const untagged = { ...down, monitor: { ...down.monitor, tags: [] } };
    expect(parse(untagged)[0]?.severity).toBe('critical');
    expect(parse(untagged, { downSeverity: 'warning' })[0]?.severity).toBe('warning');
    expect(parse(down, { severityTag: 'team' })[0]).toMatchObject({
      severity: 'critical', // "payments" is no severity word: the default
      rawSeverity: 'payments',
    });
  });

  it('links to the monitor in Uptime Kuma when kumaUrl is set', () => {
    expect(parse(down, { kumaUrl: 'https://kuma.example.com/' })[0]?.sourceUrl).toBe(
      'https://kuma.example.com/dashboard/7',
    );
    expect(parse(down)[0]?.sourceUrl).toBeUndefined();
  });

  it('reads the Test button as an info alert and certificate expiry as its own alert', () => {
    expect(parse(fixture('webhook_json_test_notification'))[0]).toMatchObject({
      name: 'Uptime Kuma test notification',
      severity: 'info',
      status: 'firing',
      startsAt: new Date('2026-12-01T00:00:00Z'),
    });
    const [cert] = parse(fixture('webhook_json_certificate_expiry'));
    expect(cert).toMatchObject({
      name: 'Certificate of Checkout API expires in 7 days',
      severity: 'high',
      host: 'https://shop.example.com/api/checkout/health',
      labels: { kind: 'certificate-expiry', certificate_cn: 'shop.example.com' },
    });
    const later = parse({
      heartbeat: null,
      monitor: null,
      msg: '[Checkout API][https://shop.example.com/api/checkout/health] server certificate shop.example.com will expire in 14 days',
    })[0];
    expect(later?.fingerprint, 'the same certificate keeps its fingerprint').toBe(
      cert?.fingerprint,
    );
    expect(later?.severity).toBe('warning');
  });

  it('reads domain expiry notices', () => {
    expect(
      parse({
        heartbeat: null,
        monitor: null,
        msg: 'Domain name example.com will expire in 5 days',
      })[0],
    ).toMatchObject({ fingerprint: 'domain:example.com', severity: 'high' });
  });

  it('refuses bodies that are not Uptime Kuma’s with a reason (payloadError)', () => {
    expect(refusal('text')).toMatch(/JSON object/);
    expect(refusal({ heartbeat: null, monitor: null })).toMatch(/msg/);
    expect(refusal({ ...down, heartbeat: { ...down.heartbeat, status: 'down' } })).toMatch(
      /heartbeat.status/,
    );
    expect(refusal({ ...down, heartbeat: { ...down.heartbeat, status: 9 } })).toMatch(/state/);
    expect(refusal({ ...down, monitor: { name: 'no id' } })).toMatch(/monitor/);
  });

  it('declares a config schema the host can compile, with the severities it knows', () => {
    const severity = uptimeKumaAdapter.configSchema.properties?.downSeverity as { enum: string[] };
    expect(severity.enum).toEqual(['critical', 'high', 'warning', 'info']);
  });
});
