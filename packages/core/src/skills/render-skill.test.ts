import { describe, expect, it } from 'vitest';
import { parseSkill } from './parse-skill.js';
import { renderSkill, type SkillSource } from './render-skill.js';

describe('renderSkill', () => {
  it('writes the fields in the specification order, then a blank line and the body', () => {
    const text = renderSkill({
      frontmatter: { description: 'Find what uses the CPU.', name: 'high-cpu' },
      body: '# Steps\n',
    });
    expect(text).toBe(
      '---\nname: high-cpu\ndescription: Find what uses the CPU.\n---\n\n# Steps\n',
    );
  });

  it.each<[string, SkillSource]>([
    ['a minimal skill', { frontmatter: { name: 'a', description: 'x' }, body: '# A\n' }],
    [
      'every field, with values YAML must quote',
      {
        frontmatter: {
          name: 'zabbix-problem-triage',
          description:
            'Use when: a Zabbix problem fires. "Quotes", #hashes and - dashes\nand a newline.',
          license: 'Apache-2.0',
          compatibility: 'Needs: ssh and the Zabbix API',
          metadata: { tools: 'ssh zabbix', version: '1.0', yes: 'no', empty: '' },
          'allowed-tools': 'Bash(df:*) Read',
        },
        body: '# Steps\n\n---\n\nA horizontal rule above.\n',
      },
    ],
    ['an empty body', { frontmatter: { name: 'a', description: 'x' }, body: '' }],
  ])('round-trips %s through parseSkill', (_, source) => {
    const parsed = parseSkill(renderSkill(source), { directoryName: source.frontmatter.name });
    expect(parsed.problems).toEqual([]);
    expect(parsed.frontmatter).toEqual(source.frontmatter);
    expect(parsed.body).toBe(source.body);
  });
});
