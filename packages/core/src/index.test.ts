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
        'scrubUrlPassword',
        'scrubValue',
        'incidentStates',
        'incidentStateTransitions',
        'incidentStatuses',
        'incidentTransitions',
        'statesLeadingTo',
        'statusesLeadingTo',
        'basicCredentials',
        'bearerMatches',
        'bearerToken',
        'fingerprintOf',
        'getPath',
        'header',
        'isTimeZone',
        'hmacSha256Hex',
        'normalizeSeverity',
        'normalizeStatus',
        'parseTimestamp',
        'payloadError',
        'secretsEqual',
        'text',
        'toStringRecord',
        'CoreErrors',
        'PluginHost',
        'alertSeverities',
        'coreVersion',
        'createAjv',
        'createLogger',
        'defineAlertAdapter',
        'defineErrorCatalog',
        'defineNotifier',
        'defineSchema',
        'definePlugin',
        'defineRunner',
        'defineToolProvider',
        'describeSchemaErrors',
        'destinationBoundSecrets',
        'destinationChanges',
        'emptyObjectSchema',
        'isAkmatoriError',
        'parseSkill',
        'readSkillDirectory',
        'redactedFieldNames',
        'redactionPaths',
        'renderSkill',
        'secretFields',
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
        'alertProblems',
        'callTool',
        'checkAlertAdapterContract',
        'checkHeadersWith',
        'checkNotifierContract',
        'checkToolProviderContract',
        'createManualClock',
        'createToolContext',
        'fixtureFolder',
        'fixtureProblems',
        'isPayloadError',
        'mangledPayloadProblems',
        'mangledPayloads',
        'nonObjectBodies',
        'parseFixture',
        'parseWith',
        'payloadErrorOf',
        'schemaFieldProblems',
        'testReceivedAt',
        'toolOf',
        'verifyWith',
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
