import { quoteForReason, type CommandArgument } from './command-words.js';
import type { PolicyContext } from './network-allowlist.js';
import {
  describeOptionProblems,
  isOption,
  parseWithTable,
  type OptionTable,
  type TableParse,
} from './option-table.js';

/**
 * Where a program may take unquoted glob patterns (`*.log`), which the shell expands into
 * any number of file names before the program starts:
 * - `anywhere`: no option of the program writes and no operand count matters.
 * - `paths`: only globs that cannot expand to an option (they start with a literal other
 *   than `-`, like `/var/log/*.log`).
 * - `never`: the program counts its operands or reads verbs, so no glob at all.
 */
export type GlobPolicy = 'anywhere' | 'paths' | 'never';

/** How one program is judged read-only. */
export interface ProgramRule {
  /** What the rule allows, in one line (documentation for reviewers and operators). */
  readonly summary: string;
  /**
   * The reasons why running `program` with `args` is not read-only; empty when it is.
   * `program` is the name as judged (a basename), for messages; `context` says which
   * network destinations the instance allows.
   */
  readonly judge: (
    program: string,
    args: readonly CommandArgument[],
    context: PolicyContext,
  ) => readonly string[];
}

/**
 * Options whose effect earns them a clear reason when they appear (they are never in the
 * table, so they are refused anyway). Long names match their GNU abbreviations here, so
 * `--out` is reported as what `--output` does.
 */
export interface DeniedOptions {
  readonly short?: string;
  readonly long?: readonly string[];
  /** What the option does, completing "<program> <option> ...": `edits files in place`. */
  readonly because: string;
  /** The options take a value (so the value is not read as an operand in the reasons). */
  readonly value?: boolean;
}

/** A declarative program rule: globs, the complete option table, checks on the rest. */
export interface ProgramSpec {
  readonly summary: string;
  readonly globs: GlobPolicy;
  /** Every option accepted, with its arity; any other option is not read-only. */
  readonly options: OptionTable;
  /** Why some well-known options outside the table are refused (for messages). */
  readonly deny?: readonly DeniedOptions[];
  /** Checks on the parsed arguments beyond options (operands, values, destinations...). */
  readonly check?: (
    parsed: TableParse,
    program: string,
    context: PolicyContext,
  ) => readonly string[];
}

/**
 * Builds a {@link ProgramRule} from a {@link ProgramSpec}: globs are checked first, then
 * every option against the table (a denied option is reported with its reason), then
 * `check`.
 *
 * @example
 * ```ts
 * const tail = programRule({
 *   summary: 'tail without following the file',
 *   globs: 'paths',
 *   options: optionTable('c:n:qvz', ['bytes=', 'lines=']),
 *   deny: [{ short: 'fF', long: ['follow'], because: 'follows the file and never ends' }],
 * });
 * tail.judge('tail', args, context); // for `tail -f app.log`: ['tail -f follows the file and never ends']
 * ```
 */
export function programRule(spec: ProgramSpec): ProgramRule {
  return {
    summary: spec.summary,
    judge: (program, args, context) => {
      const reasons = [...checkGlobs(program, args, spec.globs)];
      const parsed = parseWithTable(args, withDeniedValues(spec.options, spec.deny ?? []));
      for (const option of parsed.options) {
        const denied = spec.deny?.find((entry) => isOption(option, entry.short ?? '', entry.long));
        if (denied !== undefined && !isOption(option, ...tableNames(spec.options))) {
          reasons.push(`${program} ${option.flag} ${denied.because}`);
        }
      }
      for (const problem of parsed.problems) {
        const denied = spec.deny?.find((entry) =>
          problem.long
            ? problem.name !== '' &&
              (entry.long ?? []).some((name) => name.startsWith(problem.name))
            : (entry.short ?? '').includes(problem.name),
        );
        reasons.push(
          denied === undefined
            ? (describeOptionProblems(program, [problem])[0] as string)
            : `${program} ${problem.flag} ${denied.because}`,
        );
      }
      if (spec.check !== undefined) reasons.push(...spec.check(parsed, program, context));
      return reasons;
    },
  };
}

/**
 * The table used to read arguments: the allowed options plus the denied ones that take a
 * value, so that their value is not mistaken for an operand. Denied options found this way
 * are reported by their reason, never accepted.
 */
function withDeniedValues(table: OptionTable, deny: readonly DeniedOptions[]): OptionTable {
  const valued = deny.filter((entry) => entry.value === true);
  if (valued.length === 0) return table;
  const short = new Map(table.short);
  const long = new Map(table.long);
  for (const entry of valued) {
    for (const name of entry.short ?? '') if (!short.has(name)) short.set(name, 'required');
    for (const name of entry.long ?? []) if (!long.has(name)) long.set(name, 'required');
  }
  return { short, long };
}

/** The short letters and long names of a table, for {@link isOption}. */
function tableNames(table: OptionTable): [string, string[]] {
  return [[...table.short.keys()].join(''), [...table.long.keys()]];
}

/**
 * The reasons why the glob patterns among `args` break `policy`.
 *
 * @example
 * ```ts
 * checkGlobs('sort', args, 'paths'); // for `sort *`: ['glob "*" could expand to an option of sort']
 * ```
 */
export function checkGlobs(
  program: string,
  args: readonly CommandArgument[],
  policy: GlobPolicy,
): string[] {
  if (policy === 'anywhere') return [];
  return args
    .filter((arg) => arg.glob && (policy === 'never' || arg.mayExpandToOption))
    .map((arg) =>
      policy === 'never'
        ? `${program} takes no glob pattern, like ${quoteForReason(arg.value)}`
        : `glob ${quoteForReason(arg.value)} could expand to an option of ${program}`,
    );
}

/**
 * The reason when a program has more operands than `max` (an extra operand is often an
 * output file: `uniq in out`).
 */
export function atMostOperands(
  parsed: Pick<TableParse, 'operands'>,
  program: string,
  max: number,
  what: string,
): string[] {
  return parsed.operands.length > max ? [`${program} with more than ${max} ${what}`] : [];
}

/** The first value given for any of the named options, matched exactly. */
export function optionValue(
  parsed: Pick<TableParse, 'options'>,
  short: string,
  long: readonly string[] = [],
): string | undefined {
  return parsed.options.find((option) => isOption(option, short, long))?.value;
}

/** True when any of the named options is given, matched exactly. */
export function hasOption(
  parsed: Pick<TableParse, 'options'>,
  short: string,
  long: readonly string[] = [],
): boolean {
  return parsed.options.some((option) => isOption(option, short, long));
}
