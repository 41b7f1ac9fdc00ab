import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltEnvironment } from '../environment.js';
import { alertmanagerEnvironment } from './alertmanager-kind.js';
import { silenceMatcher } from './alertmanager-story.js';

type Alert = {
  labels: Record<string, string>;
  startsAt: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
};

// One real Alertmanager: node-7 is down (critical), which inhibits its warning; a disk
// alert is silenced by bob; an old alert resolved 30 minutes ago.
describe('alertmanager environment (real Alertmanager 0.25)', () => {
  let workDir: string;
  let built: BuiltEnvironment;
  let url: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'akmatori-eval-am-test-'));
    built = await alertmanagerEnvironment.build(
      {
        alerts: [
          {
            labels: { alertname: 'NodeDown', severity: 'critical', instance: 'node-7' },
            started_minutes_ago: 12,
          },
          { labels: { alertname: 'HighLatency', severity: 'warning', instance: 'node-7' } },
          { labels: { alertname: 'DiskFull', severity: 'warning', instance: 'node-2' } },
          {
            labels: { alertname: 'OldOne', severity: 'info', instance: 'node-1' },
            started_minutes_ago: 60,
            resolved_minutes_ago: 30,
          },
        ],
        silences: [
          {
            matchers: ['alertname="DiskFull"', 'instance=~"node-.*"'],
            created_by: 'bob',
            comment: 'resize planned',
          },
        ],
        inhibit_rules: [
          {
            source_matchers: ['severity="critical"'],
            target_matchers: ['severity="warning"'],
            equal: ['instance'],
          },
        ],
      },
      { workDir, name: 'am' },
    );
    url = built.facts.am_url!;
  }, 60_000);

  afterAll(async () => {
    await built?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('offers an alertmanager tool instance at its URL', () => {
    expect(built.toolInstances).toEqual([
      { type: 'alertmanager', name: 'am', settings: { url }, credentials: {} },
    ]);
  });

  it('lists the firing alerts: one active, one inhibited, one silenced; the resolved one is gone', async () => {
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as Alert[];
    const byName = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a]));
    expect(Object.keys(byName).sort()).toEqual(['DiskFull', 'HighLatency', 'NodeDown']);
    expect(byName.NodeDown!.status.state).toBe('active');
    expect(Date.now() - Date.parse(byName.NodeDown!.startsAt)).toBeGreaterThan(11 * 60_000);
    expect(byName.HighLatency!.status.inhibitedBy).toHaveLength(1);
    expect(byName.DiskFull!.status.silencedBy).toHaveLength(1);
  });

  it('holds the silence with its author, comment and matchers', async () => {
    const silences = (await (await fetch(`${url}/api/v2/silences`)).json()) as Record<
      string,
      unknown
    >[];
    expect(silences).toEqual([
      expect.objectContaining({
        createdBy: 'bob',
        comment: 'resize planned',
        matchers: [
          { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
          { name: 'instance', value: 'node-.*', isRegex: true, isEqual: true },
        ],
      }),
    ]);
  });

  it('refuses a matcher it cannot read', () => {
    expect(() => silenceMatcher('alertname=DiskFull')).toThrow(/not a matcher/);
  });

  it('stop() ends Alertmanager and deletes its files', async () => {
    await built.stop();
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
    expect(existsSync(path.join(workDir, 'alertmanager-am'))).toBe(false);
  });
});
