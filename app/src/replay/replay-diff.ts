import { finalReportSections, type FinalReportField } from '@akmatori/runner-codex';
import { canonicalJson } from './recorded-tools.js';

/** A tool call as the diff compares it: which tool, with which arguments. */
export interface ComparedToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** How a replay's tool calls and report differ from the recorded run's. */
export interface ReplayDiff {
  /** True when both the tool calls and every report section are the same. */
  readonly identical: boolean;
  readonly toolCalls: {
    /** Calls the replay made that the recorded run did not. */
    readonly added: readonly ComparedToolCall[];
    /** Calls the recorded run made that the replay did not. */
    readonly removed: readonly ComparedToolCall[];
    /** The same tool called (at the same place) with other arguments. */
    readonly changed: readonly {
      readonly name: string;
      readonly before: Readonly<Record<string, unknown>>;
      readonly after: Readonly<Record<string, unknown>>;
    }[];
  };
  /** Report sections whose text differs (absent sections as null). */
  readonly report: readonly {
    readonly section: FinalReportField;
    readonly before: string | null;
    readonly after: string | null;
  }[];
}

type Report = Readonly<Partial<Record<FinalReportField, string>>>;

/**
 * Compares a replay with the recorded run: tool calls aligned in order (longest common
 * subsequence of tool and arguments); of the calls left over, one of the same tool on each side
 * is a change of arguments, the rest are added or removed; then each report section.
 *
 * @example
 * ```ts
 * diffReplay({ toolCalls: [a], report: { rootCause: 'disk' } }, { toolCalls: [a, b], report: { rootCause: 'cpu' } });
 * // { identical: false, toolCalls: { added: [b], removed: [], changed: [] }, report: [{ section: 'rootCause', … }] }
 * ```
 */
export function diffReplay(
  before: { readonly toolCalls: readonly ComparedToolCall[]; readonly report: Report },
  after: { readonly toolCalls: readonly ComparedToolCall[]; readonly report: Report },
): ReplayDiff {
  const key = (call: ComparedToolCall): string => `${call.name} ${canonicalJson(call.arguments)}`;
  const a = before.toolCalls.map(key);
  const b = after.toolCalls.map(key);
  // lengths[i][j]: longest common subsequence of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] =
        a[i] === b[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const removed: ComparedToolCall[] = [];
  const added: ComparedToolCall[] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length;) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) {
      added.push(after.toolCalls[j++]!);
    } else {
      removed.push(before.toolCalls[i++]!);
    }
  }
  const changed: ReplayDiff['toolCalls']['changed'][number][] = [];
  for (const gone of [...removed]) {
    const index = added.findIndex((call) => call.name === gone.name);
    if (index < 0) continue;
    const [replaced] = added.splice(index, 1);
    removed.splice(removed.indexOf(gone), 1);
    changed.push({ name: gone.name, before: gone.arguments, after: replaced!.arguments });
  }
  const report = (Object.keys(finalReportSections) as FinalReportField[]).flatMap((section) => {
    const was = before.report[section] ?? null;
    const is = after.report[section] ?? null;
    return was === is ? [] : [{ section, before: was, after: is }];
  });
  return {
    identical:
      added.length === 0 && removed.length === 0 && changed.length === 0 && report.length === 0,
    toolCalls: { added, removed, changed },
    report,
  };
}
