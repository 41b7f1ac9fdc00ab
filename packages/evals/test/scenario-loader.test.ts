import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, loadScenarios } from '../src/index.js';

const scenariosDir = path.resolve(import.meta.dirname, '../../../evals/scenarios');
const work = mkdtempSync(path.join(tmpdir(), 'akm-eval-loader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const validYaml = (id: string, extra = ''): string =>
  [
    `id: ${id}`,
    'title: A title',
    'description: What breaks.',
    'source: alertmanager',
    'alerts: [alert.json]',
    'environment: []',
    'skills: []',
    'tools: []',
    'expect:',
    '  root_cause: [[disk]]',
    '  evidence: []',
    '  writes: none',
    '  budget: { max_tokens: 1000, max_cost_usd: 0.1, max_tool_calls: 3 }',
    extra,
  ].join('\n');

function scenarioFolder(id: string, yaml: string, files: Record<string, string> = {}): string {
  const dir = path.join(work, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'scenario.yaml'), yaml);
  for (const [file, text] of Object.entries({ 'alert.json': '{}', ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('scenario loader', () => {
  it('loads every scenario folder of evals/scenarios', () => {
    const scenarios = loadScenarios(scenariosDir);
    expect(scenarios.length).toBeGreaterThan(0);
    for (const scenario of scenarios) {
      expect(scenario.alerts.length, scenario.id).toBeGreaterThan(0);
      expect(Object.keys(scenario.trajectories).sort(), scenario.id).toEqual(
        expect.arrayContaining(['correct', 'wrong']),
      );
    }
  });

  it('loads a valid folder with its alert text and trajectories', () => {
    const dir = scenarioFolder('ok-one', validYaml('ok-one'), {
      'trajectories/correct.json': '{"turns":[]}',
    });
    const scenario = loadScenario(dir);
    expect(scenario.alerts).toEqual([{ file: 'alert.json', text: '{}' }]);
    expect(scenario.trajectories).toEqual({ correct: path.join(dir, 'trajectories/correct.json') });
  });

  it('names every problem: id not the folder, missing alert file, bad regex', () => {
    const yaml = validYaml('other-id')
      .replace('alerts: [alert.json]', 'alerts: [alert.json, missing.json]')
      .replace('[[disk]]', '[["(unclosed"]]');
    const dir = scenarioFolder('bad-one', yaml);
    expect(() => loadScenario(dir)).toThrow(
      /scenario bad-one: id "other-id" differs from the folder name; alert file missing.json does not exist; expect.root_cause\[0\]: Invalid regular expression/,
    );
  });

  it('refuses an alert file that leaves the folder, by path or by symbolic link', () => {
    writeFileSync(path.join(work, 'secret.json'), '{}');
    const dir = scenarioFolder(
      'escape-one',
      validYaml('escape-one').replace(
        'alerts: [alert.json]',
        'alerts: [../secret.json, link.json]',
      ),
    );
    symlinkSync(path.join(work, 'secret.json'), path.join(dir, 'link.json'));
    expect(() => loadScenario(dir)).toThrow(
      'alert file ../secret.json is outside the scenario folder; alert file link.json is outside the scenario folder',
    );
  });

  it('refuses a scenario.yaml the schema refuses, naming the field', () => {
    const dir = scenarioFolder(
      'schema-one',
      validYaml('schema-one').replace('source: alertmanager', 'source: nagios'),
    );
    expect(() => loadScenario(dir)).toThrow(/source must be one of alertmanager, grafana/);
  });

  it('refuses a skill that is neither a starter skill nor a folder of the scenario', () => {
    const dir = scenarioFolder(
      'skill-one',
      validYaml('skill-one').replace('skills: []', 'skills: [no-such-skill]'),
    );
    expect(() => loadScenario(dir, { starterSkills: ['high-cpu'] })).toThrow(
      'skill no-such-skill is neither a starter skill nor a folder under skills/',
    );
  });

  it('refuses a tool instance name Codex would rename', () => {
    const dir = scenarioFolder(
      'tool-name-one',
      validYaml('tool-name-one').replace('tools: []', 'tools: [web-1]'),
    );
    expect(() => loadScenario(dir)).toThrow(
      'tool instance web-1: use only letters, digits and _ (Codex renames other characters, e.g. web-1 to web_1)',
    );
  });

  it('says when the scenarios folder does not exist', () => {
    expect(() => loadScenarios(path.join(work, 'no-such-folder'))).toThrow(
      /no-such-folder does not exist \(run from the repository root, or give --scenarios-dir\)/,
    );
  });

  it('says which scenario id asked for does not exist', () => {
    expect(() => loadScenarios(scenariosDir, { ids: ['no-such-scenario'] })).toThrow(
      /no scenario "no-such-scenario" in/,
    );
  });
});
