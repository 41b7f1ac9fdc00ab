import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skillVersion } from './skill-version.js';

let root: string;
let skill: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'akm-skill-version-'));
  skill = path.join(root, 'disk-filling-up');
  await mkdir(path.join(skill, 'scripts'), { recursive: true });
  await writeFile(path.join(skill, 'SKILL.md'), '---\nname: disk-filling-up\n---\nCheck df.\n');
  await writeFile(path.join(skill, 'scripts', 'largest.sh'), 'du -x / | sort -n | tail\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('skill version (content hash of the skill files)', () => {
  it('is the same for the same files in another directory, and ignores dot files', async () => {
    const before = await skillVersion(skill);
    expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
    const copy = path.join(root, 'copy');
    await cp(skill, copy, { recursive: true });
    await writeFile(path.join(copy, '.SKILL.md.0a1b2c.tmp'), 'half-written');
    expect(await skillVersion(copy)).toBe(before);
  });

  it('changes when SKILL.md or a script is edited, or a file is renamed', async () => {
    const seen = new Set([await skillVersion(skill)]);
    await writeFile(
      path.join(skill, 'SKILL.md'),
      '---\nname: disk-filling-up\n---\nCheck df -i.\n',
    );
    seen.add(await skillVersion(skill));
    await writeFile(path.join(skill, 'scripts', 'largest.sh'), 'du -x / | sort -n | tail -5\n');
    seen.add(await skillVersion(skill));
    await rename(path.join(skill, 'scripts', 'largest.sh'), path.join(skill, 'scripts', 'top.sh'));
    seen.add(await skillVersion(skill));
    expect(seen.size).toBe(4);
  });
});
