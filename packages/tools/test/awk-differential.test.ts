import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCommand } from '../src/ssh/command-policy.js';
import { quoteForLoginShell } from '../src/ssh/posix-shell.js';
import { findWriteInAwkProgram } from '../src/ssh/read-only-awk.js';

/**
 * The awks a host may have (Debian packages gawk, mawk and busybox). The read-only policy
 * must judge an awk program the same way whichever of them runs it.
 */
const AWKS: ReadonlyArray<{ readonly name: string; readonly argv: readonly string[] }> = [
  { name: 'gawk', argv: ['/usr/bin/gawk'] },
  { name: 'mawk', argv: ['/usr/bin/mawk'] },
  { name: 'busybox awk', argv: ['/usr/bin/busybox', 'awk'] },
];
const missing = AWKS.filter((awk) => !existsSync(awk.argv[0] as string)).map((awk) => awk.name);
// A missing awk fails these tests (never skips them), like every other missing real component.
if (missing.length > 0) {
  throw new Error(`install gawk, mawk and busybox (missing: ${missing.join(', ')})`);
}

const INPUT = 'alpha 10 x/y\nbeta 2 a,b\ngamma 30 c;d\n';
const canaries: string[] = [];
afterAll(() => {
  for (const dir of canaries) rmSync(dir, { recursive: true, force: true });
});

interface AwkRun {
  readonly stdout: string;
  readonly status: number | null;
  /** Files the program left in its canary directory. */
  readonly wrote: readonly string[];
}

/** A program file the option cases may name: it writes the canary when run. */
const PROGRAM_FILE = 'prog.awk';

/**
 * Runs an awk with `args` (or the one program text `program`), `{CANARY}` set to a fresh
 * directory that holds {@link PROGRAM_FILE}.
 */
function runAwk(argv: readonly string[], program: string | readonly string[]): AwkRun {
  const canary = mkdtempSync(path.join(tmpdir(), 'akm-awk-'));
  canaries.push(canary);
  writeFileSync(path.join(canary, PROGRAM_FILE), `BEGIN { system("touch ${canary}/ran") }\n`);
  const args = (typeof program === 'string' ? [program] : program).map((arg) =>
    arg.replaceAll('{CANARY}', canary),
  );
  const result = spawnSync(argv[0] as string, [...argv.slice(1), ...args], {
    input: INPUT,
    cwd: canary,
    timeout: 5000,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' },
  });
  const wrote = readdirSync(canary).filter((name) => name !== PROGRAM_FILE);
  return { stdout: result.stdout, status: result.status, wrote };
}

/**
 * Programs whose tokens are easy to misread: regular expression or division, strings
 * inside expressions, redirection inside print. `read` programs must be judged read-only
 * and behave the same in every awk without touching the canary; `refuse` programs must be
 * refused, and `hazard` says the refusal matters (at least one real awk writes the canary).
 */
