import { describe, expect, it } from 'vitest';
import * as runnerCodex from './index.js';
import * as testing from './testing/index.js';

// The public API is exactly these names: the worker and the app build on them.
describe('@akmatori/runner-codex exports', () => {
  it('exports exactly the public runtime API', () => {
    expect(Object.keys(runnerCodex).sort()).toEqual(
      [
        'CODEX_RUNNER_ID',
        'CodexRunnerErrors',
        'CodexEventMapper',
        'GATEWAY_SERVER_NAME',
        'WORKER_PATH',
        'WORKER_PROTOCOL_VERSION',
        'WorkerCloseCodes',
        'RUN_TOKEN_ENV',
        'runEventSchema',
        'workerMessageLimits',
        'workerMessageSchema',
        'assignmentOfTask',
        'codexCliVersion',
        'codexConfig',
        'codexConfigDefaults',
        'codexEntryPoint',
        'codexEnvironment',
        'codexEnvironmentNames',
        'codexExecArguments',
        'codexRunner',
        'defaultInvestigationInstructions',
        'finalReportSections',
        'finalReportTemplate',
        'findBwrap',
        'taskOfAssignment',
        'installedCodexVersion',
        'isProcessGroupAlive',
        'packSession',
        'probeAgentSandbox',
        'parseFinalReport',
        'prepareRunWorkspace',
        'renderAgentsMd',
        'renderCodexConfig',
        'restoreSession',
        'runCodex',
        'runCodexDefaults',
        'runWorkspacePaths',
        'runnerCodexVersion',
        'sessionUsageTotals',
        'startWorker',
      ].sort(),
    );
  });

  it('exports exactly the testing API from ./testing', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'assistantMessageItem',
        'defaultTurnUsage',
        'error',
        'inputMessages',
        'lastFunctionCallOutput',
        'mcp',
        'message',
        'outputItemDone',
        'outputText',
        'reasoning',
        'reasoningItem',
        'responseCompleted',
        'responseCreated',
        'shell',
        'slow',
        'sseFrame',
        'startFakeApi',
        'startScriptedModel',
        'usage',
      ].sort(),
    );
  });
});
