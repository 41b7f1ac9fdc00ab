/**
 * The JSONL events `codex exec --json` prints (Codex 0.169, `codex-rs/exec/src/exec_events.rs`).
 * Fields are as Codex names them; anything may be missing in a line from another version,
 * so readers check before use.
 */

/** Token usage of `turn.completed`: totals of the whole Codex thread so far, across resumed runs. */
export interface CodexUsage {
  readonly input_tokens?: number;
  readonly cached_input_tokens?: number;
  readonly output_tokens?: number;
  readonly reasoning_output_tokens?: number;
}

/** An item of a Codex thread, as carried by `item.started`/`item.updated`/`item.completed`. */
export type CodexThreadItem =
  | { readonly id: string; readonly type: 'agent_message'; readonly text: string }
  | { readonly id: string; readonly type: 'reasoning'; readonly text: string }
  | {
      readonly id: string;
      readonly type: 'command_execution';
      readonly command: string;
      readonly aggregated_output: string;
      readonly exit_code: number | null;
      readonly status: 'in_progress' | 'completed' | 'failed' | 'declined';
    }
  | {
      readonly id: string;
      readonly type: 'mcp_tool_call';
      readonly server: string;
      readonly tool: string;
      readonly arguments: unknown;
      readonly result: {
        readonly content: readonly unknown[];
        readonly structured_content: unknown;
      } | null;
      readonly error: { readonly message: string } | null;
      readonly status: 'in_progress' | 'completed' | 'failed';
    }
  | {
      readonly id: string;
      readonly type: 'file_change';
      readonly changes: readonly {
        readonly path: string;
        readonly kind: 'add' | 'delete' | 'update';
      }[];
      readonly status: 'in_progress' | 'completed' | 'failed';
    }
  | {
      readonly id: string;
      readonly type: 'todo_list';
      readonly items: readonly { readonly text: string; readonly completed: boolean }[];
    }
  | { readonly id: string; readonly type: 'web_search'; readonly query: string }
  | { readonly id: string; readonly type: 'error'; readonly message: string };

/** One line of `codex exec --json`. */
export type CodexThreadEvent =
  | { readonly type: 'thread.started'; readonly thread_id: string }
  | { readonly type: 'turn.started' }
  | { readonly type: 'turn.completed'; readonly usage: CodexUsage }
  | { readonly type: 'turn.failed'; readonly error: { readonly message: string } }
  | {
      readonly type: 'item.started' | 'item.updated' | 'item.completed';
      readonly item: CodexThreadItem;
    }
  | { readonly type: 'error'; readonly message: string };
