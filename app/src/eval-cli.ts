import type { Command } from 'commander';
import { registerEvalReplayCommand } from './replay/eval-replay-cli.js';

/** Options of `akmatori eval run`, as commander parses them. */
export interface EvalRunCliOptions {
  readonly scenario: string[];
  readonly scenariosDir: string;
  readonly model?: string;
  readonly endpoint?: string;
  readonly repeat: string;
  readonly reportDir: string;
  readonly priceInput?: string;
  readonly priceOutput?: string;
  readonly minPassRate: string;
  readonly store?: boolean;
  readonly skillsDir?: string;
  readonly judgeModel?: string;
  readonly judgeEndpoint?: string;
}

/**
 * Adds the `eval` command group: `eval run` (the eval harness, `@akmatori/evals`) and
 * `eval replay` (a recorded run replayed). Each loads what it runs only when it runs.
 *
 * @example
 * ```ts
 * registerEvalCommands(new Command('akmatori'));
 * ```
 */
export function registerEvalCommands(program: Command): void {
  const evalCommand = program
    .command('eval')
    .description('measure investigations: run eval scenarios, replay recorded runs');
  evalCommand
    .command('run')
    .description(
      'run eval scenarios (real broken environments) through a throwaway akmatori serve against an OpenAI-compatible model; the API key comes from AKMATORI_EVAL_API_KEY (or OPENAI_API_KEY)',
    )
    .option(
      '--scenario <id>',
      'a scenario to run (its folder name); repeatable; default: all',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--scenarios-dir <dir>', 'the folder of scenario folders', 'evals/scenarios')
    .option('--model <model>', 'the model (default AKMATORI_EVAL_MODEL)')
    .option(
      '--endpoint <url>',
      'the OpenAI-compatible API root (default AKMATORI_EVAL_ENDPOINT or https://api.openai.com/v1)',
    )
    .option('--repeat <n>', 'runs per scenario', '1')
    .option('--report-dir <dir>', 'where eval-result.json and eval-report.html go', 'eval-report')
    .option(
      '--skills-dir <dir>',
      'your skills directory (folders with SKILL.md): a copy replaces the starter skills of the throwaway server',
    )
    .option('--price-input <usd>', 'USD per million input tokens, for the cost')
    .option('--price-output <usd>', 'USD per million output tokens, for the cost')
    .option(
      '--judge-model <model>',
      'also grade each report with this model (an LLM judge, reported apart from the checks); its key: AKMATORI_EVAL_JUDGE_API_KEY, else the model key',
    )
    .option('--judge-endpoint <url>', "the judge's API root (default: --endpoint)")
    .option('--min-pass-rate <rate>', 'exit 1 when the pass rate (0-1) is below this', '0')
    .option(
      '--store',
      "keep the result as a scorecard in this Akmatori's database (its config: DATABASE_URL or AKMATORI_DATA_DIR), shown on the dashboard's Evals page",
    )
    .action(async (options: EvalRunCliOptions) => {
      const { evalRun } = await import('./eval-run.js');
      process.exitCode = await evalRun(options, program.opts<{ config?: string }>().config);
    });
  registerEvalReplayCommand(evalCommand);
}
