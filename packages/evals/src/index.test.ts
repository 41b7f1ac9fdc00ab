import { describe, expect, it } from 'vitest';
import * as evals from './index.js';

// The public API is exactly these names: the app's `akmatori eval run` and the environment kinds build on them.
describe('@akmatori/evals exports', () => {
  it('exports exactly the public runtime API', () => {
    expect(Object.keys(evals).sort()).toEqual(
      [
        'EvalErrors',
        'akmatoriApi',
        'alertSourceTypes',
        'buildScenarioEnvironments',
        'builtinEnvironmentKinds',
        'configureModel',
        'createEnvironmentRegistry',
        'deterministicChecks',
        'environmentSpec',
        'escapeHtml',
        'judgePrompt',
        'judgeRun',
        'formatScorecard',
        'loadScenario',
        'loadScenarios',
        'matchesToolCall',
        'renderHtmlReport',
        'runEval',
        'runScenario',
        'scenarioSchema',
        'startEvalServer',
        'stopEnvironments',
        'substituteFacts',
        'toolNameRegex',
        'totalsOf',
        'workerConnected',
      ].sort(),
    );
  });
});
