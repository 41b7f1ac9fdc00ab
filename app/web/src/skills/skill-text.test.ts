import { describe, expect, it } from 'vitest';
import {
  bytesToBase64,
  fileViewText,
  frontmatterName,
  isSkillName,
  newSkillText,
  skillBody,
  skillFilePath,
  skillFileProblem,
} from './skill-text';

describe('frontmatterName', () => {
  it('reads the name from the frontmatter, quoted or not', () => {
    expect(frontmatterName('---\nname: disk-full\ndescription: x\n---\nbody')).toBe('disk-full');
    expect(frontmatterName('---\r\ndescription: x\r\nname: "quoted"\r\n---\r\n')).toBe('quoted');
  });

  it('finds no name without frontmatter, outside it, or when it is blank', () => {
    expect(frontmatterName('name: x\n')).toBeUndefined();
    expect(frontmatterName('---\ndescription: x\n---\nname: body-name\n')).toBeUndefined();
    expect(frontmatterName('---\nname:\n---\n')).toBeUndefined();
  });

  it('reads the name of the template a new skill starts from', () => {
    expect(frontmatterName(newSkillText())).toBe('my-skill');
  });
});

describe('isSkillName', () => {
  it.each(['a', 'disk-full', 'k8s-pod-crash'])('takes %s', (name) => {
    expect(isSkillName(name)).toBe(true);
  });
  it.each(['', 'Disk', '-a', 'a-', 'a--b', 'a_b', 'x'.repeat(65)])('refuses %j', (name) => {
    expect(isSkillName(name)).toBe(false);
  });
});

describe('skillFileProblem', () => {
  it('takes files inside scripts/, references/ and assets/', () => {
    expect(skillFileProblem('scripts/check.sh')).toBeUndefined();
    expect(skillFileProblem('references/deep/runbook.md')).toBeUndefined();
  });
  it.each([
    ['check.sh', 'scripts/, references/ or assets/'],
    ['other/check.sh', 'scripts/, references/ or assets/'],
    ['scripts/', 'empty parts'],
    ['scripts/../SKILL.md', '".."'],
    ['scripts/.env', 'Hidden'],
  ])('refuses %s', (path, reason) => {
    expect(skillFileProblem(path)).toContain(reason);
  });
});

describe('fileViewText', () => {
  it('shows text as it is and says how big a binary file is', () => {
    expect(fileViewText({ content: '<b>echo</b>', encoding: 'utf8' })).toBe('<b>echo</b>');
    expect(fileViewText({ content: 'AAECAw==', encoding: 'base64' })).toBe(
      '(binary file, 4 bytes: not shown)',
    );
  });
});

describe('bytesToBase64', () => {
  it('encodes bytes, including ones that are not text', () => {
    expect(bytesToBase64(new Uint8Array([104, 105]))).toBe('aGk=');
    expect(bytesToBase64(new Uint8Array([0, 255, 128]))).toBe('AP+A');
    expect(bytesToBase64(new Uint8Array(100_000).fill(65))).toBe(btoa('A'.repeat(100_000)));
  });
});

describe('skillFilePath', () => {
  it('keeps the folders and encodes each part', () => {
    expect(skillFilePath('disk-full', 'scripts/check disk#1.sh')).toBe(
      '/api/skills/disk-full/files/scripts/check%20disk%231.sh',
    );
  });
});

describe('skillBody', () => {
  it('is what follows the frontmatter, or the whole text without one', () => {
    expect(skillBody('---\nname: a\ndescription: b\n---\n\n# Steps\n')).toBe('\n# Steps\n');
    expect(skillBody('# No frontmatter\n')).toBe('# No frontmatter\n');
  });
});
