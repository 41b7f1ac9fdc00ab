import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import * as testing from './testing/index.js';

// The public API is exactly these names. A change here is a change to what plugin authors
// depend on: make it on purpose, and note it in the changelog.
describe('@akmatori/core exports', () => {
  it('exports exactly the public runtime API', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'AkmatoriError',
        'canTransition',
        'commandFieldNames',
        'SCRUBBED',
        'scrubCommand',
        'scrubCommandValue',
        'scrubSecrets',
        'scrubValue',
        'incidentStates',
        'incidentStateTransitions',
        'incidentStatuses',
        'incidentTransitions',
        'statesLeadingTo',
        'statusesLeadingTo',
        'systemActor',
        'AlertEventRepository',
        'AlertRepository',
        'AlertSourceRepository',
        'IncidentRepository',
        'toPgArray',
        'basicCredentials',
        'bearerMatches',
        'bearerToken',
        'fingerprintOf',
        'getPath',
        'header',
        'isTimeZone',
        'isUuid',
        'hmacSha256Hex',
        'normalizeSeverity',
        'normalizeStatus',
        'parseTimestamp',
        'payloadError',
        'secretsEqual',
        'text',
        'toStringRecord',
        'ApiTokenRepository',
        'CoreErrors',
        'PluginHost',
        'SecretBox',
        'SettingsRepository',
        'Tokens',
        'UserRepository',
        'alertSeverities',
        'configEnvironment',
        'configSchema',
        'coreVersion',
        'createAjv',
        'createLogger',
        'createRepositories',
        'decodeSecretKey',
        'defineAlertAdapter',
        'defineErrorCatalog',
        'defineNotifier',
        'definePlugin',
        'defineRunner',
        'defineToolProvider',
        'describeSchemaErrors',
        'destinationBoundSecrets',
        'destinationChanges',
        'dumpEmbedded',
        'embeddedDirName',
        'emptyObjectSchema',
        'generateSecretKey',
        'isAkmatoriError',
        'loadConfig',
        'loadPlugins',
        'migrations',
        'migrationsTable',
        'openDatabase',
        'openEmbedded',
        'openPostgres',
        'openSecretBox',
        'parseSkill',
        'readSkillDirectory',
        'redactUrl',
        'redactedFieldNames',
        'redactionPaths',
        'renderSkill',
        'secretFields',
        'secretKeyFileName',
        'secretKeyId',
        'skillBodyLineLimit',
        'skillFileNames',
        'skillFrontmatterFields',
        'silentLogger',
        'systemClock',
        'validateSkillDirectories',
      ].sort(),
    );
  });

  it('exports the test harness from @akmatori/core/testing', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'checkAlertAdapterContract',
        'createDatabaseOn',
        'createManualClock',
        'createTestHost',
        'createToolContext',
        'parseWith',
        'startPostgresCluster',
        'webhookRequest',
      ].sort(),
    );
  });

  it('blocks deep imports through the exports map', () => {
    const deepImport = (): string =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('@akmatori/core/dist/errors/catalog.js')"],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    expect(deepImport).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
