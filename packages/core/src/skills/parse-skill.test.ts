import { describe, expect, it } from 'vitest';
import { parseSkill, type ParsedSkill } from './parse-skill.js';

/** A SKILL.md with the given frontmatter lines (a valid name and description unless overridden). */
function skillMd(fields: Record<string, string>, body = '# Steps\n\n1. Look.\n'): string {
  const all = { name: 'disk-filling-up', description: 'Find what fills a disk.', ...fields };
  const lines = Object.entries(all)
    .filter(([, value]) => value !== '<omit>')
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

const check = (text: string, directoryName = 'disk-filling-up'): ParsedSkill =>
  parseSkill(text, { directoryName });

const messages = (skill: ParsedSkill): string[] => skill.problems.map((p) => p.message);

describe('parseSkill: name', () => {
  it.each([
    ['a single letter', 'a'],
    ['letters, digits and single hyphens', 'k8s-node-2'],
    ['exactly 64 characters', 'a'.repeat(64)],
  ])('accepts %s', (_, name) => {
    const skill = check(skillMd({ name }), name);
    expect(skill.problems).toEqual([]);
    expect(skill.valid).toBe(true);
  });

  it.each([
    ['is missing', { name: '<omit>' }, 'name is required'],
    ['is empty', { name: '""' }, 'name must not be empty'],
    ['is not a string', { name: '42' }, 'name must be a string (got number)'],
    [
      'is 65 characters',
      { name: 'a'.repeat(65) },
      'name must be at most 64 characters (it has 65)',
    ],
    [
      'has an uppercase letter',
      { name: 'Disk-full' },
      'name may contain only lowercase letters a-z, digits 0-9 and hyphens ("Disk-full")',
    ],
    [
      'has an underscore',
      { name: 'disk_full' },
      'name may contain only lowercase letters a-z, digits 0-9 and hyphens ("disk_full")',
    ],
    [
      'has a non-ASCII letter',
      { name: 'dïsk' },
      'name may contain only lowercase letters a-z, digits 0-9 and hyphens ("dïsk")',
    ],
    ['starts with a hyphen', { name: '-disk' }, 'name must not start with a hyphen ("-disk")'],
    ['ends with a hyphen', { name: 'disk-' }, 'name must not end with a hyphen ("disk-")'],
    [
      'has consecutive hyphens',
      { name: 'bad--name' },
      'name must not contain consecutive hyphens ("bad--name")',
    ],
  ])('rejects a name that %s', (_, fields, message) => {
    const skill = parseSkill(skillMd(fields));
    expect(skill.valid).toBe(false);
    expect(messages(skill)).toEqual([message]);
    expect(skill.problems[0]?.field).toBe('name');
  });

  it('requires the name to equal the directory name', () => {
    expect(check(skillMd({ name: 'disk-filling-up' }), 'disk-filling-up').valid).toBe(true);
    const skill = check(skillMd({ name: 'disk-full' }), 'disk-filling-up');
    expect(messages(skill)).toEqual([
      `name "disk-full" must equal the skill's directory name "disk-filling-up"`,
    ]);
  });
});

describe('parseSkill: description', () => {
  it.each([
    ['1 character', 'x'],
    ['1024 characters', 'd'.repeat(1024)],
  ])('accepts %s', (_, description) => {
    expect(check(skillMd({ description })).problems).toEqual([]);
  });

  it.each([
    ['missing', { description: '<omit>' }, 'description is required'],
    ['empty', { description: '""' }, 'description must not be empty'],
    ['only spaces', { description: '"   "' }, 'description must not be empty'],
    [
      '1025 characters',
      { description: 'd'.repeat(1025) },
      'description must be at most 1024 characters (it has 1025)',
    ],
    ['a list', { description: '[a, b]' }, 'description must be a string (got a list)'],
  ])('rejects a description that is %s', (_, fields, message) => {
    const skill = check(skillMd(fields));
    expect(skill.valid).toBe(false);
    expect(messages(skill)).toEqual([message]);
  });
});

describe('parseSkill: optional fields', () => {
  it('accepts every optional field with a valid value', () => {
    const skill = check(
      skillMd({
        license: 'Apache-2.0',
        compatibility: 'c'.repeat(500),
        metadata: '\n  tools: ssh zabbix\n  version: "1.0"',
        'allowed-tools': 'Bash(df:*) Read',
      }),
    );
    expect(skill.problems).toEqual([]);
    expect(skill.valid && skill.frontmatter.metadata).toEqual({
      tools: 'ssh zabbix',
      version: '1.0',
    });
  });

  it.each([
    [
      'license is not a string',
      { license: '[MIT]' },
      'license',
      'license must be a string (got a list)',
    ],
    [
      'compatibility is empty',
      { compatibility: '""' },
      'compatibility',
      'compatibility must not be empty when present',
    ],
    [
      'compatibility is 501 characters',
      { compatibility: 'c'.repeat(501) },
      'compatibility',
      'compatibility must be at most 500 characters (it has 501)',
    ],
    [
      'metadata is a list',
      { metadata: '[ssh]' },
      'metadata',
      'metadata must be a map of string keys to string values (got a list)',
    ],
    [
      'a metadata value is a number',
      { metadata: '\n  version: 1.0' },
      'metadata.version',
      'metadata value "version" must be a string (got number); quote it',
    ],
    [
      'a metadata value is a map',
      { metadata: '\n  tools:\n    ssh: true' },
      'metadata.tools',
      'metadata value "tools" must be a string (got object); quote it',
    ],
    [
      'allowed-tools is a list',
      { 'allowed-tools': '[Read, Bash]' },
      'allowed-tools',
      'allowed-tools must be a string (got a list)',
    ],
    [
      'there is an unknown field',
      { foo: 'bar' },
      'foo',
      'unexpected field "foo" (allowed: name, description, license, compatibility, metadata, allowed-tools)',
    ],
  ])('rejects a skill whose %s', (_, fields, field, message) => {
    const skill = check(skillMd(fields));
    expect(skill.valid).toBe(false);
    expect(skill.problems).toEqual([{ field, message }]);
  });
});

describe('parseSkill: the file as a whole', () => {
  it('returns the body without the blank lines after the frontmatter', () => {
    const skill = check(skillMd({}, '# Steps\n'));
    expect(skill.body).toBe('# Steps\n');
    expect(skill.warnings).toEqual([]);
  });

  it('reads Windows line endings and a byte-order mark', () => {
    const text = `\uFEFF${skillMd({})}`.replaceAll('\n', '\r\n');
    expect(check(text).problems).toEqual([]);
  });

  it('rejects a SKILL.md without frontmatter', () => {
    const skill = check('# Disk filling up\n\nSteps.\n');
    expect(skill.problems).toEqual([
      {
        field: 'frontmatter',
        message: 'SKILL.md must start with YAML frontmatter between "---" lines',
      },
    ]);
  });

  it('ends the frontmatter at the first line that is only "---", keeping the body whole', () => {
    const skill = check(
      '---  \nname: disk-filling-up\ndescription: "a --- b"\n---\t\n\n# Steps\n\n---\n\nMore.\n',
    );
    expect(skill.problems).toEqual([]);
    expect(skill.valid && skill.frontmatter.description).toBe('a --- b');
    expect(skill.body).toBe('# Steps\n\n---\n\nMore.\n');
  });

  it('reads empty frontmatter as a mapping with the required fields missing', () => {
    const skill = check('---\n---\n# Steps\n');
    expect(skill.valid).toBe(false);
    expect(skill.body).toBe('# Steps\n');
  });

  it('rejects frontmatter that is never closed', () => {
    const skill = check('---\nname: disk-filling-up\ndescription: x\n# Steps\n');
    expect(messages(skill)).toEqual(['frontmatter is not closed by a "---" line']);
  });

  it('rejects frontmatter in another language instead of evaluating it', () => {
    const skill = check('---js\n{ name: "disk-filling-up", description: "x" }\n---\n# Steps\n');
    expect(skill.valid).toBe(false);
  });

  it('rejects unparseable YAML and says why', () => {
    const skill = check('---\nname: disk-filling-up\ndescription: [unclosed\n---\n# Steps\n');
    expect(skill.valid).toBe(false);
    expect(messages(skill)[0]).toMatch(/^frontmatter is not valid YAML: /);
  });

  it('rejects duplicate keys as unparseable YAML', () => {
    const skill = check(skillMd({ name: 'disk-filling-up\nname: disk-filling-up' }));
    expect(messages(skill)[0]).toMatch(/^frontmatter is not valid YAML: .*unique/i);
  });

  it('rejects frontmatter that is not a mapping', () => {
    const skill = check('---\n- name\n---\n# Steps\n');
    expect(messages(skill)[0]).toMatch(/^frontmatter must be a YAML mapping/);
  });

  it('warns about an empty body', () => {
    const skill = check(skillMd({}, '\n'));
    expect(skill.valid).toBe(true);
    expect(skill.warnings).toEqual([
      { field: 'body', message: 'body is empty: add the instructions an agent follows' },
    ]);
  });

  it('warns about a body over 500 lines, and not at 500', () => {
    const lines = (n: number): string => 'step\n'.repeat(n);
    expect(check(skillMd({}, lines(500))).warnings).toEqual([]);
    expect(check(skillMd({}, lines(501))).warnings.map((w) => w.message)).toEqual([
      'body has 501 lines; keep it under 500 and move detail to references/',
    ]);
  });
});

describe('parseSkill: unquoted colons', () => {
  it('reads a quoted colon without a warning', () => {
    const skill = check(skillMd({ description: '"Use when: disk is full"' }));
    expect(skill.valid && skill.frontmatter.description).toBe('Use when: disk is full');
    expect(skill.warnings).toEqual([]);
  });

  it('loads an unquoted colon in a value as text, with a warning naming the field', () => {
    const skill = check(skillMd({ description: 'Use when: disk is full' }));
    expect(skill.valid && skill.frontmatter.description).toBe('Use when: disk is full');
    expect(skill.warnings).toEqual([
      {
        field: 'description',
        message:
          'description has an unquoted ": " in its value; read it as text, but quote the value so every YAML parser agrees',
      },
    ]);
  });

  it('loads an unquoted colon in a metadata value', () => {
    const skill = check(skillMd({ metadata: '\n  tools: ssh: read-only' }));
    expect(skill.valid && skill.frontmatter.metadata).toEqual({ tools: 'ssh: read-only' });
    expect(skill.warnings.map((w) => w.field)).toEqual(['metadata.tools']);
  });
});

describe('parseSkill: lenient loading (mode "load")', () => {
  const load = (text: string, directoryName = 'disk-filling-up'): ParsedSkill =>
    parseSkill(text, { directoryName, mode: 'load' });

  it('loads a name that differs from the directory, with a warning', () => {
    const skill = load(skillMd({ name: 'disk-full' }));
    expect(skill.valid && skill.frontmatter.name).toBe('disk-full');
    expect(skill.warnings.map((w) => w.field)).toEqual(['name']);
  });

  it('loads a name over 64 characters, with a warning', () => {
    const name = 'a'.repeat(65);
    const skill = load(skillMd({ name }), name);
    expect(skill.valid).toBe(true);
    expect(skill.warnings[0]?.message).toBe('name must be at most 64 characters (it has 65)');
  });

  it('loads unknown fields and wrongly typed optional fields with warnings, dropping them', () => {
    const skill = load(skillMd({ foo: 'bar', license: '[MIT]', metadata: '\n  version: 1.0' }));
    expect(skill.valid && skill.frontmatter).toEqual({
      name: 'disk-filling-up',
      description: 'Find what fills a disk.',
      metadata: { version: '1' },
    });
    expect(skill.warnings.map((w) => w.field).sort()).toEqual([
      'foo',
      'license',
      'metadata.version',
    ]);
  });

  it('uses the directory name when the name is missing', () => {
    const skill = load(skillMd({ name: '<omit>' }));
    expect(skill.valid && skill.frontmatter.name).toBe('disk-filling-up');
  });

  it('still skips a skill without a description', () => {
    const skill = load(skillMd({ description: '<omit>' }));
    expect(skill.valid).toBe(false);
    expect(messages(skill)).toEqual(['description is required']);
  });

  it('still skips a skill whose YAML does not parse', () => {
    expect(load('---\nname: [\n---\n# Steps\n').valid).toBe(false);
  });
});
