import type { ToolCallPattern } from '../scenarios/scenario.js';

/** A tool name pattern (`*` matches any run of characters) as an anchored regex. */
export function toolNameRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

/** The text an argument is matched as: itself when a string, else its JSON. */
function argumentText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Whether a call of `tool` with `args` fits `pattern`: the name matches, and every argument
 * `arguments_match` names is present and matches its regex (case-insensitive).
 *
 * @example
 * ```ts
 * matchesToolCall({ tool: 'prom__query*', arguments_match: { query: 'cpu' } }, 'prom__query', { query: 'node_cpu' }); // true
 * ```
 */
export function matchesToolCall(pattern: ToolCallPattern, tool: string, args: unknown): boolean {
  if (!toolNameRegex(pattern.tool).test(tool)) return false;
  const record = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  return Object.entries(pattern.arguments_match ?? {}).every(([name, re]) => {
    const text = argumentText(record[name]);
    return text !== undefined && new RegExp(re, 'i').test(text);
  });
}
