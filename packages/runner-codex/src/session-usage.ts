import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TokenUsage } from '@akmatori/core';

/**
 * The token totals a Codex thread has reported so far, read from its rollout file
 * (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-…-<id>.jsonl`, last `token_count` event), or
 * undefined when there is none. A resumed run subtracts them from what Codex reports, so
 * that its `usage` counts only its own model calls.
 *
 * @example
 * ```ts
 * const before = await sessionUsageTotals(workspace.codexHome, task.resumeSessionId);
 * ```
 */
export async function sessionUsageTotals(
  codexHome: string,
  sessionId: string,
): Promise<TokenUsage | undefined> {
  const sessions = path.join(codexHome, 'sessions');
  const files = await readdir(sessions, { recursive: true }).catch(() => [] as string[]);
  const rollouts = files
    .filter((file) => path.basename(file).endsWith(`-${sessionId}.jsonl`))
    .sort();
  let totals: TokenUsage | undefined;
  for (const file of rollouts) {
    const lines = createInterface({
      input: createReadStream(path.join(sessions, file)),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line.includes('"token_count"')) continue;
      totals = totalsOf(line) ?? totals;
    }
  }
  return totals;
}

function totalsOf(line: string): TokenUsage | undefined {
  try {
    const record = JSON.parse(line) as {
      payload?: { type?: string; info?: { total_token_usage?: Record<string, unknown> } | null };
    };
    const total =
      record.payload?.type === 'token_count' ? record.payload.info?.total_token_usage : undefined;
    if (total === undefined) return undefined;
    const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
    return {
      inputTokens: n(total.input_tokens),
      cachedInputTokens: n(total.cached_input_tokens),
      outputTokens: n(total.output_tokens),
      reasoningTokens: n(total.reasoning_output_tokens),
    };
  } catch {
    return undefined;
  }
}
