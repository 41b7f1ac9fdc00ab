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
} from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import { grafanaAdapter } from './adapter.js';

const fixtures = fixtureFolder(new URL('./fixtures/', import.meta.url));
type Body = { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const parse = (name: string) => parseFixture(grafanaAdapter, fixtures, name);
const parseBody = (body: unknown) =>
  parseWith(grafanaAdapter, body, { receivedAt: testReceivedAt });

describe('grafanaAdapter', () => {
  it('passes the adapter contract over its samples', () => {
    expect(checkAlertAdapterContract(grafanaAdapter)).toEqual([]);
  });

  describe('unified alerting (Grafana 8+)', () => {
    it('reads two firing alerts with their own names, fingerprints, texts and values (Grafana docs)', () => {
      const name = 'grafana_docs_webhook_notifier_example_firing_2_alerts.json';
      const body = fixtures.body(name) as Body;
      const alerts = parse(name);
      expect(alerts).toHaveLength(2);
      expect(alerts[0]).toEqual({
        name: 'High memory usage',
        status: 'firing',
        severity: 'warning',
        fingerprint: 'c6eadffa33fcdf37',
        groupKey: '{}:{}',
        summary: 'This alert was triggered for zone us-1',
        description: 'The system has high memory usage',
        runbookUrl: 'https://myrunbook.com/runbook/1234',
        sourceUrl: 'https://play.grafana.org/alerting/1afz29v7z/edit',
        startsAt: new Date('2021-10-12T07:51:03.157Z'),
        labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
        annotations: {
          description: 'The system has high memory usage',
          runbook_url: 'https://myrunbook.com/runbook/1234',
          summary: 'This alert was triggered for zone us-1',
        },
        extra: {
          receiver: 'My Super Webhook',
          externalURL: 'https://play.grafana.org/',
          orgId: '1',
          truncatedAlerts: 0,
          silenceURL:
            'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
          values: { B: 44.23943737541908, C: 1 },
        },
        payloadItem: body.alerts[0],
      });
      expect(alerts[1]).toMatchObject({ name: 'High CPU usage', fingerprint: 'bc97ff14869b13e3' });
    });

    it('gives each alert its own status: two resolved and one firing in a "firing" notification (Grafana 9)', () => {
      const alerts = parse('zulip_alert9_mixed_firing_and_resolved.json');
      expect(alerts.map((a) => [a.name, a.status, a.host ?? null])).toEqual([
        ['Test alert', 'resolved', 'badhost.example.com'],
        ['Test alert', 'resolved', 'otherhost.example.com'],
        ['Second webhook test', 'firing', null],
      ]);
      expect(alerts[0]).toMatchObject({
        service: 'rabbitmq',
        startsAt: new Date('2022-06-17T01:04:00.782Z'),
        endsAt: new Date('2022-06-17T01:08:28.652Z'),
        groupKey: '{}/{test="true"}:{}',
      });
      expect(alerts[2]?.endsAt).toBeUndefined();
      expect(alerts[0]?.extra?.valueString).toContain("var='B'");
    });

    it("reads a resolved notification, keeping a summary with Grafana's literal <no value>", () => {
      const [alert] = parse('zulip_alert9_resolved.json');
      expect(alert).toMatchObject({
        name: 'Test alert',
        status: 'resolved',
        fingerprint: 'd8a21484c9c25a60',
        summary: 'This is a summary field, failure on <no value>',
        endsAt: new Date('2022-06-17T00:51:24.067Z'),
      });
    });

    it("keeps Grafana 11's dashboard, panel, silence and image links and its values in extra", () => {
      const [alert] = parse('zulip_alert_values_v11_firing.json');
      expect(alert?.extra).toMatchObject({
        dashboardURL: 'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1',
        panelURL:
          'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2',
        imageURL: 'https://grafana.com/assets/img/blog/mixed_styles.png',
        values: { A: 2473545728, B: 0, C: 1, minute: 9 },
        valueString: expect.stringContaining("var='A'"),
      });
      expect(alert?.extra?.silenceURL).toMatch(
        /^https:\/\/play\.grafana\.org\/alerting\/silence\/new/,
      );
      expect(alert?.sourceUrl).toBe(
        'https://play.grafana.org/alerting/grafana/dd2f0260-3cfc-4c65-a4c4-f3f632c551f4/view?orgId=1',
      );
    });

    it("names an alert without an alertname label from the notification's common alertname", () => {
      const [alert] = parse('zulip_alert_no_alertname_v11_firing.json');
      expect(alert).toMatchObject({
        name: 'Memory (copy)',
        labels: { debug: 'true', grafana_folder: 'device' },
      });
    });

    it('names an alert without alertname from __alert_rule_title__, the title, ruleName, or "Grafana alert"', () => {
      const body = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
        alerts: [{ status: 'firing', labels, fingerprint: 'f' }],
        ...extra,
      });
      expect(parseBody(body({ __alert_rule_title__: 'Rule title' }))[0]?.name).toBe('Rule title');
      expect(parseBody(body({}, { title: '[FIRING:1] CPU hot (web-1)' }))[0]?.name).toBe(
        'CPU hot (web-1)',
      );
      expect(parseBody(body({}, { ruleName: 'Legacy-ish rule' }))[0]?.name).toBe('Legacy-ish rule');
      expect(parseBody(body({}))[0]?.name).toBe('Grafana alert');
    });

    it('reads a Grafana Cloud test notification with no labels and no annotations', () => {
      const [alert] = parse('zulip_grafana_cloud_test_notification_no_labels_resolved.json');
      expect(alert).toMatchObject({
        name: 'TestAlert Grafana',
        status: 'resolved',
        severity: 'warning',
        fingerprint: '57c6d9296de2ad39',
        labels: {},
        annotations: {},
        extra: { truncatedAlerts: 1, values: {} },
      });
      expect(alert?.sourceUrl).toBeUndefined();
    });

    it("resolves Grafana 12's relative generatorURL against externalURL", () => {
      const [alert] = parse('keep_test_grafana12_test_notification.json');
      expect(alert).toMatchObject({
        name: 'TestAlert',
        host: 'Grafana',
        summary: 'TEST',
        description: 'Test Description',
        sourceUrl: 'https://grafana.example.com/?orgId=1',
        groupKey: 'webhook-c4edaaf9f9f839b0-1777986297',
        extra: { values: { B: 22, C: 1 }, valueString: "[ var='B' value=22 ]", orgId: '1' },
      });
    });

    it('falls back to the panel, then dashboard link when there is no generatorURL', () => {
      const alert = (item: Record<string, unknown>) =>
        parseBody({ alerts: [{ status: 'firing', labels: { alertname: 'X' }, ...item }] })[0];
      expect(
        alert({ generatorURL: '', panelURL: 'https://g/p', dashboardURL: 'https://g/d' })
          ?.sourceUrl,
      ).toBe('https://g/p');
      expect(alert({ dashboardURL: 'https://g/d' })?.sourceUrl).toBe('https://g/d');
    });

    it("reads the default-template payload of Grafana's own tests: zero start time means arrival, values null", () => {
      const [alert] = parse('grafana_alerting_repo_test_default_template_payload.json');
      expect(alert).toMatchObject({
        name: 'alert1',
        fingerprint: 'fac0861a85de433a',
        groupKey: 'alertname',
        startsAt: testReceivedAt,
        annotations: { ann1: 'annv1' },
      });
      expect(alert?.extra).not.toHaveProperty('values');
      expect(alert?.extra).not.toHaveProperty('dashboardURL');
    });

    it('reads the minimal akmatori payload (no version, groupKey or orgId)', () => {
      const [alert] = parse('akmatori_fixture_grafana_alerting.json');
      expect(alert).toMatchObject({
        name: 'DiskSpaceLow',
        severity: 'warning',
        rawSeverity: 'warning',
        fingerprint: 'gra123fin456',
        host: 'storage-01:9100',
        service: 'node-exporter',
        runbookUrl: 'https://runbooks.example.com/disk-space',
        sourceUrl: 'http://grafana:3000/alerting/grafana/abc123/view',
        startsAt: new Date('2024-01-15T10:30:00Z'),
        extra: { receiver: 'akmatori' },
      });
      expect(alert?.groupKey).toBeUndefined();
    });
  });

  describe('legacy dashboard alerting (Grafana 7 and earlier)', () => {
    it('reads an alerting rule: name, message, rule link, evalMatches and image', () => {
      const [alert] = parse('zulip_legacy_alerting_eval_matches.json');
      expect(alert).toMatchObject({
        name: 'Test rule',
        status: 'firing',
        severity: 'warning',
        summary: 'Someone is testing the alert notification within grafana.',
        sourceUrl: 'http://localhost:3000/',
        startsAt: testReceivedAt,
        labels: {},
        extra: {
          state: 'alerting',
          ruleId: '0',
          imageURL: 'https://grafana.com/assets/img/blog/mixed_styles.png',
          evalMatches: [
            { value: 100, metric: 'High value', tags: null },
            { value: 200, metric: 'Higher Value', tags: null },
          ],
        },
      });
      expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    });

    it('resolves the same alert when the rule reports ok', () => {
      const [alerting] = parse('zulip_legacy_alerting_eval_matches.json');
      const [ok] = parse('zulip_legacy_ok.json');
      expect(ok).toMatchObject({
        status: 'resolved',
        endsAt: testReceivedAt,
        fingerprint: alerting?.fingerprint,
      });
    });

    it('resolves a paused rule, which will send nothing more', () => {
      expect(parse('zulip_legacy_paused_v7.json')[0]?.status).toBe('resolved');
    });

    it('fires for a no-data alert and tells different rules apart', () => {
      const [noData] = parse('zulip_legacy_no_data_v7.json');
      const [test] = parse('zulip_legacy_alerting_eval_matches.json');
      expect(noData).toMatchObject({
        name: 'No Data alert',
        status: 'firing',
        extra: { evalMatches: [] },
      });
      expect(noData?.fingerprint).not.toBe(test?.fingerprint);
    });

    it('fires for pending and no_data states, and takes tags as labels', () => {
      const [pending] = parseBody({
        state: 'pending',
        ruleId: 7,
        ruleName: 'R',
        tags: { severity: 'critical' },
      });
      expect(pending).toMatchObject({
        status: 'firing',
        severity: 'critical',
        labels: { severity: 'critical' },
      });
      expect(parseBody({ state: 'no_data', ruleName: 'R' })[0]?.status).toBe('firing');
    });

    it('names a rule from its title when it has no ruleName', () => {
      expect(parseBody({ state: 'alerting', title: '[Alerting] Disk full' })[0]?.name).toBe(
        'Disk full',
      );
    });

    it('refuses a state Grafana does not have', () => {
      expect(payloadErrorOf(() => parseBody({ state: 'sleepy', ruleName: 'R' })).message).toContain(
        'state "sleepy" is not a Grafana alert state',
      );
    });
  });

  describe("verify: Grafana's HMAC signature (called only when the source has a secret)", () => {
    // Expected signatures computed independently with openssl over the fixture's bytes:
    //   (printf '1735689600:'; cat keep_test_grafana12_test_notification.json) | openssl dgst -sha256 -hmac grafana-hmac-secret
    //   openssl dgst -sha256 -hmac grafana-hmac-secret keep_test_grafana12_test_notification.json
    const name = 'keep_test_grafana12_test_notification.json';
    const secret = 'grafana-hmac-secret';
    const timestamped = 'bd3d4af7580509cefbf252b39b69f1f354f76a723d2eadb631b0b1014e5043c1';
    const undated = '72ae181d462fdeb0f7a534dfea7a92e1f476ec993231138ea6471b4d960dfffa';
    const signedAt = new Date('2025-01-01T00:00:00Z'); // 1735689600
    const at = { 'X-Grafana-Alerting-Timestamp': '1735689600' };

    it('accepts the signature over "timestamp:body" in Grafana\'s default headers, dated by the timestamp', () => {
      const request = fixtures.request(name, {
        'X-Grafana-Alerting-Signature': timestamped,
        ...at,
      });
      expect(verifyWith(grafanaAdapter, request, secret)).toEqual({
        signature: timestamped,
        signedAt,
      });
    });

    it('accepts X-Grafana-Alert-Signature too when no header is configured', () => {
      const request = fixtures.request(name, { 'X-Grafana-Alert-Signature': timestamped, ...at });
      expect(verifyWith(grafanaAdapter, request, secret)).toMatchObject({ signedAt });
      expect(
        verifyWith(grafanaAdapter, request, secret, {
          signature_header: 'X-Grafana-Alerting-Signature',
        }),
      ).toMatchObject({ signedAt });
    });

    it('reads the signature and the timestamp from the configured headers only', () => {
      const config = {
        signature_header: 'X-Akmatori-Signature',
        timestamp_header: 'X-Akmatori-Time',
      };
      const custom = fixtures.request(name, {
        'X-Akmatori-Signature': timestamped,
        'X-Akmatori-Time': '1735689600',
      });
      expect(verifyWith(grafanaAdapter, custom, secret, config)).toMatchObject({ signedAt });
      const standard = fixtures.request(name, {
        'X-Grafana-Alerting-Signature': timestamped,
        ...at,
      });
      expect(verifyWith(grafanaAdapter, standard, secret, config)).toBe(false);
    });

    it('rejects a signature whose timestamp header is missing or changed', () => {
      const missing = fixtures.request(name, { 'X-Grafana-Alerting-Signature': timestamped });
      const changed = fixtures.request(name, {
        'X-Grafana-Alerting-Signature': timestamped,
        'X-Grafana-Alerting-Timestamp': '1735689601',
      });
      expect(verifyWith(grafanaAdapter, missing, secret)).toBe(false);
      expect(verifyWith(grafanaAdapter, changed, secret)).toBe(false);
    });

    it('rejects a signature over the body alone (Grafana without a timestamp header): it could be replayed forever', () => {
      const request = fixtures.request(name, { 'X-Grafana-Alerting-Signature': undated });
      expect(verifyWith(grafanaAdapter, request, secret)).toBe(false);
      expect(
        verifyWith(
          grafanaAdapter,
          {
            ...request,
            headers: { ...request.headers, 'x-grafana-alerting-timestamp': '1735689600' },
          },
          secret,
        ),
      ).toBe(false);
    });

    it('rejects a signature made with another secret', () => {
      const request = fixtures.request(name, {
        'X-Grafana-Alerting-Signature': timestamped,
        ...at,
      });
      expect(verifyWith(grafanaAdapter, request, 'another-secret')).toBe(false);
    });

    it('rejects a tampered body, even by one byte', () => {
      const request = fixtures.request(name, {
        'X-Grafana-Alerting-Signature': timestamped,
        ...at,
      });
      const tampered = Buffer.from(request.rawBody.toString('utf8').replace('"TEST"', '"TEST!"'));
      expect(verifyWith(grafanaAdapter, { ...request, rawBody: tampered }, secret)).toBe(false);
    });

    it('rejects a request without a signature', () => {
      expect(verifyWith(grafanaAdapter, fixtures.request(name, at), secret)).toBe(false);
    });
  });

  describe('checkHeaders: what is judged before the body is read', () => {
    const signature = 'bd3d4af7580509cefbf252b39b69f1f354f76a723d2eadb631b0b1014e5043c1';
    const check = (headers: Record<string, string>, config = {}) =>
      checkHeadersWith(grafanaAdapter, headers, 'grafana-hmac-secret', config);

    it('lets a well-formed signature with a timestamp through to the body check, dated by the timestamp', () => {
      expect(
        check({
          'X-Grafana-Alerting-Signature': signature,
          'X-Grafana-Alerting-Timestamp': '1735689600',
        }),
      ).toEqual({ outcome: 'needs-body', signedAt: new Date('2025-01-01T00:00:00Z') });
    });

    it('refuses a request without a signature, or with one that is not 64 hex digits', () => {
      expect(check({ 'X-Grafana-Alerting-Timestamp': '1735689600' })).toEqual({
        outcome: 'refused',
      });
      expect(
        check({
          'X-Grafana-Alerting-Signature': 'not-a-signature',
          'X-Grafana-Alerting-Timestamp': '1735689600',
        }),
      ).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('64 hex digits') });
    });

    it('refuses a signature without a Unix timestamp, naming the header to set', () => {
      for (const timestamp of [undefined, '', 'yesterday', '2025-01-01T00:00:00Z']) {
        const headers: Record<string, string> = { 'X-Grafana-Alerting-Signature': signature };
        if (timestamp !== undefined) headers['X-Grafana-Alerting-Timestamp'] = timestamp;
        expect(check(headers), String(timestamp)).toMatchObject({
          outcome: 'refused',
          reason: expect.stringContaining('X-Grafana-Alerting-Timestamp'),
        });
      }
      expect(
        check({ 'X-Grafana-Alerting-Signature': signature }, { timestamp_header: 'X-Sent-At' }),
      ).toMatchObject({ reason: expect.stringContaining('X-Sent-At') });
    });
  });

  describe('refuses payloads it cannot read, with the reason', () => {
    it.each(nonObjectBodies)('a body that is %s', (_kind, body) => {
      expect(payloadErrorOf(() => parseWith(grafanaAdapter, body)).message).toContain(
        'the body must be a JSON object',
      );
    });

    it('an empty object: alerts must be an array', () => {
      expect(payloadErrorOf(() => parseBody({})).message).toContain('alerts must be an array');
    });

    it('alerts that is not an array, or holds something other than objects', () => {
      expect(payloadErrorOf(() => parseBody({ alerts: 'x', state: 'alerting' })).message).toContain(
        'alerts must be an array, got a string',
      );
      expect(payloadErrorOf(() => parseBody({ alerts: [null] })).message).toContain(
        'alerts[0] must be an object, got null',
      );
    });

    it('an alert without a status when the notification has none either', () => {
      expect(payloadErrorOf(() => parseBody({ alerts: [{ labels: {} }] })).message).toContain(
        'alerts[0].status must be "firing" or "resolved"',
      );
    });
  });

  describe('every fixture in fixtures/', () => {
    it('has real fixtures, each with a .source.txt saying where it came from', () => {
      expect(fixtures.names().length, `fixtures in ${fixtures.dir}`).toBeGreaterThan(0);
      expect(fixtures.withoutProvenance(), 'fixtures without provenance').toEqual([]);
    });

    it.each(fixtures.names())('reads %s into valid alerts, the same way twice', (name) => {
      expect(fixtureProblems(grafanaAdapter, fixtures, name)).toEqual([]);
    });

    it('reads any field of any fixture damaged (other types, removed, cut, huge, odd Unicode), or refuses it with a payload error', () => {
      expect(mangledPayloadProblems(grafanaAdapter, fixtures)).toEqual([]);
    });
  });
});
