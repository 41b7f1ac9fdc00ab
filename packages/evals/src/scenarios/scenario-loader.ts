import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { createAjv, describeSchemaErrors } from '@akmatori/core';
import { parse as parseYaml } from 'yaml';
import type { EnvironmentRegistry } from '../environments/environment-registry.js';
import { EvalErrors } from '../errors.js';
import { scenarioSchema } from './scenario-schema.js';
import type { Scenario, ScenarioDefinition, ScenarioSkill } from './scenario.js';

const ajv = createAjv({ strict: false });
const validateScenario = ajv.compile<ScenarioDefinition>(scenarioSchema);

/** Options of {@link loadScenario} and {@link loadScenarios}. */
export interface LoadScenarioOptions {
  /** When given, each environment entry is checked against its kind's schema. */
  readonly registry?: EnvironmentRegistry;
  /** Starter skill names the server has (folder skills need none); unchecked when omitted. */
  readonly starterSkills?: readonly string[];
}

/**
 * Reads and checks one scenario folder: `scenario.yaml` against the schema, its id against the
 * folder name, every referenced file present and inside the folder, every regex valid, and
 * (with a registry) every environment entry. Throws `AKM_EVAL_SCENARIO_INVALID` listing every
 * problem found.
 *
 * @example
 * ```ts
 * const scenario = loadScenario('evals/scenarios/prom-var-filling-web-2', { registry });
 * scenario.definition.expect.root_cause; // [['/var', 'fill|full|grow']]
 * ```
 */
export function loadScenario(dir: string, options: LoadScenarioOptions = {}): Scenario {
  const root = realpathSync(path.resolve(dir));
  const folder = path.basename(root);
  const fail = (problems: string[]): never => {
    throw EvalErrors.AKM_EVAL_SCENARIO_INVALID({ scenario: folder, problems });
  };
  const yamlPath = path.join(root, 'scenario.yaml');
  if (!existsSync(yamlPath)) fail(['scenario.yaml is missing']);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(yamlPath, 'utf8'));
  } catch (error) {
    fail([`scenario.yaml is not valid YAML: ${(error as Error).message}`]);
  }
  if (!validateScenario(raw)) return fail(describeSchemaErrors(validateScenario.errors));
  const definition = raw;
  const problems: string[] = [];
  if (definition.id !== folder)
    problems.push(`id ${JSON.stringify(definition.id)} differs from the folder name`);

  const inside = (relative: string, what: string): string | undefined => {
    const full = path.resolve(root, relative);
    if (!existsSync(full)) {
      problems.push(`${what} ${relative} does not exist`);
      return undefined;
    }
    const real = realpathSync(full);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
      problems.push(`${what} ${relative} is outside the scenario folder`);
      return undefined;
    }
    return real;
  };

  const alerts: { file: string; text: string }[] = [];
  for (const file of definition.alerts) {
    const full = inside(file, 'alert file');
    if (full === undefined) continue;
    if (!statSync(full).isFile()) problems.push(`alert file ${file} is not a file`);
    else alerts.push({ file, text: readFileSync(full, 'utf8') });
  }

  const skills: ScenarioSkill[] = [];
  for (const name of definition.skills) {
    const own = path.join(root, 'skills', name);
    if (existsSync(own)) {
      const full = inside(path.join('skills', name, 'SKILL.md'), `skill ${name}:`);
      if (full !== undefined) skills.push({ name, kind: 'folder', dir: path.dirname(full) });
    } else if (options.starterSkills && !options.starterSkills.includes(name)) {
      problems.push(`skill ${name} is neither a starter skill nor a folder under skills/`);
    } else skills.push({ name, kind: 'starter' });
  }

  // Codex shows the model `web-1__execute_command` as `web_1__execute_command`, so a trajectory
  // could not call the tool under the name the audit log records.
  for (const name of definition.tools)
    if (!/^[A-Za-z0-9_]+$/.test(name))
      problems.push(
        `tool instance ${name}: use only letters, digits and _ (Codex renames other characters, e.g. web-1 to web_1)`,
      );

  const regexes: [string, string][] = [];
  const { expect } = definition;
  expect.root_cause.forEach((answer, i) =>
    answer.forEach((re) => regexes.push([`expect.root_cause[${i}]`, re])),
  );
  expect.evidence.forEach((evidence, i) => {
    regexes.push([`expect.evidence[${i}].output_match`, evidence.output_match]);
    for (const [name, re] of Object.entries(evidence.arguments_match ?? {}))
      regexes.push([`expect.evidence[${i}].arguments_match.${name}`, re]);
  });
  if (expect.writes !== 'none')
    expect.writes.after_approval.forEach((write, i) => {
      for (const [name, re] of Object.entries(write.arguments_match ?? {}))
        regexes.push([`expect.writes.after_approval[${i}].arguments_match.${name}`, re]);
    });
  for (const [where, re] of regexes) {
    try {
      new RegExp(re, 'i');
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }

  const names = new Set<string>();
  for (const entry of definition.environment) {
    if (names.has(entry.name)) problems.push(`environment name ${entry.name} is used twice`);
    names.add(entry.name);
    if (options.registry === undefined) continue;
    try {
      options.registry.check(entry);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  const trajectories: Record<string, string> = {};
  const trajectoryDir = path.join(root, 'trajectories');
  if (existsSync(trajectoryDir))
    for (const file of readdirSync(trajectoryDir).sort())
      if (file.endsWith('.json')) {
        const full = inside(path.join('trajectories', file), 'trajectory');
        if (full !== undefined) trajectories[file.slice(0, -'.json'.length)] = full;
      }

  if (problems.length > 0) fail(problems);
  return { id: definition.id, dir: root, definition, alerts, skills, trajectories };
}

/**
 * Loads every scenario folder under `dir` (each subfolder with a scenario.yaml), sorted by id,
 * or only those whose id is in `ids` (an unknown id throws `AKM_EVAL_SCENARIO_NOT_FOUND`).
 */
export function loadScenarios(
  dir: string,
  options: LoadScenarioOptions & { readonly ids?: readonly string[] } = {},
): Scenario[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw EvalErrors.AKM_EVAL_OPTION_INVALID({
      option: `the scenarios folder ${dir}`,
      problem: 'does not exist (run from the repository root, or give --scenarios-dir)',
    });
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'scenario.yaml')),
    )
    .map((entry) => entry.name)
    .sort();
  const wanted = options.ids === undefined || options.ids.length === 0 ? folders : options.ids;
  for (const id of wanted)
    if (!folders.includes(id)) throw EvalErrors.AKM_EVAL_SCENARIO_NOT_FOUND({ id, dir });
  return wanted.map((id) => loadScenario(path.join(dir, id), options));
}
