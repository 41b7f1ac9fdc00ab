import { describe, expect, it } from 'vitest';
import { judgeCommand } from '../src/ssh/command-policy.js';
import {
  ALLOW_CASES,
  CORPUS_NETWORK_ALLOWLIST,
  fillPlaceholders,
  NETWORK_ALLOW_CASES,
  REFUSE_CASES,
} from './policy-corpus/index.js';

const PLACEHOLDERS = { canary: '/tmp/akmatori-canary', host: '127.0.0.1', port: 9 };
const options = { networkAllowlist: CORPUS_NETWORK_ALLOWLIST };

describe('the command policy corpus', () => {
  it('holds at least 300 commands to refuse and 100 to allow, each once', () => {
    expect(REFUSE_CASES.length).toBeGreaterThanOrEqual(300);
    expect(ALLOW_CASES.length + NETWORK_ALLOW_CASES.length).toBeGreaterThanOrEqual(100);
    const commands = [...REFUSE_CASES, ...ALLOW_CASES, ...NETWORK_ALLOW_CASES].map(
      (c) => c.command,
    );
    const repeated = commands.filter((command, index) => commands.indexOf(command) !== index);
    expect(repeated).toEqual([]);
  });

  it.each(REFUSE_CASES)('does not run at once: $command ($why)', async ({ command }) => {
    const verdict = await judgeCommand(fillPlaceholders(command, PLACEHOLDERS), options);
    expect(verdict.kind, `${JSON.stringify(command)} was judged read-only`).not.toBe('read');
  });

  it.each([...ALLOW_CASES, ...NETWORK_ALLOW_CASES])(
    'runs at once: $command ($why)',
    async ({ command }) => {
      const verdict = await judgeCommand(fillPlaceholders(command, PLACEHOLDERS), options);
      expect(verdict, `${command} should be read-only`).toMatchObject({ kind: 'read' });
    },
  );
});
