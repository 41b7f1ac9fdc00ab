import {
  createLogger,
  type SkillValidationReport,
  systemClock,
  validateSkillDirectories,
} from '@akmatori/core';
import { loadConfig } from '@akmatori/host/config';
import type { Command } from 'commander';
import { SkillStore } from './skills/skill-store.js';

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Renders a validation report as the lines `akmatori skills validate` prints: each problem as
 * `<dir>: <field>: <message>`, each warning as `<dir>: warning: <field>: <message>`, then a
 * one-line summary.
 *
 * @example
 * formatSkillReport(await validateSkillDirectories(['skills/'])).join('\n');
 */
export function formatSkillReport(report: SkillValidationReport): string[] {
  const lines: string[] = [];
  for (const { dir, message } of report.missing) lines.push(`${dir}: ${message}`);
  let problems = report.missing.length;
  let warnings = 0;
  for (const { dir, skill } of report.skills) {
    for (const p of skill.problems) lines.push(`${dir}: ${p.field}: ${p.message}`);
    for (const w of skill.warnings) lines.push(`${dir}: warning: ${w.field}: ${w.message}`);
    problems += skill.problems.length;
    warnings += skill.warnings.length;
  }
  const invalid = report.skills.filter((s) => !s.skill.valid).length;
  const checked = plural(report.skills.length, 'skill');
  const verdict = report.valid ? 'all valid' : `${invalid} invalid`;
  lines.push(
    `${checked} checked: ${verdict} (${plural(problems, 'problem')}, ${plural(warnings, 'warning')})`,
  );
  return lines;
}

/**
 * Adds the `skills` command group to the command line: `skills validate <dir...>` checks
 * skill directories (or folders of them) against the Agent Skills specification and exits 1
 * when any is invalid.
 *
 * @example
 * registerSkillsCommands(new Command('akmatori'));
 */
export function registerSkillsCommands(program: Command): void {
  const skills = program.command('skills').description('work with Agent Skills (SKILL.md)');
  skills
    .command('validate')
    .description(
      'check skills against the Agent Skills specification; each <dir> is a skill directory or a folder of them',
    )
    .argument('<dir...>', 'skill directories, or folders whose subfolders are skills')
    .action(async (dirs: string[]) => {
      const report = await validateSkillDirectories(dirs);
      process.stdout.write(`${formatSkillReport(report).join('\n')}\n`);
      if (!report.valid) process.exitCode = 1;
    });
  skills
    .command('sync')
    .description('bring the skills index in step with the skills directory (AKMATORI_SKILLS_DIR)')
    .action(async () => {
      const config = loadConfig({ file: program.opts<{ config?: string }>().config });
      const { openDatabase } = await import('@akmatori/host');
      const database = await openDatabase(config);
      try {
        if (config.migrateOnStart) await database.migrate();
        const store = new SkillStore({
          dir: config.skillsDir,
          knex: database.knex,
          clock: systemClock,
          log: createLogger({ level: config.logLevel, name: 'akmatori' }),
        });
        const report = await store.sync();
        const line = (label: string, names: readonly string[]): string =>
          `${label}: ${names.length === 0 ? 'none' : names.join(', ')}`;
        process.stdout.write(
          [
            `skills directory: ${store.directory}`,
            line('added', report.added),
            line('updated', report.updated),
            line('removed', report.removed),
            ...report.skipped.map(
              (s) => `skipped ${s.directory}: ${s.problems.map((p) => p.message).join('; ')}`,
            ),
          ].join('\n') + '\n',
        );
        if (report.skipped.length > 0) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });
}
