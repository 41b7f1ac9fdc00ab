import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateSkillDirectories } from '@akmatori/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath } from '@akmatori/test-support/app/server-process';

// These tests run the built command line (`npm test` builds first), as a user would.
const starterSkills = fileURLToPath(new URL('../skills', import.meta.url));
const starterNames = [
  'alertmanager-alert-triage',
  'disk-filling-up',
  'high-cpu',
  'host-unreachable',
  'zabbix-problem-triage',
];

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Creates files (path → content) under a fresh temporary directory and returns it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'akm-skills-cli-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const skillMd = (
  name: string,
  description = 'Find what fills a disk.',
  body = '# Steps\n',
): string => `---\nname: ${name}\ndescription: ${description}\n---\n\n${body}`;

function validate(...dirs: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, 'skills', 'validate', ...dirs], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('akmatori skills validate', () => {
  it('accepts a valid skill directory and exits 0 with a summary', () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('high-cpu') });
    const result = validate(path.join(root, 'high-cpu'));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('1 skill checked: all valid (0 problems, 0 warnings)\n');
  });

  it('prints each problem as <dir>: <field>: <message> and exits 1', () => {
    const root = tree({
      'skills/high-cpu/SKILL.md': skillMd('high-cpu'),
      'skills/bad--name/SKILL.md': skillMd('bad--name').replace('---\n\n', 'foo: bar\n---\n\n'),
    });
    const bad = path.join(root, 'skills', 'bad--name');
    const result = validate(path.join(root, 'skills'));
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      `${bad}: name: name must not contain consecutive hyphens ("bad--name")`,
      `${bad}: foo: unexpected field "foo" (allowed: name, description, license, compatibility, metadata, allowed-tools)`,
      '2 skills checked: 1 invalid (2 problems, 0 warnings)',
      '',
    ]);
  });

  it('marks warnings as such and still exits 0', () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('high-cpu', 'Use when: CPU is high') });
    const result = validate(path.join(root, 'high-cpu'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${path.join(root, 'high-cpu')}: warning: description: `);
    expect(result.stdout).toContain('1 skill checked: all valid (0 problems, 1 warning)');
  });

  it('reports a name that differs from its directory', () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('cpu-high') });
    const result = validate(path.join(root, 'high-cpu'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `name: name "cpu-high" must equal the skill's directory name "high-cpu"`,
    );
  });

  it('fails on a path that holds no skill', () => {
    const root = tree({ 'README.md': '# nothing here\n' });
    const result = validate(root);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${root}: no SKILL.md here or in any subfolder`);
    expect(result.stdout).toContain('0 skills checked: 0 invalid (1 problem, 0 warnings)');
  });

  it('says a path that does not exist does not exist', () => {
    const root = tree({});
    const gone = path.join(root, 'no-such-folder');
    const result = validate(gone);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${gone}: does not exist`);
    expect(result.stdout).not.toContain('no SKILL.md');
  });

  it('accepts several paths at once, mixing skills and folders of skills', () => {
    const root = tree({
      'a/high-cpu/SKILL.md': skillMd('high-cpu'),
      'disk-filling-up/SKILL.md': skillMd('disk-filling-up'),
    });
    const result = validate(path.join(root, 'a'), path.join(root, 'disk-filling-up'));
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain('2 skills checked: all valid');
  });

  it('passes on the shipped starter skills', () => {
    const result = validate(starterSkills);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toBe('5 skills checked: all valid (0 problems, 0 warnings)\n');
  });
});

describe('the starter skills shipped in app/skills', () => {
  it('are all there, valid under the specification, with no warnings', async () => {
    const report = await validateSkillDirectories([starterSkills]);
    expect(report.skills.map((s) => s.directoryName)).toEqual(starterNames);
    for (const { directoryName, skill } of report.skills) {
      expect(skill.problems, directoryName).toEqual([]);
      expect(skill.warnings, directoryName).toEqual([]);
    }
  });

  it('each names the tools it needs in metadata, and says what never to do without approval', async () => {
    const report = await validateSkillDirectories([starterSkills]);
    for (const { directoryName, skill } of report.skills) {
      expect(skill.valid && skill.frontmatter.metadata?.tools, directoryName).toMatch(/\S/);
      expect(skill.body, directoryName).toMatch(/## Never without explicit human approval/);
      expect(skill.body, directoryName).toMatch(/## Escalate when/);
    }
  });
});
