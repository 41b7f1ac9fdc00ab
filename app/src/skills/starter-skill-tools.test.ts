import { describe, expect, it } from 'vitest';
import { skillToolTypes, starterSkillNames } from './starter-skill-tools.js';

describe('the tool types a skill names', () => {
  it('reads metadata.tools separated by spaces or commas, in lower case', () => {
    const skill = (tools?: string): Parameters<typeof skillToolTypes>[0] => ({
      name: 's',
      description: 'd',
      ...(tools === undefined ? {} : { metadata: { tools } }),
    });
    expect(skillToolTypes(skill('prometheus alertmanager ssh'))).toEqual([
      'prometheus',
      'alertmanager',
      'ssh',
    ]);
    expect(skillToolTypes(skill(' Zabbix,  ssh '))).toEqual(['zabbix', 'ssh']);
    expect(skillToolTypes(skill())).toEqual([]);
  });

  it('knows the starter skills the app ships', async () => {
    expect([...(await starterSkillNames())].sort()).toEqual([
      'alertmanager-alert-triage',
      'disk-filling-up',
      'high-cpu',
      'host-unreachable',
      'zabbix-problem-triage',
    ]);
  });
});
