import type { CommandArgument } from './command-words.js';
import { quoteForReason } from './command-words.js';

/** Whether an option takes a value: never, always, or only attached (`-n5`, `--color=x`). */
export type OptionArity = 'none' | 'required' | 'optional';

/**
 * Every option of a program that the read-only policy accepts, with its arity. An option
 * missing from the table is not read-only, whatever it does: the table is an allowlist.
 */
export interface OptionTable {
  readonly short: ReadonlyMap<string, OptionArity>;
  readonly long: ReadonlyMap<string, OptionArity>;
}

/**
 * Builds an {@link OptionTable} from getopt-style specs: `short` is an optstring
 * (`'ab:c::'`: `-a` alone, `-b VALUE`, `-c[VALUE]`), each `long` name may end with `=`
 * (a value is required) or `?` (an optional value, only as `--name=VALUE`); the long names
 * may also be one string, separated by blanks.
 *
 * @example
 * ```ts
 * const tail = optionTable('c:n:qvz', 'bytes= lines= quiet silent verbose');
 * ```
 */
export function optionTable(short: string, long: string | readonly string[] = []): OptionTable {
  const shortMap = new Map<string, OptionArity>();
  for (let index = 0; index < short.length; index += 1) {
    const name = short.charAt(index);
    let arity: OptionArity = 'none';
    if (short.charAt(index + 1) === ':') {
      arity = short.charAt(index + 2) === ':' ? 'optional' : 'required';
      index += arity === 'optional' ? 2 : 1;
    }
    shortMap.set(name, arity);
  }
  const longMap = new Map<string, OptionArity>();
  const names = typeof long === 'string' ? long.split(/\s+/).filter((name) => name !== '') : long;
  for (const entry of names) {
    if (entry.endsWith('=')) longMap.set(entry.slice(0, -1), 'required');
    else if (entry.endsWith('?')) longMap.set(entry.slice(0, -1), 'optional');
    else longMap.set(entry, 'none');
  }
  return { short: shortMap, long: longMap };
}

/** One option as the program reads it, with its value when it has one. */
export interface TableOption {
  /** `-n` or `--lines`. */
  readonly flag: string;
  /** `n` or `lines`. */
  readonly name: string;
  readonly long: boolean;
  readonly value: string | undefined;
  /** True when the option or its value came from a word with glob characters. */
  readonly glob: boolean;
}

/** An option the table does not accept as written. */
export interface OptionProblem {
  /** `-x` or `--name`, as written (without its value). */
  readonly flag: string;
  readonly name: string;
  readonly long: boolean;
  /** What is wrong with it, completing "<program> option <flag> ...". */
  readonly problem: string;
}

/** Arguments split by an {@link OptionTable}, and every option the table does not accept. */
export interface TableParse {
  readonly options: readonly TableOption[];
  readonly operands: readonly CommandArgument[];
  /** Options that are not read-only: unknown, abbreviated, or given a wrong value. */
  readonly problems: readonly OptionProblem[];
}

/** The problems of a parse as reasons: `sort option "--out" is not on the read-only list`. */
export function describeOptionProblems(
  program: string,
  problems: readonly OptionProblem[],
): string[] {
  return problems.map(
    (entry) => `${program} option ${quoteForReason(entry.flag)} ${entry.problem}`,
  );
}

/**
 * Splits `args` as GNU getopt_long would (permutation, clusters, `--name=value`, `--` ends
 * options, a lone `-` is an operand), accepting only the options in `table`. Long options
 * must be spelled out: getopt_long would take an abbreviation (`--out` for `--output`), so
 * one that is not itself in the table is a problem, as is `=value` on an option without
 * one. An unknown short letter stops the reading of its cluster: its value, if any, is
 * unknown.
 *
 * @example
 * ```ts
 * parseWithTable(words, optionTable('n:f')); // for `tail -fn5 x`: options -f, -n 5; operand x
 * ```
 */
export function parseWithTable(args: readonly CommandArgument[], table: OptionTable): TableParse {
  const options: TableOption[] = [];
  const operands: CommandArgument[] = [];
  const problems: OptionProblem[] = [];
  const problem = (name: string, long: boolean, what: string): void => {
    problems.push({ flag: long ? `--${name}` : `-${name}`, name, long, problem: what });
  };
  const NOT_LISTED = 'is not on the read-only list';
  for (let index = 0; index < args.length; index += 1) {
    const argument = args[index] as CommandArgument;
    const text = argument.value;
    if (text === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text.slice(2) : text.slice(2, equals);
      const arity = table.long.get(name);
      let value = equals === -1 ? undefined : text.slice(equals + 1);
      let glob = argument.glob;
      if (arity === undefined) {
        problem(name, true, NOT_LISTED);
        continue;
      }
      if (arity === 'none' && value !== undefined) {
        problem(name, true, 'takes no value');
        continue;
      }
      if (arity === 'required' && value === undefined) {
        const next = args[index + 1];
        if (next === undefined) {
          problem(name, true, 'needs a value');
          continue;
        }
        index += 1;
        value = next.value;
        glob ||= next.glob;
      }
      options.push({ flag: `--${name}`, name, long: true, value, glob });
      continue;
    }
    if (!text.startsWith('-') || text === '-') {
      operands.push(argument);
      continue;
    }
    for (let position = 1; position < text.length; position += 1) {
      const name = text.charAt(position);
      const rest = text.slice(position + 1);
      const arity = table.short.get(name);
      if (arity === undefined) {
        problem(name, false, NOT_LISTED);
        break;
      }
      if (arity === 'none') {
        options.push({
          flag: `-${name}`,
          name,
          long: false,
          value: undefined,
          glob: argument.glob,
        });
        continue;
      }
      let value: string | undefined = rest === '' ? undefined : rest;
      let glob = argument.glob;
      if (arity === 'required' && value === undefined) {
        const next = args[index + 1];
        if (next === undefined) {
          problem(name, false, 'needs a value');
          break;
        }
        index += 1;
        value = next.value;
        glob ||= next.glob;
      }
      options.push({ flag: `-${name}`, name, long: false, value, glob });
      break;
    }
  }
  return { options, operands, problems };
}

/**
 * True when `option` is one of the named options, exactly.
 *
 * @example
 * ```ts
 * isOption(option, 'o', ['output']); // true for `-o x` and `--output=x`
 * ```
 */
export function isOption(
  option: TableOption,
  short: string,
  long: readonly string[] = [],
): boolean {
  return option.long ? long.includes(option.name) : short.includes(option.name);
}
