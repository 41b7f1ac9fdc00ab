import type { AkmatoriApi } from '../driver/akmatori-api.js';

/** A tool call as a replay reports it. */
export interface ReplayedCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** What `POST /api/runs/{uuid}/replay` answers (the fields the harness reads). */
export interface ReplayOutcome {
  readonly mode: 'recorded' | 'model';
  readonly original: {
    readonly tool_calls: readonly ReplayedCall[];
    readonly report_markdown: string | null;
  };
  readonly replay: {
    readonly status: 'completed' | 'failed';
    readonly error: string | null;
    readonly tool_calls: readonly ReplayedCall[];
    readonly report_markdown: string | null;
    readonly calls: readonly (ReplayedCall & {
      readonly recorded: boolean;
      readonly is_error: boolean;
    })[];
    readonly model_calls: number;
  };
  readonly diff: {
    readonly identical: boolean;
    readonly tool_calls: {
      readonly added: readonly ReplayedCall[];
      readonly removed: readonly ReplayedCall[];
      readonly changed: readonly {
        readonly name: string;
        readonly before: unknown;
        readonly after: unknown;
      }[];
    };
    readonly report: readonly {
      readonly section: string;
      readonly before: string | null;
      readonly after: string | null;
    }[];
  };
}

/**
 * Replays a finished run of a scenario from its recording alone (model and tools answered from
 * it) and says whether it reproduced the run exactly: the same tool calls and the same report.
 * The CI check "replay reproduces a recorded run exactly".
 *
 * @example
 * ```ts
 * const { reproduced, outcome } = await replayFromRecording(api, run.id);
 * if (!reproduced) console.log(outcome.diff);
 * ```
 */
export async function replayFromRecording(
  api: AkmatoriApi,
  runId: string,
): Promise<{ readonly reproduced: boolean; readonly outcome: ReplayOutcome }> {
  const outcome = await api.call<ReplayOutcome>('POST', `/api/runs/${runId}/replay`, {
    mode: 'recorded',
  });
  return {
    reproduced: outcome.replay.status === 'completed' && outcome.diff.identical,
    outcome,
  };
}
