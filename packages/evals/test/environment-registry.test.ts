import { describe, expect, it } from 'vitest';
import { createEnvironmentRegistry, type EnvironmentKind } from '../src/index.js';

const built: string[] = [];
const echo: EnvironmentKind<{ readonly word: string }> = {
  kind: 'echo',
  specSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['word'],
    properties: { word: { type: 'string' } },
  },
  async build(spec, context) {
    built.push(`${context.name}:${spec.word}`);
    return { toolInstances: [], facts: { word: spec.word }, stop: async () => {} };
  },
};

describe('environment registry', () => {
  it('builds an entry with its spec (every field but kind and name) and its name', async () => {
    const registry = createEnvironmentRegistry([echo]);
    const env = await registry.build({ kind: 'echo', name: 'e1', word: 'hi' }, { workDir: '/tmp' });
    expect(env.facts).toEqual({ word: 'hi' });
    expect(built).toContain('e1:hi');
  });

  it('refuses an entry of an unknown kind, naming the known kinds', () => {
    const registry = createEnvironmentRegistry([echo]);
    expect(() => registry.check({ kind: 'nope', name: 'x' })).toThrow(
      'unknown environment kind "nope"; known kinds: echo',
    );
  });

  it('refuses a spec its kind schema refuses, saying which field', () => {
    const registry = createEnvironmentRegistry([echo]);
    expect(() => registry.check({ kind: 'echo', name: 'e1', words: 'hi' })).toThrow(
      /environment "e1" \(echo\): .*word is required/,
    );
  });

  it('refuses a kind registered twice', () => {
    expect(() => createEnvironmentRegistry([echo, echo])).toThrow('is registered twice');
  });

  it('wraps a failed build in a coded error that names the environment', async () => {
    const broken: EnvironmentKind = {
      kind: 'broken',
      specSchema: { type: 'object' },
      build: async () => {
        throw new Error('sshd would not start');
      },
    };
    const registry = createEnvironmentRegistry([broken]);
    await expect(
      registry.build({ kind: 'broken', name: 'b' }, { workDir: '/tmp' }),
    ).rejects.toMatchObject({
      code: 'AKM_EVAL_ENVIRONMENT_BUILD_FAILED',
      message: 'environment "b" (broken) could not be built: sshd would not start',
    });
  });
});
