/**
 * Reading which tools Codex offers in a Responses API request (`body.tools`, plus tools a
 * `tool_search` loaded earlier, which come back in `body.input` as `tool_search_output`).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** How to call the shell tool Codex offers: its name and the JSON arguments for a command. */
export interface OfferedShellTool {
  readonly name: string;
  arguments(command: string, workdir?: string): Record<string, unknown>;
}

/**
 * The shell tool offered in `body.tools`: `exec_command` (Codex 0.169's unified exec,
 * `{cmd, workdir}`), or the older `shell_command` (`{command}`) or `shell` (`{command: argv}`).
 */
export function offeredShellTool(body: Json): OfferedShellTool | undefined {
  const names = new Set(
    list(body.tools)
      .filter((tool) => tool.type === 'function')
      .map((tool) => tool.name),
  );
  const withDir = (args: Record<string, unknown>, workdir?: string): Record<string, unknown> =>
    workdir === undefined ? args : { ...args, workdir };
  if (names.has('exec_command')) {
    return { name: 'exec_command', arguments: (cmd, dir) => withDir({ cmd }, dir) };
  }
  if (names.has('shell_command')) {
    return { name: 'shell_command', arguments: (command, dir) => withDir({ command }, dir) };
  }
  if (names.has('shell')) {
    return {
      name: 'shell',
      arguments: (command, dir) => withDir({ command: ['bash', '-lc', command] }, dir),
    };
  }
  return undefined;
}

/** Whether a list of tool definitions holds `tool` inside namespace `namespace`. */
function namespaceHolds(tools: Json[], namespace: string, tool: string): boolean {
  return tools.some(
    (entry) =>
      entry.type === 'namespace' &&
      entry.name === namespace &&
      list(entry.tools).some((inner) => inner.name === tool),
  );
}

/**
 * Whether the model may call `tool` of namespace `namespace` now: the namespace is in
 * `body.tools` (unknown model names), or an earlier `tool_search` loaded it.
 */
export function mcpToolOffered(body: Json, namespace: string, tool: string): boolean {
  if (namespaceHolds(list(body.tools), namespace, tool)) return true;
  return list(body.input).some(
    (item) =>
      item.type === 'tool_search_output' && namespaceHolds(list(item.tools), namespace, tool),
  );
}

/** Whether Codex offers `tool_search` (it does, instead of MCP tools, for known model names). */
export function toolSearchOffered(body: Json): boolean {
  return list(body.tools).some(
    (tool) => tool.type === 'tool_search' || tool.name === 'tool_search',
  );
}

/** Names of everything offered, for error messages (`mcp__x/y` for namespaced tools). */
export function offeredToolNames(body: Json): string[] {
  return list(body.tools).flatMap((tool) =>
    tool.type === 'namespace'
      ? list(tool.tools).map((inner) => `${String(tool.name)}/${String(inner.name)}`)
      : [String(tool.name ?? tool.type)],
  );
}
