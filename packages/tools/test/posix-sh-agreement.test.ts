import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_PROGRAMS } from '../src/ssh/read-only-programs.js';
import { ALLOW_CASES, fillPlaceholders, NETWORK_ALLOW_CASES } from './policy-corpus/index.js';

/**
 * Commands run under `/bin/sh -c` (dash on Debian), while the policy parses them with a
 * Bash grammar. For every must-allow command of the corpus, this runs it under bash and
 * under dash with every allowlisted program replaced by a stub that logs its name and
 * arguments: both shells must run the same programs with the same arguments.
 */
const SHELLS = ['/bin/bash', '/bin/dash'];
let dir = '';
let stubs = '';
let canary = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'akm-sh-agreement-'));
  stubs = path.join(dir, 'bin');
  canary = path.join(dir, 'canary');
  spawnSync('mkdir', ['-p', stubs, canary]);
  writeFileSync(path.join(canary, 'seed'), 'alpha 10\n');
  const stub = path.join(dir, 'stub');
  writeFileSync(
    stub,
    // One write per run: the programs of a pipeline log at the same time.
    '#!/bin/sh\nline=\nfor a in "${0##*/}" "$@"; do line="$line[$a]"; done\nprintf "%s\\n" "$line" >> "$LOG"\n',
  );
  chmodSync(stub, 0o755);
  for (const program of READ_ONLY_PROGRAMS.keys()) symlinkSync(stub, path.join(stubs, program));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What the programs of `command` were run with, under `shell`. */
function invocations(shell: string, command: string): string {
  const log = path.join(dir, `log-${path.basename(shell)}`);
  writeFileSync(log, '');
  spawnSync(shell, ['-c', command], {
    cwd: dir,
    env: { PATH: stubs, LOG: log, HOME: dir },
    encoding: 'utf8',
    timeout: 5000,
  });
  // The programs of a pipeline run at once: their order in the log is not the shell's.
  return readFileSync(log, 'utf8').split('\n').sort().join('\n');
}

const CASES = [...ALLOW_CASES, ...NETWORK_ALLOW_CASES].filter(
  // A program named by path runs for real, not as the stub.
  (entry) => !/(?:^|[|;&]\s*)\/usr\/bin\//.test(entry.command),
);

// A missing shell fails this test (never skips it), like every other missing real component.
const missingShells = SHELLS.filter((shell) => !existsSync(shell));
if (missingShells.length > 0) throw new Error(`install ${missingShells.join(' and ')}`);

describe('bash and dash agree on read-only commands', () => {
  it.each(CASES)('$command', ({ command }) => {
    const filled = fillPlaceholders(command, { canary, host: '127.0.0.1', port: 9 });
    const [bash, dash] = SHELLS.map((shell) => invocations(shell, filled));
    expect(dash, `dash and bash ran different programs for ${filled}`).toBe(bash);
  });

  it('is not vacuous: the stubs log what they are run with', () => {
    expect(invocations('/bin/dash', `grep -c 'a b' "c d" ${canary}/*`)).toBe(
      `\n[grep][-c][a b][c d][${canary}/seed]`,
    );
  });
});
