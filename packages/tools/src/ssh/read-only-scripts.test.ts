import { describe, expect, it } from 'vitest';
import { parseArguments } from './command-options.js';
import type { CommandArgument } from './command-words.js';
import { findWriteInAwkProgram } from './read-only-awk.js';
import { findWriteInSedScript } from './read-only-sed.js';

describe('sed scripts', () => {
  it.each([
    '1,20p',
    '$p',
    '/ERROR/,/END/p',
    '0,/re/d',
    '1~2p',
    's/a/b/g',
    's|/var|/srv|gp',
    's/[[:digit:]]\\+/N/g',
    's/[^ ]*$//',
    '/x/{p;q}',
    '/x/!d',
    'y/abc/xyz/',
    '$a the end',
    ':a;N;$!ba;s/\\n/ /g',
    '\\,foo,p',
    '10q',
  ])('reads only: %s', (script) => {
    expect(findWriteInSedScript(script)).toBeNull();
  });

  it.each([
    { script: 'w out', problem: 'the command "w" writes a file' },
    { script: '1W out', problem: 'the command "W" writes a file' },
    { script: '/x/ w out', problem: 'the command "w"' },
    { script: 'p;w out', problem: 'the command "w"' },
    { script: '/x/{p;w out\n}', problem: 'the command "w"' },
    { script: 'e date', problem: 'the command "e" runs a shell command' },
    { script: 's/a/b/w out', problem: 'the s flag "w" writes a file' },
    { script: 's/a/b/gw out', problem: 'the s flag "w"' },
    { script: 's/x/date/e', problem: 'the s flag "e"' },
    { script: 's/\\/x/\\/y/;w out', problem: 'the command "w"' },
    { script: 'b end; w out', problem: 'the command "w"' },
    { script: '$a text; w out', problem: 'contains ";"' },
    { script: 'r /etc/hosts; w out', problem: 'contains ";"' },
    { script: 's/[/]/x/', problem: 'a delimiter inside a bracket expression' },
    { script: 's/[\\/]/x/', problem: 'a backslash inside a bracket expression' },
    { script: 's[a[b[', problem: 'an unusual delimiter' },
    { script: 's/a/b', problem: 'an unterminated expression' },
    { script: 'p}', problem: 'an unmatched "}"' },
    { script: '{p', problem: 'an unclosed "{"' },
    { script: 'k', problem: 'unknown command "k"' },
    { script: 's/a/b/x', problem: 'unknown s flag "x"' },
  ])('refuses $script', ({ script, problem }) => {
    expect(findWriteInSedScript(script)).toContain(problem);
  });
});

describe('awk programs', () => {
  it.each([
    '{print $1}',
    '$9 >= 500 {print $7}',
    '$3 > 100',
    '{ if ($3 > 100) print $1 }',
    '/error|warn/ {c++} END {print c}',
    '{s+=$10} END {print s/1024/1024 " MB"}',
    '{ a = ($1 + $2) / 2; print a }',
    'NR % 2 == 0 || /x/',
    '{ printf "%s > %s\\n", $1, $2 }',
    '{ print "a|b" }',
    'BEGIN { FS = ":" } { print ENVIRON["HOME"], $1 }',
    '{ n = split($0, parts, /[,;]/); print n }',
    '# a comment with | and >',
  ])('reads only: %s', (program) => {
    expect(findWriteInAwkProgram(program)).toBeNull();
  });

  it.each([
    { program: '{system("rm x")}', problem: 'system() runs a shell command' },
    { program: '{print > "/tmp/x"}', problem: 'print with ">" writes a file' },
    { program: '{print $1, $2 >> "/tmp/x"}', problem: 'print with ">>"' },
    { program: '{printf("%s", $1) > "/tmp/x"}', problem: 'printf with ">"' },
    { program: '{print | "sh"}', problem: 'a pipe "|" runs a command' },
    { program: '{print |& "sh"}', problem: 'a pipe "|&"' },
    { program: '{"date" | getline d}', problem: 'a pipe' },
    { program: 'BEGIN { getline l < "/etc/shadow" }', problem: 'getline' },
    { program: 'BEGIN { f = "system"; @f("id") }', problem: 'unexpected character "@"' },
    { program: '@include "x"', problem: 'unexpected character "@"' },
    // A regular expression after `if (...)` or `print` must not hide code from the check.
    { program: 'BEGIN { if (1) /"x/ ; print | "sh" ; y = /"/ }', problem: 'a pipe' },
    { program: 'BEGIN { print /"x/ ; print | "sh" ; y = /"/ }', problem: 'a pipe' },
    { program: '/[/]/ { print }', problem: 'inside a bracket expression' },
    { program: '{ print "unterminated }', problem: 'an unterminated string' },
    { program: '/unterminated', problem: 'an unterminated regular expression' },
    { program: '{ print }) ', problem: 'an unmatched ")"' },
  ])('refuses $program', ({ program, problem }) => {
    expect(findWriteInAwkProgram(program)).toContain(problem);
  });
});

describe('option parsing', () => {
  const words = (...values: string[]): CommandArgument[] =>
    values.map((value) => ({ value, glob: false, mayExpandToOption: false }));

  it('splits combined short options and takes a value from the rest of the cluster', () => {
    const parsed = parseArguments(words('-fn20', 'app.log'), { valueShort: 'n' });
    expect(parsed.options.map((option) => [option.flag, option.value])).toEqual([
      ['-f', undefined],
      ['-n', '20'],
    ]);
    expect(parsed.operands.map((operand) => operand.value)).toEqual(['app.log']);
  });

  it('takes the value of a short or long option from the next word', () => {
    const parsed = parseArguments(words('-u', 'nginx', '--since', '1 hour ago'), {
      valueShort: 'u',
      valueLong: ['since'],
    });
    expect(parsed.options.map((option) => [option.flag, option.value])).toEqual([
      ['-u', 'nginx'],
      ['--since', '1 hour ago'],
    ]);
    expect(parsed.operands).toEqual([]);
  });

  it('reads --name=value, options after operands, and operands after --', () => {
    const parsed = parseArguments(words('file', '--output=x', '-', '--', '-i'));
    expect(parsed.options.map((option) => [option.flag, option.value])).toEqual([
      ['--output', 'x'],
    ]);
    expect(parsed.operands.map((operand) => operand.value)).toEqual(['file', '-', '-i']);
  });
});
