import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AkmatoriError, CoreErrors } from '@akmatori/core';
import { loadConfig } from './load-config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'akm-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (fn: () => unknown): AkmatoriError => {
  try {
    fn();
  } catch (error) {
    return error as AkmatoriError;
  }
  throw new Error('expected loadConfig to throw');
};

describe('loadConfig', () => {
  it('applies documented defaults with an empty environment', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config).toMatchObject({
      port: 8080,
      host: 'localhost',
      databaseUrl: undefined,
      dataDir: path.join(dir, 'data'),
      logLevel: 'info',
      sessionTtlSeconds: 3600,
      sessionMaxAgeSeconds: 43200,
      loginRateLimit: 10,
      loginAddressRateLimit: 50,
      loginRateWindowSeconds: 900,
      trustedProxyHops: 0,
      plugins: [],
      publicUrl: 'http://localhost:8080',
    });
  });

  it('reads the environment, converting numbers, booleans and lists', () => {
    const config = loadConfig({
      env: {
        PORT: '9090',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u:p@db:5432/akmatori',
        AKMATORI_DATA_DIR: '/var/lib/akmatori',
        LOG_LEVEL: 'debug',
        AKMATORI_TRUSTED_PROXY_HOPS: '1',
        AKMATORI_CORS_ORIGINS: 'https://a.example, https://b.example',
        AKMATORI_PLUGINS: '@acme/one,@acme/two',
      },
      cwd: dir,
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/akmatori',
      dataDir: '/var/lib/akmatori',
      logLevel: 'debug',
      trustedProxyHops: 1,
      corsOrigins: ['https://a.example', 'https://b.example'],
      publicUrl: 'http://localhost:9090',
    });
    expect(config.plugins).toEqual([
      { package: '@acme/one', options: {} },
      { package: '@acme/two', options: {} },
    ]);
  });

  it('reads a YAML config file, and the environment wins over it', () => {
    const file = path.join(dir, 'akmatori.yaml');
    writeFileSync(
      file,
      'port: 7000\nlogLevel: warn\nplugins:\n  - package: "@acme/x"\n    options: { verbose: true }\n',
    );
    const config = loadConfig({ env: { AKMATORI_CONFIG: file, LOG_LEVEL: 'error' }, cwd: dir });
    expect(config.port).toBe(7000);
    expect(config.logLevel).toBe('error');
    expect(config.plugins).toEqual([{ package: '@acme/x', options: { verbose: true } }]);
    expect(config.sources.file).toBe(file);
  });

  it('reads a JSON config file', () => {
    const file = path.join(dir, 'akmatori.json');
    writeFileSync(
      file,
      JSON.stringify({ host: '127.0.0.1', publicUrl: 'https://akmatori.example.com/' }),
    );
    const config = loadConfig({ env: {}, file, cwd: dir });
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicUrl).toBe('https://akmatori.example.com');
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ env: { AKMATORI_PLUGINS: 'a' }, cwd: dir });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.plugins)).toBe(true);
    expect(Object.isFrozen(config.plugins[0])).toBe(true);
  });

  it('stops at AKMATORI_TRUST_PROXY, which trusted every X-Forwarded-For entry, naming its replacement', () => {
    for (const value of ['true', 'false']) {
      const error = failure(() => loadConfig({ env: { AKMATORI_TRUST_PROXY: value }, cwd: dir }));
      expect(error.code).toBe(CoreErrors.AKM_CONFIG_INVALID.code);
      expect(error.message).toContain('AKMATORI_TRUST_PROXY is no longer read');
      expect(error.message).toContain('AKMATORI_TRUSTED_PROXY_HOPS');
    }
    const file = path.join(dir, 'retired.json');
    writeFileSync(file, JSON.stringify({ trustProxy: true }));
    expect(failure(() => loadConfig({ env: {}, file, cwd: dir })).message).toContain(
      'trustProxy is no longer read',
    );
  });

  it('stops at AKMATORI_JWT_SECRET, which signed the login tokens sessions replaced', () => {
    const error = failure(() =>
      loadConfig({ env: { AKMATORI_JWT_SECRET: 'x'.repeat(40) }, cwd: dir }),
    );
    expect(error.code).toBe(CoreErrors.AKM_CONFIG_INVALID.code);
    expect(error.message).toContain('AKMATORI_JWT_SECRET is no longer read');
    expect(error.message).toContain('AKMATORI_SESSION_TTL');
    expect(error.message, 'the refused value is not repeated').not.toContain('x'.repeat(40));
  });

  it('takes the trusted proxy hops as a small whole number, 0 by default', () => {
    expect(loadConfig({ env: {}, cwd: dir }).trustedProxyHops).toBe(0);
    expect(
      failure(() => loadConfig({ env: { AKMATORI_TRUSTED_PROXY_HOPS: 'true' }, cwd: dir })).message,
    ).toContain('AKMATORI_TRUSTED_PROXY_HOPS must be integer');
    expect(
      failure(() => loadConfig({ env: { AKMATORI_TRUSTED_PROXY_HOPS: '-1' }, cwd: dir })).message,
    ).toContain('AKMATORI_TRUSTED_PROXY_HOPS must be >= 0');
  });

  it('names the environment variable and every problem when values are invalid', () => {
    const error = failure(() =>
      loadConfig({
        env: {
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
          DATABASE_URL: 'mysql://x',
          ADMIN_PASSWORD: 'short',
        },
        cwd: dir,
      }),
    );
    expect(error.code).toBe(CoreErrors.AKM_CONFIG_INVALID.code);
    expect(error.message).toContain('PORT must be integer');
    expect(error.message).toContain(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent',
    );
    expect(error.message).toContain('DATABASE_URL must match pattern');
    expect(error.message).toContain('ADMIN_PASSWORD must NOT have fewer than 8 characters');
  });

  it('rejects a port out of range and an unknown key in the config file by its file name', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: 70000, colour: 'blue' }));
    const error = failure(() => loadConfig({ env: {}, file, cwd: dir }));
    expect(error.code).toBe('AKM_CONFIG_INVALID');
    expect(error.message).toContain('port must be <= 65535');
    expect(error.message).toContain('colour is not a known setting');
  });

  it('reports a missing or unparseable config file', () => {
    expect(failure(() => loadConfig({ env: {}, file: 'nope.json', cwd: dir })).code).toBe(
      'AKM_CONFIG_FILE_UNREADABLE',
    );
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "port": ');
    expect(failure(() => loadConfig({ env: {}, file: broken, cwd: dir })).message).toMatch(
      /broken\.json/,
    );
  });

  it('treats empty environment variables as unset', () => {
    expect(loadConfig({ env: { PORT: '', DATABASE_URL: ' ' }, cwd: dir })).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
    });
  });

  it('keeps run workspaces beside the data directory, never inside it, and contains the agent with bubblewrap', () => {
    const config = loadConfig({ env: { AKMATORI_DATA_DIR: 'state' }, cwd: dir });
    expect(config.runsDir).toBe(path.join(dir, 'state-runs'));
    expect(config.agentSandbox).toBe('bwrap');
    expect(
      loadConfig({
        env: { AKMATORI_RUNS_DIR: '/srv/runs', AKMATORI_AGENT_SANDBOX: 'container' },
        cwd: dir,
      }),
    ).toMatchObject({ runsDir: '/srv/runs', agentSandbox: 'container' });
  });

  it('leaves /metrics open unless AKMATORI_METRICS_TOKEN is set, and wants a token of 16 characters or more', () => {
    expect(loadConfig({ env: {}, cwd: dir }).metricsToken).toBeUndefined();
    const token = 'scrape-token-0123456789';
    expect(loadConfig({ env: { AKMATORI_METRICS_TOKEN: token }, cwd: dir }).metricsToken).toBe(
      token,
    );
    const error = failure(() => loadConfig({ env: { AKMATORI_METRICS_TOKEN: 'short' }, cwd: dir }));
    expect(error.message).toContain('AKMATORI_METRICS_TOKEN');
    expect(error.message).not.toContain('short');
  });

  it('refuses a runs directory inside the data directory, or holding it', () => {
    for (const runsDir of ['data/runs', 'data', '.']) {
      const error = failure(() => loadConfig({ env: { AKMATORI_RUNS_DIR: runsDir }, cwd: dir }));
      expect(error.code).toBe(CoreErrors.AKM_CONFIG_INVALID.code);
      expect(error.message).toMatch(/AKMATORI_RUNS_DIR \(.*\) must be outside AKMATORI_DATA_DIR/);
    }
    const error = failure(() => loadConfig({ env: { AKMATORI_AGENT_SANDBOX: 'none' }, cwd: dir }));
    expect(error.message).toContain('AKMATORI_AGENT_SANDBOX');
  });

  it('prunes old records hourly unless AKMATORI_RETENTION_INTERVAL says otherwise, never more often than a minute', () => {
    expect(loadConfig({ env: {}, cwd: dir }).retentionIntervalSeconds).toBe(3600);
    expect(
      loadConfig({ env: { AKMATORI_RETENTION_INTERVAL: '86400' }, cwd: dir })
        .retentionIntervalSeconds,
    ).toBe(86400);
    const error = failure(() =>
      loadConfig({ env: { AKMATORI_RETENTION_INTERVAL: '5' }, cwd: dir }),
    );
    expect(error.message).toContain('AKMATORI_RETENTION_INTERVAL must be >= 60');
  });
});
