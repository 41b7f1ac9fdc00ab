import { describe, expect, it } from 'vitest';
import type { CommandArgument } from './command-words.js';
import { optionTable, parseWithTable } from './option-table.js';

const words = (...values: string[]): CommandArgument[] =>
  values.map((value) => ({ value, glob: false, mayExpandToOption: false }));
const table = optionTable('ab:c::', ['all', 'block-size=', 'color?']);

describe('options read with a complete table', () => {
  it('reads clusters, attached and separate values, permuted operands and --', () => {
    const parsed = parseWithTable(
      words('x', '-ab5', '-b', '6', '-cv', '--block-size=7', '--', '-a'),
      table,
    );
    expect(parsed.options.map((option) => [option.flag, option.value])).toEqual([
      ['-a', undefined],
      ['-b', '5'],
      ['-b', '6'],
      ['-c', 'v'],
      ['--block-size', '7'],
    ]);
    expect(parsed.operands.map((operand) => operand.value)).toEqual(['x', '-a']);
    expect(parsed.problems).toEqual([]);
  });

  it('refuses an abbreviation that getopt_long would resolve (--bl for --block-size)', () => {
    expect(parseWithTable(words('--bl=1'), table).problems).toMatchObject([
      { flag: '--bl', problem: 'is not on the read-only list' },
    ]);
  });

  it('refuses an unknown letter inside a cluster, and stops reading the cluster there', () => {
    const parsed = parseWithTable(words('-axb', 'f'), table);
    expect(parsed.problems).toMatchObject([{ flag: '-x' }]);
    expect(parsed.operands.map((operand) => operand.value)).toEqual(['f']);
  });

  it('refuses a value given to an option that takes none, and a missing value', () => {
    expect(parseWithTable(words('--all=1'), table).problems).toMatchObject([
      { flag: '--all', problem: 'takes no value' },
    ]);
    expect(parseWithTable(words('-b'), table).problems).toMatchObject([
      { flag: '-b', problem: 'needs a value' },
    ]);
  });

  it('takes an optional long value only after "="', () => {
    const parsed = parseWithTable(words('--color', 'always'), table);
    expect(parsed.options.map((option) => option.value)).toEqual([undefined]);
    expect(parsed.operands.map((operand) => operand.value)).toEqual(['always']);
  });
});
