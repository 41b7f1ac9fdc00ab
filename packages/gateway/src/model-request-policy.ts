/**
 * Tool types the model proxy lets through: the ones Codex runs itself on the worker (its
 * function tools, MCP tools through the gateway, freeform `custom` tools such as apply_patch,
 * the client-executed shell and patch tools, and `tool_search`, which Codex runs itself to load
 * MCP tools on demand for models it knows). Every other type is a tool the provider runs
 * on its side (web search, file search, remote MCP servers, code interpreter, computer use,
 * image generation…) and is removed: the agent reaches the world only through the gateway.
 */
export const localToolTypes: ReadonlySet<string> = new Set([
  'function',
  'custom',
  'namespace',
  'local_shell',
  'shell',
  'apply_patch',
  'tool_search',
]);

/** What {@link applyRequestPolicy} did to a request body. */
export type PolicyOutcome =
  | {
      readonly kind: 'ok';
      /** The body to forward: the original bytes when nothing had to change. */
      readonly body: Buffer;
      /** The model the worker asked for, when it was replaced by the configured one. */
      readonly modelReplaced?: string;
      /** Types of the hosted tools removed, in request order. */
      readonly strippedTools: readonly string[];
    }
  | { readonly kind: 'invalid'; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Pins the model and strips hosted tools from a Responses API request body. The `model` is set
 * to `pinnedModel` (when one is configured); `tools` keeps only {@link localToolTypes}; a
 * `tool_choice` that forces a removed tool becomes `"auto"`. A body that needs no change is
 * returned as the same bytes; one that is not a JSON object is invalid.
 *
 * @example
 * ```ts
 * const outcome = applyRequestPolicy(Buffer.from('{"model":"o3","tools":[{"type":"web_search"}]}'), 'gpt-5');
 * // { kind: 'ok', body: <{"model":"gpt-5","tools":[]}>, modelReplaced: 'o3', strippedTools: ['web_search'] }
 * ```
 */
export function applyRequestPolicy(body: Buffer, pinnedModel: string | undefined): PolicyOutcome {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return { kind: 'invalid', reason: 'The model request body is not valid JSON' };
  }
  if (!isRecord(request))
    return { kind: 'invalid', reason: 'The model request body must be a JSON object' };

  let changed = false;
  let modelReplaced: string | undefined;
  if (pinnedModel !== undefined && pinnedModel !== '' && request['model'] !== pinnedModel) {
    modelReplaced =
      typeof request['model'] === 'string' ? request['model'] : String(request['model']);
    request['model'] = pinnedModel;
    changed = true;
  }

  const strippedTools: string[] = [];
  const tools = request['tools'];
  if (tools !== undefined && !Array.isArray(tools))
    return { kind: 'invalid', reason: 'The model request "tools" must be an array' };
  if (Array.isArray(tools)) {
    const kept = tools.filter((tool) => {
      const type = isRecord(tool) ? tool['type'] : undefined;
      if (typeof type === 'string' && localToolTypes.has(type)) return true;
      strippedTools.push(typeof type === 'string' ? type : 'unknown');
      return false;
    });
    if (kept.length !== tools.length) {
      request['tools'] = kept;
      changed = true;
    }
  }
  const choice = request['tool_choice'];
  if (isRecord(choice) && !choiceIsLocal(choice)) {
    request['tool_choice'] = 'auto';
    changed = true;
  }

  if (!changed) return { kind: 'ok', body, strippedTools };
  return {
    kind: 'ok',
    body: Buffer.from(JSON.stringify(request)),
    ...(modelReplaced === undefined ? {} : { modelReplaced }),
    strippedTools,
  };
}

/** A forced tool choice still names a local tool (`{"type":"function","name":…}` and the like). */
function choiceIsLocal(choice: Record<string, unknown>): boolean {
  const type = choice['type'];
  if (type === 'allowed_tools') {
    const tools = choice['tools'];
    return (
      Array.isArray(tools) &&
      tools.every((tool) => isRecord(tool) && localToolTypes.has(String(tool['type'])))
    );
  }
  return typeof type === 'string' && localToolTypes.has(type);
}
