import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as host from './index.js';
import * as testing from './testing/index.js';

// What the app and the gateway's store build on. Plugins never import this package, but the app
// does by name: a change here is made on purpose.
describe('@akmatori/host exports', () => {
  it('exports exactly the host runtime API', () => {
    expect(Object.keys(host).sort()).toEqual(
      [
        'HostErrors',
        'configEnvironment',
        'configSchema',
        'loadConfig',
        'loadPlugins',
        'generateSecretKey',
        'SecretBox',
        'secretKeyId',
        'decodeSecretKey',
        'openSecretBox',
        'secretKeyFileName',
        'isUuid',
        'dumpEmbedded',
        'embeddedDirName',
        'openEmbedded',
        'migrations',
        'migrationsTable',
        'openDatabase',
        'openPostgres',
        'AlertEventRepository',
        'toPgArray',
        'AlertRepository',
        'AlertSourceRepository',
        'ApiTokenRepository',
        'EvalScorecardRepository',
        'IncidentRepository',
        'systemActor',
        'createRepositories',
        'SettingsRepository',
        'UserRepository',
        'Tokens',
      ].sort(),
    );
  });

  it('exports the storage-backed test host from @akmatori/host/testing', () => {
    expect(Object.keys(testing).sort()).toEqual(
      ['createDatabaseOn', 'startPostgresCluster', 'createTestHost'].sort(),
    );
  });

  it('blocks deep imports through the exports map', () => {
    const deepImport = (): string =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('@akmatori/host/dist/storage/ids.js')"],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    expect(deepImport).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
