import {
  isExactOption,
  matchesOption,
  parseArguments,
  type OptionSyntax,
  type ParsedArguments,
} from './command-options.js';
import { quoteForReason, type CommandArgument } from './command-words.js';

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
   * `program` is the name as judged (a basename), for messages.
   */
  readonly judge: (program: string, args: readonly CommandArgument[]) => readonly string[];
}

/** Options that are never read-only, and why. Long names match their GNU abbreviations. */
export interface DeniedOptions {
  readonly short?: string;
  readonly long?: readonly string[];
  /** What the option does, completing "<program> <option> ...": `edits files in place`. */
  readonly because: string;
}

/** A declarative program rule: option syntax, denied options, an optional allowlist. */
export interface ProgramSpec {
  readonly summary: string;
  readonly globs: GlobPolicy;
  readonly syntax?: OptionSyntax;
  readonly deny?: readonly DeniedOptions[];
  /** When set, the only options accepted, by exact name; anything else is not read-only. */
  readonly allow?: { readonly short?: string; readonly long?: readonly string[] };
  /** Checks on the parsed arguments beyond options (operands, required options...). */
  readonly check?: (parsed: ParsedArguments, program: string) => readonly string[];
}

/**
 * Builds a {@link ProgramRule} from a {@link ProgramSpec}: globs are checked first, then
 * denied options, then the allowlist, then `check`.
 *
 * @example
 * ```ts
 * const tail = programRule({
 *   summary: 'tail without following the file',
 *   globs: 'paths',
 *   syntax: { valueShort: 'cns' },
 *   deny: [{ short: 'fF', long: ['follow'], because: 'follows the file and never ends' }],
 * });
 * tail.judge('tail', args); // for `tail -f app.log`: ['tail -f follows the file and never ends']
 * ```
 */
export function programRule(spec: ProgramSpec): ProgramRule {
  return {
    summary: spec.summary,
    judge: (program, args) => {
      const reasons = [...checkGlobs(program, args, spec.globs)];
      const parsed = parseArguments(args, spec.syntax);
      for (const option of parsed.options) {
        const denied = spec.deny?.find((entry) =>
          matchesOption(option, entry.short ?? '', entry.long),
        );
        if (denied !== undefined) {
          reasons.push(`${program} ${option.flag} ${denied.because}`);
        } else if (
          spec.allow !== undefined &&
          !isExactOption(option, spec.allow.short ?? '', spec.allow.long)
        ) {
          reasons.push(
            `${program} option ${quoteForReason(option.flag)} is not on the read-only list`,
          );
        }
      }
      if (spec.check !== undefined) reasons.push(...spec.check(parsed, program));
      return reasons;
    },
  };
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
 * output file: `uniq in out`), or none.
 */
export function atMostOperands(
  parsed: ParsedArguments,
  program: string,
  max: number,
  what: string,
): string[] {
  return parsed.operands.length > max ? [`${program} with more than ${max} ${what}`] : [];
}

/** The first value given for any of the named options, matched exactly. */
export function optionValue(
  parsed: ParsedArguments,
  short: string,
  long: readonly string[] = [],
): string | undefined {
  return parsed.options.find((option) => isExactOption(option, short, long))?.value;
}

/** True when any of the named options is given, matched exactly. */
export function hasOption(
  parsed: ParsedArguments,
  short: string,
  long: readonly string[] = [],
): boolean {
  return parsed.options.some((option) => isExactOption(option, short, long));
}
