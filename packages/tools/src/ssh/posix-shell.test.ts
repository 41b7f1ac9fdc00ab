import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandForLoginShell, quoteForLoginShell } from './posix-shell.js';

const TRICKY = [`it's`, 'a\\b', `"$HOME" \`id\` !x`, `\\'\\\\''`, '', 'tab\there'];

describe('commands for the login shell', () => {
  it('wraps the command in exec /bin/sh -c', () => {
    expect(commandForLoginShell('uptime')).toBe("exec /bin/sh -c 'uptime'");
  });

  it.each(TRICKY)('quotes %j so sh, bash and dash read it back unchanged', (text) => {
    for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash']) {
      const echoed = execFileSync(shell, ['-c', `printf '%s' ${quoteForLoginShell(text)}`], {
        encoding: 'utf8',
      });
      expect(echoed, shell).toBe(text);
    }
  });

  it('leaves no backslash or single quote inside single quotes (fish reads those)', () => {
    for (const text of TRICKY) {
      const quoted = quoteForLoginShell(text);
      let inQuotes = false;
      for (let index = 0; index < quoted.length; index += 1) {
        const character = quoted.charAt(index);
        if (character === "'") inQuotes = !inQuotes;
        else if (character === '\\' && inQuotes)
          expect.fail(`a backslash inside quotes: ${quoted}`);
        else if (character === '\\') index += 1;
      }
    }
  });
});
