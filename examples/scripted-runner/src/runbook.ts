import type { RunTask } from '@akmatori/core';

/** Where a skill keeps the runbook this runner follows, relative to the skill's directory. */
export const RUNBOOK_FILE = 'references/runbook.json';

/** One step of a runbook: a gateway tool to call, by its MCP name, with its arguments. */
export interface RunbookStep {
  /** The skill the step comes from. */
  readonly skill: string;
  /** The tool's MCP name, `<instance>__<tool>`, such as `web__execute_command`. */
  readonly tool: string;
  /** The tool's arguments, as its input schema describes them. */
  readonly arguments: Record<string, unknown>;
}

/**
 * The steps of the runbooks in the task's skills, skill by skill: each skill's
 * `references/runbook.json` is a JSON array of `{"tool": "...", "arguments": {...}}`. Operators
 * write skills, so a runbook is trusted; the incident data never becomes a step or an argument.
 * Throws, naming the skill, when a runbook is not such an array.
 *
 * @example
 * ```ts
 * // references/runbook.json: [{"tool": "web__execute_command", "arguments": {"command": "df -h"}}]
 * runbookOf(task); // [{ skill: 'disk-filling-up', tool: 'web__execute_command', arguments: {...} }]
 * ```
 */
export function runbookOf(task: RunTask): RunbookStep[] {
  const steps: RunbookStep[] = [];
  for (const skill of task.skills) {
    const file = skill.files.find((candidate) => candidate.path === RUNBOOK_FILE);
    if (file === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(file.content).toString('utf8'));
    } catch (error) {
      throw new Error(
        `the runbook of skill ${skill.name} is not JSON: ${(error as Error).message}`,
      );
    }
    if (!Array.isArray(parsed))
      throw new Error(`the runbook of skill ${skill.name} is not an array of steps`);
    for (const [index, step] of parsed.entries()) {
      if (!isStep(step))
        throw new Error(
          `step ${index + 1} of the runbook of skill ${skill.name} needs "tool" (a string) and, if any, "arguments" (an object)`,
        );
      steps.push({ skill: skill.name, tool: step.tool, arguments: step.arguments ?? {} });
    }
  }
  return steps;
}

function isStep(value: unknown): value is { tool: string; arguments?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { tool, arguments: args } = value as Record<string, unknown>;
  return (
    typeof tool === 'string' &&
    tool !== '' &&
    (args === undefined || (typeof args === 'object' && args !== null && !Array.isArray(args)))
  );
}
