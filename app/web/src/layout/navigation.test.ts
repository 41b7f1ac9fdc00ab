import { describe, expect, it } from 'vitest';
import { rolesUpTo } from '../auth/roles';
import { navigationFor } from './navigation';

describe('navigation by role', () => {
  it.each([
    ['viewer', ['incidents', 'approvals', 'evals', 'tokens']],
    ['responder', ['incidents', 'approvals', 'evals', 'tokens']],
    [
      'admin',
      [
        'incidents',
        'approvals',
        'sources',
        'tools',
        'skills',
        'evals',
        'context-files',
        'settings',
        'users',
        'tokens',
      ],
    ],
  ] as const)('shows a %s %j', (role, names) => {
    expect(navigationFor(role).map((item) => item.name)).toEqual(names);
  });

  it('shows nothing before the user is known', () => {
    expect(navigationFor(undefined)).toEqual([]);
  });
});

describe('roles a token may be given', () => {
  it('are the holder’s own and those below it', () => {
    expect(rolesUpTo('viewer')).toEqual(['viewer']);
    expect(rolesUpTo('responder')).toEqual(['viewer', 'responder']);
    expect(rolesUpTo('admin')).toEqual(['viewer', 'responder', 'admin']);
    expect(rolesUpTo(undefined)).toEqual([]);
  });
});