const CASES: ReadonlyArray<{
  readonly program: string;
  readonly expect: 'read' | 'refuse';
  readonly hazard?: boolean;
  readonly why: string;
}> = [
  { program: '{ print $1 }', expect: 'read', why: 'prints a field' },
  { program: '$2 > 5 { print $1 }', expect: 'read', why: '">" in a pattern is a comparison' },
  { program: '{ if ($2 > 5) print $1 }', expect: 'read', why: '">" in a condition, then print' },
  { program: '{ x = 6; print x /2/ 1 }', expect: 'read', why: 'after a variable "/" divides: 3' },
  {
    program: '{ print substr($0, 1) /2/ 1 }',
    expect: 'read',
    why: 'after a call\'s ")" "/" divides',
  },
  { program: '{ a[1] = 8; print a[1] /2/ 2 }', expect: 'read', why: 'after "]" "/" divides' },
  {
    program: '{ x = (1) / 2 / 1; print x }',
    expect: 'read',
    why: 'after a parenthesis "/" divides',
  },
  { program: '{ print 10 / 2 / 5 }', expect: 'read', why: 'a chain of divisions' },
  { program: '{ print -1 / -2 }', expect: 'read', why: 'division of negative numbers' },
  {
    program: '{ x = 9; x /= 3; print x }',
    expect: 'read',
    why: '"/=" after a name divides and assigns',
  },
  {
    program: '/=/ { print "eq" }',
    expect: 'read',
    why: '"/=" at the start is a regular expression',
  },
  {
    program: '$3 ~ /\\// { print "slash" }',
    expect: 'read',
    why: 'an escaped "/" inside a regular expression',
  },
  { program: '/a|b/ { print "m" }', expect: 'read', why: '"|" inside a regular expression' },
  { program: '{ print "a|b>c" }', expect: 'read', why: '"|" and ">" inside a string' },
  { program: '{ print "q\\"|" }', expect: 'read', why: 'an escaped quote inside a string' },
  { program: '{ n = split($3, p, /[,;]/); print n }', expect: 'read', why: 'a bracket expression' },
  { program: '!/beta/', expect: 'read', why: 'a negated regular expression pattern' },
  { program: 'NR == 1, NR == 2', expect: 'read', why: 'a range pattern' },
  { program: '{ print $/x/ }', expect: 'read', why: 'a regular expression after "$"' },
  { program: '{ gsub(/a/, "A"); print }', expect: 'read', why: 'gsub with a regular expression' },
  { program: '{ printf "%s-%d\\n", $1, NR }', expect: 'read', why: 'printf to standard output' },
  {
    program: '{ c[$1]++ } END { for (k in c) n++; print n }',
    expect: 'read',
    why: 'arrays and for-in',
  },
  { program: 'BEGIN { print length("abc") }', expect: 'read', why: 'length with parentheses' },
  { program: '{ print length }', expect: 'read', why: 'length without parentheses, at the end' },
  { program: '{ fflush(); print NR }', expect: 'read', why: 'fflush() only flushes output' },
  {
    program: 'BEGIN { print (ENVIRON["PATH"] != "") }',
    expect: 'read',
    why: 'ENVIRON is read, "!=" is no redirection',
  },
  {
    program: '{ print ($2 > 5) }',
    expect: 'refuse',
    why: 'a ">" anywhere in print is refused, even a parenthesized comparison',
  },
  { program: '# a comment with | and >', expect: 'read', why: 'a comment is ignored' },
  // Programs that write, run commands or that awks read differently: all refused.
  {
    program: 'BEGIN { system("touch {CANARY}/system") }',
    expect: 'refuse',
    hazard: true,
    why: 'system() runs a command',
  },
  {
    program: 'BEGIN { print "x" > "{CANARY}/print" }',
    expect: 'refuse',
    hazard: true,
    why: 'print > writes a file',
  },
  {
    program: 'BEGIN { printf "x" >> "{CANARY}/printf" }',
    expect: 'refuse',
    hazard: true,
    why: 'printf >> appends to a file',
  },
  {
    program: 'BEGIN { printf("%s", "x") > "{CANARY}/paren" }',
    expect: 'refuse',
    hazard: true,
    why: 'printf(...) > writes a file',
  },
  {
    program: 'BEGIN { print "x" | "cat > {CANARY}/pipe" }',
    expect: 'refuse',
    hazard: true,
    why: 'print | runs a command',
  },
  {
    program: 'BEGIN { "touch {CANARY}/getline" | getline x }',
    expect: 'refuse',
    hazard: true,
    why: 'cmd | getline runs a command',
  },
  {
    program: 'BEGIN { getline x < "/etc/hostname"; print x }',
    expect: 'refuse',
    why: 'getline < reads another file',
  },
  {
    program: 'BEGIN { print "x" > "/dev/stderr"; close("/dev/stderr") }',
    expect: 'refuse',
    why: 'print > is refused even to stderr',
  },
  {
    program: 'BEGIN { x = length /"/ ; printf "x" > "{CANARY}/mawk" ; y = /"/ }',
    expect: 'refuse',
    hazard: true,
    why: 'mawk reads length /"/ as a regular expression, so its printf > runs; gawk and busybox read a division',
  },
  {
    program: 'BEGIN { if (1) /"x/ ; print "x" > "{CANARY}/if" ; y = /"/ }',
    expect: 'refuse',
    hazard: true,
    why: 'a regular expression after if (...) must not hide the print >',
  },
  {
    program: 'BEGIN { print /"x/ ; print "x" > "{CANARY}/printre" ; y = /"/ }',
    expect: 'refuse',
    hazard: true,
    why: 'a regular expression after print must not hide the print >',
  },
  {
    program: 'BEGIN { ARGV[1] = "/etc/hostname"; ARGC = 2 } { print }',
    expect: 'refuse',
    why: 'ARGV makes awk read other inputs (gawk: /inet/ connections)',
  },
  { program: '@include "x"', expect: 'refuse', why: 'gawk includes another program file' },
  { program: '@load "filefuncs"', expect: 'refuse', why: 'gawk loads a native extension' },
  {
    program: 'BEGIN { f = "system"; @f("touch {CANARY}/indirect") }',
    expect: 'refuse',
    hazard: true,
    why: 'gawk calls system() indirectly',
  },
  { program: '/[/]/ { print }', expect: 'refuse', why: 'awks disagree where /[/]/ ends' },
  { program: '{ print |& "cat" }', expect: 'refuse', why: 'gawk coprocess' },
];

