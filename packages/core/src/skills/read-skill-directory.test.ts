import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSkillDirectory } from './read-skill-directory.js';
import { validateSkillDirectories } from './validate-skill-directories.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Creates files (path → content) under a fresh temporary directory and returns it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'akm-skills-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const skillMd = (name: string, description = 'Find what fills a disk.'): string =>
  `---\nname: ${name}\ndescription: ${description}\n---\n\n# Steps\n`;

describe('readSkillDirectory', () => {
  it('reads SKILL.md, checks the name against the directory and lists the resources', async () => {
    const root = tree({
      'disk-filling-up/SKILL.md': skillMd('disk-filling-up'),
      'disk-filling-up/scripts/du-top.sh': 'du -xh / | sort -h | tail\n',
      'disk-filling-up/references/inodes.md': '# Inodes\n',
      'disk-filling-up/references/deep/lvm.md': '# LVM\n',
      'disk-filling-up/assets/report.md': '# Report\n',
      'disk-filling-up/NOTES.txt': 'other files are allowed\n',
    });
    const read = await readSkillDirectory(path.join(root, 'disk-filling-up'));
    expect(read.file).toBe('SKILL.md');
    expect(read.directoryName).toBe('disk-filling-up');
    expect(read.skill.problems).toEqual([]);
    expect(read.resources).toEqual({
      scripts: ['scripts/du-top.sh'],
      references: ['references/deep/lvm.md', 'references/inodes.md'],
      assets: ['assets/report.md'],
    });
  });

  it('accepts a lowercase skill.md', async () => {
    const root = tree({ 'high-cpu/skill.md': skillMd('high-cpu') });
    const read = await readSkillDirectory(path.join(root, 'high-cpu'));
    expect(read.file).toBe('skill.md');
    expect(read.skill.valid).toBe(true);
  });

  it('reports a name that differs from the directory', async () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('cpu-high') });
    const read = await readSkillDirectory(path.join(root, 'high-cpu'));
    expect(read.skill.problems.map((p) => p.message)).toEqual([
      `name "cpu-high" must equal the skill's directory name "high-cpu"`,
    ]);
  });

  it('only warns about that mismatch when loading leniently', async () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('cpu-high') });
    const read = await readSkillDirectory(path.join(root, 'high-cpu'), { mode: 'load' });
    expect(read.skill.valid).toBe(true);
    expect(read.skill.warnings.map((w) => w.field)).toEqual(['name']);
  });

  it('reports a directory without SKILL.md', async () => {
    const root = tree({ 'high-cpu/README.md': '# not a skill\n' });
    const read = await readSkillDirectory(path.join(root, 'high-cpu'));
    expect(read.file).toBeUndefined();
    expect(read.skill.problems).toEqual([
      { field: 'SKILL.md', message: `no SKILL.md in ${path.join(root, 'high-cpu')}` },
    ]);
  });
});

describe('validateSkillDirectories', () => {
  it('accepts a skill directory itself', async () => {
    const root = tree({ 'high-cpu/SKILL.md': skillMd('high-cpu') });
    const report = await validateSkillDirectories([path.join(root, 'high-cpu')]);
    expect(report.valid).toBe(true);
    expect(report.skills.map((s) => s.directoryName)).toEqual(['high-cpu']);
  });

  it('finds the skills in a folder of skills, skipping hidden folders and node_modules', async () => {
    const root = tree({
      'skills/high-cpu/SKILL.md': skillMd('high-cpu'),
      'skills/disk-filling-up/SKILL.md': skillMd('disk-filling-up'),
      'skills/.git/SKILL.md': 'not a skill',
      'skills/node_modules/x/SKILL.md': 'not a skill',
      'skills/README.md': '# Our skills\n',
    });
    const report = await validateSkillDirectories([path.join(root, 'skills')]);
    expect(report.skills.map((s) => s.directoryName)).toEqual(['disk-filling-up', 'high-cpu']);
    expect(report.valid).toBe(true);
  });

  it('is invalid when any skill is invalid', async () => {
    const root = tree({
      'skills/high-cpu/SKILL.md': skillMd('high-cpu'),
      'skills/bad--name/SKILL.md': skillMd('bad--name'),
    });
    const report = await validateSkillDirectories([path.join(root, 'skills')]);
    expect(report.valid).toBe(false);
    expect(report.skills.filter((s) => !s.skill.valid).map((s) => s.directoryName)).toEqual([
      'bad--name',
    ]);
  });

  it('is invalid when a path holds no skill at all', async () => {
    const root = tree({ 'empty/README.md': '# nothing\n' });
    const report = await validateSkillDirectories([path.join(root, 'empty')]);
    expect(report.valid).toBe(false);
    expect(report.missing).toEqual([
      { dir: path.join(root, 'empty'), message: 'no SKILL.md here or in any subfolder' },
    ]);
  });
});
