import type { CommandArgument } from './command-words.js';

/**
 * Which options of a program take a value, so that values are not mistaken for options
 * or operands. Declare only options that REQUIRE a value: a wrong declaration would hide
 * the next argument from the policy. Undeclared values are read as options or operands,
 * which only makes the policy stricter.
 */
export interface OptionSyntax {
  /** Short options followed by a value, attached (`-n5`) or as the next argument (`-n 5`). */
  readonly valueShort?: string;
  /** Short options whose value may only be attached (`-n5`; `-n 5` leaves `5` an operand). */
  readonly optionalValueShort?: string;
  /** Long options followed by a value, `--name=value` or `--name value`. */
  readonly valueLong?: readonly string[];
}

/** One option as the program sees it. */
export interface ParsedOption {
  /** The option as written without its value: `-f`, `--follow`. */
  readonly flag: string;
  /** The name without dashes: `f`, `follow`. */
  readonly name: string;
  readonly long: boolean;
  /** The option's value, when it has one. */
  readonly value: string | undefined;
  /** True when the option or its value came from a word with glob characters. */
  readonly glob: boolean;
}

/** A program's arguments split GNU getopt style into options and operands. */
export interface ParsedArguments {
  readonly options: readonly ParsedOption[];
  readonly operands: readonly CommandArgument[];
}

/**
 * Splits arguments into options and operands like GNU getopt_long with argument
 * permutation: options may follow operands, short options combine (`-la`), long options
 * take `=value`, a lone `-` is an operand and `--` ends the options.
 *
 * @example
 * ```ts
 * parseArguments(words, { valueShort: 'n' }); // for `tail -fn 20 app.log`
 * // options: -f, -n (value "20"); operands: app.log
 * ```
 */
export function parseArguments(
  args: readonly CommandArgument[],
  syntax: OptionSyntax = {},
): ParsedArguments {
  const options: ParsedOption[] = [];
  const operands: CommandArgument[] = [];
  const valueShort = syntax.valueShort ?? '';
  const optionalValueShort = syntax.optionalValueShort ?? '';
  const valueLong = new Set(syntax.valueLong ?? []);
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
      let value = equals === -1 ? undefined : text.slice(equals + 1);
      let glob = argument.glob;
      if (value === undefined && valueLong.has(name) && index + 1 < args.length) {
        index += 1;
        value = (args[index] as CommandArgument).value;
        glob ||= (args[index] as CommandArgument).glob;
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
      const flag = `-${name}`;
      if (valueShort.includes(name)) {
        let value = rest;
        let glob = argument.glob;
        if (rest === '' && index + 1 < args.length) {
          index += 1;
          value = (args[index] as CommandArgument).value;
          glob ||= (args[index] as CommandArgument).glob;
        }
        options.push({ flag, name, long: false, value, glob });
        break;
      }
      if (optionalValueShort.includes(name)) {
        const value = rest === '' ? undefined : rest;
        options.push({ flag, name, long: false, value, glob: argument.glob });
        break;
      }
      options.push({ flag, name, long: false, value: undefined, glob: argument.glob });
    }
  }
  return { options, operands };
}
