import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@akmatori/core';
import {
  EvalErrors,
  formatScorecard,
  renderHtmlReport,
  runEval,
  type EvalResult,
} from '@akmatori/evals';
import { createRepositories, loadConfig, openDatabase } from '@akmatori/host';
import type { EvalRunCliOptions } from './eval-cli.js';
import { storeEvalRun } from './evals/store-eval-run.js';
import { starterSkillsDirectory } from './skills/starter-skills.js';

const number = (option: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({ option, problem: 'must be a number ≥ 0' });
  return parsed;
};

/**
 * `akmatori eval run`: runs the scenarios through a throwaway `akmatori serve` (this very
 * command line, on an embedded database and loopback ports), prints the scorecard, writes
 * `eval-result.json` and `eval-report.html` to the report folder, and with `--store` keeps the
 * scorecard in the configured database. Returns the exit code: 1 when the pass rate is below
 * `--min-pass-rate`. The API key is read from AKMATORI_EVAL_API_KEY (or OPENAI_API_KEY) and goes
 * only to the throwaway server's LLM settings.
 */
export async function evalRun(options: EvalRunCliOptions, configFile?: string): Promise<number> {
  const model = options.model ?? process.env['AKMATORI_EVAL_MODEL'];
  if (model === undefined || model === '')
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({
      option: '--model',
      problem: 'is required (or set AKMATORI_EVAL_MODEL)',
    });
  const endpoint =
    options.endpoint ?? process.env['AKMATORI_EVAL_ENDPOINT'] ?? 'https://api.openai.com/v1';
  try {
    new URL(endpoint);
  } catch {
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({ option: '--endpoint', problem: 'is not a URL' });
  }
  const apiKey = process.env['AKMATORI_EVAL_API_KEY'] ?? process.env['OPENAI_API_KEY'];
  if (apiKey === undefined || apiKey === '')
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({
      option: 'AKMATORI_EVAL_API_KEY',
      problem: 'is not set (the model API key; OPENAI_API_KEY is read too)',
    });
  const minPassRate = number('--min-pass-rate', options.minPassRate) ?? 0;
  const inputPrice = number('--price-input', options.priceInput);
  const outputPrice = number('--price-output', options.priceOutput);
  const scenariosDir = path.resolve(options.scenariosDir);
  const log = createLogger({
    level: process.env['LOG_LEVEL'] === 'debug' ? 'debug' : 'warn',
    name: 'akmatori-eval',
  });

  // A copy: the throwaway server writes into its skills directory (scenario skills come and go).
  const skillsSource =
    options.skillsDir === undefined ? starterSkillsDirectory : path.resolve(options.skillsDir);
  const skillsCopy = mkdtempSync(path.join(tmpdir(), 'akm-eval-skills-'));
  cpSync(skillsSource, skillsCopy, { recursive: true });

  let result: EvalResult;
  try {
    result = await runEval({
      scenariosDir,
      ...(options.scenario.length > 0 ? { ids: options.scenario } : {}),
      repeat: Number(options.repeat),
      model: {
        baseUrl: endpoint,
        model,
        apiKey,
        ...(inputPrice !== undefined || outputPrice !== undefined
          ? { price: { inputPerMillion: inputPrice ?? 0, outputPerMillion: outputPrice ?? 0 } }
          : {}),
      },
      ...(options.judgeModel === undefined
        ? {}
        : {
            judge: {
              baseUrl: options.judgeEndpoint ?? endpoint,
              model: options.judgeModel,
              apiKey: process.env['AKMATORI_EVAL_JUDGE_API_KEY'] ?? apiKey,
            },
          }),
      server: {
        cliPath: fileURLToPath(new URL('./cli.js', import.meta.url)),
        env: { AKMATORI_SKILLS_DIR: skillsCopy },
      },
      log,
      onRun: (scenario, run) =>
        process.stderr.write(
          `${scenario.id} run ${run.attempt}: ${run.passed ? 'PASS' : 'FAIL'} (${run.status})\n`,
        ),
    });
  } finally {
    rmSync(skillsCopy, { recursive: true, force: true });
  }

  process.stdout.write(formatScorecard(result));
  const reportDir = path.resolve(options.reportDir);
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(path.join(reportDir, 'eval-result.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(reportDir, 'eval-report.html'), renderHtmlReport(result));
  process.stdout.write(
    `Reports: ${path.join(reportDir, 'eval-result.json')}, ${path.join(reportDir, 'eval-report.html')}\n`,
  );

  if (options.store === true) {
    const skillDirectories: Record<string, string> = {};
    for (const scenario of result.scenarios)
      for (const name of scenario.skills) {
        const own = path.join(scenariosDir, scenario.scenarioId, 'skills', name);
        skillDirectories[name] = existsSync(own) ? own : path.join(skillsSource, name);
      }
    const database = await openDatabase(loadConfig({ file: configFile }));
    try {
      const id = await storeEvalRun(createRepositories(database).evalScorecards, result, {
        skillDirectories,
      });
      process.stdout.write(`Scorecard stored: eval run ${id}\n`);
    } finally {
      await database.close();
    }
  }
  return result.totals.passRate < minPassRate ? 1 : 0;
}
