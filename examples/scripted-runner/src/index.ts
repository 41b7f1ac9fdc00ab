/**
 * An example Akmatori plugin: a runner without any LLM. It follows runbooks kept in the
 * incident's skills (`references/runbook.json`), calls their tools through the gateway's MCP
 * endpoint with the run token, and reports what they returned. A template for your own
 * runner: everything it needs comes from the Runner contract of `@akmatori/core`.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { scriptedRunner } from './scripted-runner.js';

export { connectGatewayTools, type GatewayTools, type ToolAnswer } from './gateway-tools.js';
export { runbookReport, type StepResult } from './report.js';
export { RUNBOOK_FILE, runbookOf, type RunbookStep } from './runbook.js';
export { SCRIPTED_RUNNER_ID, scriptedRunner } from './scripted-runner.js';

/**
 * The plugin. Load it by package name (`AKMATORI_PLUGINS=@akmatori-examples/scripted-runner`),
 * then choose its runner for an alert source (`runner: "scripted-runbook"`) or for every
 * incident (`PUT /api/settings/runner`).
 */
export default function scriptedRunnerPlugin(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori-examples/scripted-runner',
    version: '0.1.0',
    coreVersion: '^0.1.0',
    runners: [scriptedRunner()],
  });
}