describe('awk programs in gawk, mawk and busybox awk', () => {
  it.each(CASES.filter((entry) => entry.expect === 'read'))(
    'judged read-only and the same in every awk: $program ($why)',
    ({ program }) => {
      expect(findWriteInAwkProgram(program), program).toBeNull();
      const runs = AWKS.map((awk) => ({ awk: awk.name, ...runAwk(awk.argv, program) }));
      for (const run of runs) {
        expect(run.wrote, `${run.awk} wrote files for ${program}`).toEqual([]);
        expect(run.status, `${run.awk} failed on ${program}`).toBe(0);
      }
      const outputs = new Set(runs.map((run) => run.stdout));
      expect(outputs.size, `the awks disagree on ${program}: ${JSON.stringify(runs)}`).toBe(1);
    },
  );

  it.each(CASES.filter((entry) => entry.expect === 'refuse'))(
    'refused: $program ($why)',
    ({ program, hazard }) => {
      expect(findWriteInAwkProgram(program), program).not.toBeNull();
      if (hazard === true) {
        const runs = AWKS.map((awk) => ({ awk: awk.name, ...runAwk(awk.argv, program) }));
        expect(
          runs.some((run) => run.wrote.length > 0),
          `no awk wrote the canary for ${program}, so the case proves nothing: ${JSON.stringify(runs)}`,
        ).toBe(true);
      }
    },
  );
});

/**
 * Whole awk command lines: options decide as much as the program. `read` ones must be
 * judged read-only and agree in every awk; `refuse` ones must not be, and `hazard` ones
 * run the program file (which writes the canary) in at least one real awk.
 */
const OPTION_CASES: ReadonlyArray<{
  readonly args: readonly string[];
  readonly expect: 'read' | 'refuse';
  readonly hazard?: boolean;
  readonly why: string;
}> = [
  { args: ['-F:', '{ print $1 }'], expect: 'read', why: 'a field separator' },
  {
    args: ['-v', 'x=1\\t2', '{ print x, $2 }'],
    expect: 'read',
    why: '-v processes escapes the same way',
  },
  { args: ['-vx=3', '-F', ' ', '{ print x + $2 }'], expect: 'read', why: 'attached -v value' },
  { args: ['--', '{ print NR }'], expect: 'read', why: '-- ends the options' },
  {
    args: ['-f', '{CANARY}/prog.awk'],
    expect: 'refuse',
    hazard: true,
    why: '-f runs a program file',
  },
  {
    args: ['-E', '{CANARY}/prog.awk'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk -E runs a program file',
  },
  {
    args: ['--exec={CANARY}/prog.awk'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk --exec runs a program file',
  },
  {
    args: ['-W', 'exec', '{CANARY}/prog.awk'],
    expect: 'refuse',
    hazard: true,
    why: 'mawk -W exec runs a program file',
  },
  {
    args: ['-e', 'BEGIN { system("touch {CANARY}/e") }'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk and busybox -e take program text',
  },
  {
    args: ['--source=BEGIN { system("touch {CANARY}/s") }'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk --source',
  },
  {
    args: ['-i', '{CANARY}/prog.awk', '{ print }'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk -i includes a file',
  },
  { args: ['-Wversion'], expect: 'refuse', why: 'mawk -W options are not on the list' },
  {
    args: ['-o{CANARY}/pretty', 'BEGIN { }'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk -o pretty-prints to a file',
  },
  {
    args: ['-p{CANARY}/profile', 'BEGIN { }'],
    expect: 'refuse',
    hazard: true,
    why: 'gawk -p writes a profile',
  },
];

describe('awk command lines in gawk, mawk and busybox awk', () => {
  const commandLine = (args: readonly string[]): string =>
    ['awk', ...args.map((arg) => quoteForLoginShell(arg.replaceAll('{CANARY}', '/tmp/c')))].join(
      ' ',
    );

  it.each(OPTION_CASES.filter((entry) => entry.expect === 'read'))(
    'judged read-only and the same in every awk: $args ($why)',
    async ({ args }) => {
      expect((await judgeCommand(commandLine(args))).kind).toBe('read');
      const runs = AWKS.map((awk) => ({ awk: awk.name, ...runAwk(awk.argv, args) }));
      for (const run of runs) expect(run.wrote, run.awk).toEqual([]);
      expect(new Set(runs.map((run) => run.stdout)).size, JSON.stringify(runs)).toBe(1);
    },
  );

  it.each(OPTION_CASES.filter((entry) => entry.expect === 'refuse'))(
    'refused: $args ($why)',
    async ({ args, hazard }) => {
      expect((await judgeCommand(commandLine(args))).kind).not.toBe('read');
      if (hazard === true) {
        const runs = AWKS.map((awk) => ({ awk: awk.name, ...runAwk(awk.argv, args) }));
        expect(
          runs.some((run) => run.wrote.length > 0),
          JSON.stringify(runs),
        ).toBe(true);
      }
    },
  );
});
