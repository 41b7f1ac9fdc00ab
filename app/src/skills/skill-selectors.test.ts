import { describe, expect, it } from 'vitest';
import { globMatch, selectorsMatch, skillSelectors } from './skill-selectors.js';

const skill = (metadata: Record<string, string>) =>
  skillSelectors({ name: 's', description: 'd', metadata });
const alert = (name: string, labels: Record<string, string> = {}) => ({ name, labels });
const am = { type: 'alertmanager', name: 'prod-am' };

describe('skill selectors', () => {
  it('a skill without akmatori.* metadata declares no selectors', () => {
    expect(skill({ tools: 'ssh' })).toBeUndefined();
  });

  it('matches alert names by case-insensitive globs', () => {
    const selectors = skill({ 'akmatori.alerts': 'Disk*, *inode*' })!;
    expect(selectorsMatch(selectors, am, [alert('DiskFull')])).toBe(true);
    expect(selectorsMatch(selectors, am, [alert('NoFreeInodes')])).toBe(true);
    expect(selectorsMatch(selectors, am, [alert('HighCpu')])).toBe(false);
  });

  it('matches the source by type or by name', () => {
    expect(selectorsMatch(skill({ 'akmatori.sources': 'zabbix' })!, am, [])).toBe(false);
    expect(selectorsMatch(skill({ 'akmatori.sources': 'alertmanager' })!, am, [])).toBe(true);
    expect(selectorsMatch(skill({ 'akmatori.sources': 'prod-*' })!, am, [])).toBe(true);
  });

  it('matches labels as key=value globs', () => {
    const selectors = skill({ 'akmatori.labels': 'team=storage, env=prod*' })!;
    expect(selectorsMatch(selectors, am, [alert('X', { team: 'storage' })])).toBe(true);
    expect(selectorsMatch(selectors, am, [alert('X', { env: 'production' })])).toBe(true);
    expect(selectorsMatch(selectors, am, [alert('X', { team: 'web' })])).toBe(false);
  });

  it('needs every declared kind to match, on one same alert', () => {
    const selectors = skill({
      'akmatori.sources': 'alertmanager',
      'akmatori.alerts': 'Disk*',
      'akmatori.labels': 'team=storage',
    })!;
    expect(selectorsMatch(selectors, am, [alert('DiskFull', { team: 'storage' })])).toBe(true);
    expect(
      selectorsMatch(selectors, am, [alert('DiskFull'), alert('HighCpu', { team: 'storage' })]),
    ).toBe(false);
    expect(
      selectorsMatch(selectors, { type: 'zabbix', name: 'z' }, [
        alert('DiskFull', { team: 'storage' }),
      ]),
    ).toBe(false);
  });

  it('globs treat regular expression characters literally', () => {
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('a?b', 'axb')).toBe(true);
    expect(globMatch('(x)', '(x)')).toBe(true);
  });
});
