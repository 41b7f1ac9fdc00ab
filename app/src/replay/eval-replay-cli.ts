import type { Command } from 'commander';

/** Options of `akmatori eval replay`. */
export interface EvalReplayOptions {
  readonly url: string;
  readonly mode: 'recorded' | 'model';
  readonly skill: string[];
  readonly currentSkills?: boolean;
  readonly promptFile?: string;
  readonly instructionsFile?: string;
  readonly json?: boolean;
}

/**
 * Adds `replay <run-id>` to the `eval` command group: it asks a running Akmatori
 * (`--url`, `AKMATORI_URL`; an API token in `AKMATORI_TOKEN`) to replay the run, prints the
 * differences (or the JSON with `--json`) and exits 1 when a `recorded` replay did not
 * reproduce the run exactly, or the replay failed. The work is loaded when the command runs.
 *
 * @example
 * ```ts
 * registerEvalReplayCommand(program.command('eval'));
 * ```
 */
export function registerEvalReplayCommand(evalCommand: Command): void {
  evalCommand
    .command('replay')
    .description(
      'replay a recorded run (tools answered from its recording) and show how its tool calls and report differ',
    )
    .argument('<run-id>', 'the run to replay (its id, as GET /api/incidents/{uuid}/runs lists it)')
    .option('--url <url>', 'the Akmatori API (default AKMATORI_URL or http://127.0.0.1:8080)')
    .option(
      '--mode <mode>',
      'recorded: the model answers from the recording too (must reproduce the run exactly); model: the configured LLM answers',
      'recorded',
    )
    .option(
      '--skill <name=file>',
      "replace (or add) a skill's SKILL.md with this file; repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--current-skills',
      'give the agent the skills as they are now instead of as the run had them (then --skill)',
    )
    .option('--prompt-file <file>', "replace the run's prompt with this file's text")
    .option(
      '--instructions-file <file>',
      "replace the run's instructions (AGENTS.md) with this file",
    )
    .option('--json', 'print the replay and its differences as JSON')
    .action(async (runId: string, options: Omit<EvalReplayOptions, 'url'> & { url?: string }) => {
      const { evalReplay } = await import('./eval-replay.js');
      process.exitCode = await evalReplay(runId, {
        ...options,
        url: options.url ?? process.env['AKMATORI_URL'] ?? 'http://127.0.0.1:8080',
      });
    });
}
