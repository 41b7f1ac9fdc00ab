import {
  defineRunner,
  type RunContext,
  type RunEvent,
  type Runner,
  type RunTask,
} from '@akmatori/core';
import { connectGatewayTools } from './gateway-tools.js';
import { runbookReport, type StepResult } from './report.js';
import { runbookOf } from './runbook.js';

/** The id alert sources and the `runner` setting name to choose this runner. */
export const SCRIPTED_RUNNER_ID = 'scripted-runbook';

/**
 * A runner without any LLM: it follows the runbooks of the incident's skills (see
 * {@link runbookOf}), calling each step's tool through the gateway's MCP endpoint with the run
 * token, and reports what the tools returned in the final report's sections. It shows what
 * the Runner contract gives a runner: the task (skills with their files, the incident data)
 * and the gateway (MCP URL and run token), nothing else.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-runners', runners: [scriptedRunner()] });
 * ```
 */
export function scriptedRunner(): Runner {
  return defineRunner({
    id: SCRIPTED_RUNNER_ID,
    displayName: 'Scripted runbook (no LLM)',
    start(task, context) {
      const stop = new AbortController();
      const signal = AbortSignal.any([
        stop.signal,
        context.signal,
        AbortSignal.timeout(task.deadlineMs),
      ]);
      return {
        events: follow(task, context, signal),
        async cancel(reason = 'cancelled') {
          stop.abort(new Error(reason));
        },
      };
    },
  });
}

async function* follow(
  task: RunTask,
  context: RunContext,
  signal: AbortSignal,
): AsyncGenerator<RunEvent> {
  yield { type: 'run.started' };
  let tools: Awaited<ReturnType<typeof connectGatewayTools>> | undefined;
  try {
    const steps = runbookOf(task);
    yield {
      type: 'agent.message',
      text: `Following ${steps.length} runbook step(s) from the skills ${task.skills.map((skill) => skill.name).join(', ') || '(none)'}.`,
    };
    const results: StepResult[] = [];
    if (steps.length > 0) tools = await connectGatewayTools(context.gateway, signal);
    for (const [index, step] of steps.entries()) {
      signal.throwIfAborted();
      const callId = `step-${index + 1}`;
      const tool = `akmatori.${step.tool}`;
      yield { type: 'tool.started', callId, tool, input: step.arguments };
      const answer = await tools!.call(step.tool, step.arguments, signal);
      results.push({ step, ...answer });
      yield { type: 'tool.completed', callId, tool, ...answer };
    }
    yield { type: 'run.completed', summary: runbookReport(task, results) };
  } catch (error) {
    context.log.warn({ err: error }, 'the runbook stopped');
    yield {
      type: 'run.failed',
      error: signal.aborted
        ? `cancelled: ${(signal.reason as Error)?.message ?? 'stopped'}`
        : (error as Error).message,
    };
  } finally {
    await tools?.close().catch(() => {});
  }
}
