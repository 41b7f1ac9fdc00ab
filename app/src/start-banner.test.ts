import { type Database, loadConfig } from '@akmatori/host';
import { describe, expect, it } from 'vitest';
import { describeStart } from './start-banner.js';

const database = { backend: 'embedded', location: '/srv/data/pgdata' } as unknown as Database;
const config = loadConfig({ env: { AKMATORI_DATA_DIR: '/srv/data' }, cwd: '/' });
const banner = (bwrap: string | undefined, more: Record<string, string> = {}) =>
  describeStart({
    config: loadConfig({ env: { AKMATORI_DATA_DIR: '/srv/data', ...more }, cwd: '/' }),
    database,
    url: 'http://localhost:8080',
    setupRequired: true,
    bwrap,
  });

describe('the start banner', () => {
  it('says investigations run sandboxed, and where their workspaces are', () => {
    expect(config.runsDir).toBe('/srv/data-runs');
    expect(banner('/usr/bin/bwrap')).toContain(
      "agent:       each investigation's agent in a bubblewrap sandbox (/usr/bin/bwrap), workspaces in /srv/data-runs",
    );
  });

  it('says investigations are refused, and what to install, without bubblewrap', () => {
    expect(banner(undefined)).toContain(
      'investigations are REFUSED: bubblewrap is not installed, so the agent cannot be contained (apt-get install bubblewrap)',
    );
  });

  it('puts the setup code into the setup command when setup needs one', () => {
    const text = describeStart({
      config,
      database,
      url: 'http://akmatori.example:8080',
      setupRequired: true,
      setupCode: 'ABCD-EFGH-JKMN',
      bwrap: undefined,
    });
    expect(text).toContain(
      `-d '{"password":"<at least 8 characters>","setup_code":"ABCD-EFGH-JKMN"}'`,
    );
    expect(text).toContain('ABCD-EFGH-JKMN is the one-time setup code');
    expect(banner(undefined)).not.toContain('setup_code');
  });

  it('prints the dashboard URL, and that first-run setup can be done there', () => {
    const text = banner(undefined);
    expect(text).toContain('  dashboard:   http://localhost:8080\n');
    expect(text).toContain('No admin password yet. Open http://localhost:8080 to set one (once)');
  });

  it('on a new install, says setup creates the user admin and returns a token, and how to log in later', () => {
    const text = banner(undefined);
    expect(text).toContain('http://localhost:8080/auth/setup');
    expect(text).toContain(
      'Setup creates the user "admin" and answers {"token":"aks_…"} like a login',
    );
    expect(text).toContain('authorization: Bearer <token>');
    expect(text).toContain(
      `curl -X POST http://localhost:8080/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"..."}'`,
    );
  });

  it('once set up, shows the login as admin with curl and what to do with the token', () => {
    const text = describeStart({
      config,
      database,
      url: 'http://localhost:8080',
      setupRequired: false,
      bwrap: undefined,
    });
    expect(text).toContain('Log in as "admin" at http://localhost:8080');
    expect(text).toContain('http://localhost:8080/auth/login');
    expect(text).toContain('authorization: Bearer <token>');
    expect(text).not.toContain('/auth/setup');
  });

  it('points to separate workers when there is no embedded one', () => {
    expect(banner(undefined, { AKMATORI_EMBEDDED_WORKER: 'false' })).toContain(
      'investigations run on workers started apart (akmatori worker)',
    );
  });

  it('warns about the alert sources that accept alerts from anyone, naming each', () => {
    const text = describeStart({
      config,
      database,
      url: 'http://localhost:8080',
      setupRequired: false,
      bwrap: undefined,
      unauthenticatedSources: [
        { id: '6f1c0c1e-0000-4000-8000-000000000001', name: 'lab alertmanager' },
        { id: '6f1c0c1e-0000-4000-8000-000000000002', name: 'old grafana' },
      ],
    });
    expect(text).toContain(
      'WARNING:     2 alert sources accept alerts from anyone who can reach the webhook URL (no webhook_secret):',
    );
    expect(text).toContain('lab alertmanager (6f1c0c1e-0000-4000-8000-000000000001)');
    expect(text).toContain('old grafana (6f1c0c1e-0000-4000-8000-000000000002)');
    expect(banner(undefined)).not.toContain('WARNING');
  });
});
