import { finalReportSections, type FinalReportField } from '@akmatori/runner-codex';

/** A replay as `POST /api/runs/{uuid}/replay` answers it (the fields printed). */
export interface ReplayJson {
  readonly mode: string;
  /** The attempt replayed (the run's last); absent from a server older than attempts. */
  readonly replayed?: {
    readonly run_id: string;
    readonly attempt: number;
    readonly attempts: number;
  };
  readonly original: { readonly tool_calls: readonly ToolCallJson[] };
  readonly replay: {
    readonly status: string;
    readonly error: string | null;
    readonly tool_calls: readonly ToolCallJson[];
    readonly calls: readonly (ToolCallJson & { readonly recorded: boolean })[];
    readonly model_calls: number;
  };
  readonly diff: {
    readonly identical: boolean;
    readonly tool_calls: {
      readonly added: readonly ToolCallJson[];
      readonly removed: readonly ToolCallJson[];
      readonly changed: readonly {
        readonly name: string;
        readonly before: Readonly<Record<string, unknown>>;
        readonly after: Readonly<Record<string, unknown>>;
      }[];
    };
    readonly report: readonly {
      readonly section: string;
      readonly before: string | null;
      readonly after: string | null;
    }[];
  };
}

interface ToolCallJson {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

const call = (c: ToolCallJson): string => `${c.name} ${JSON.stringify(c.arguments)}`;
const indent = (text: string | null): string =>
  text === null
    ? '    (absent)'
    : text
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');

/**
 * The lines `akmatori eval replay` prints for a replay: its outcome, then each tool call added
 * (`+`), removed (`-`) or changed (`~`), then each report section that differs, before and after.
 *
 * @example
 * ```ts
 * process.stdout.write(`${formatReplay(result).join('\n')}\n`);
 * ```
 */
export function formatReplay(result: ReplayJson): string[] {
  const { diff, replay } = result;
  const unrecorded = replay.calls.filter((c) => !c.recorded).length;
  const lines = [
    `replay (${result.mode}): ${replay.status}${replay.error === null ? '' : `: ${replay.error}`}`,
    `tool calls: ${result.original.tool_calls.length} recorded, ${replay.tool_calls.length} replayed` +
      (unrecorded > 0 ? ` (${unrecorded} not in the recording)` : '') +
      `; model calls: ${replay.model_calls}`,
  ];
  const { replayed } = result;
  if (replayed !== undefined && replayed.attempts > 1)
    lines.splice(
      1,
      0,
      `attempt ${replayed.attempt} of ${replayed.attempts} replayed (run ${replayed.run_id}), the one whose outcome the run has`,
    );
  if (diff.identical) {
    lines.push('identical: the same tool calls and the same report');
    return lines;
  }
  for (const added of diff.tool_calls.added) lines.push(`+ ${call(added)}`);
  for (const removed of diff.tool_calls.removed) lines.push(`- ${call(removed)}`);
  for (const changed of diff.tool_calls.changed)
    lines.push(
      `~ ${changed.name} ${JSON.stringify(changed.before)} -> ${JSON.stringify(changed.after)}`,
    );
  for (const section of diff.report) {
    const heading = finalReportSections[section.section as FinalReportField] ?? section.section;
    lines.push(`report section "${heading}" differs:`, '  before:', indent(section.before));
    lines.push('  after:', indent(section.after));
  }
  return lines;
}
