import type { PluginHost, ToolDefinition, ToolProvider } from '@akmatori/core';
import type { GatewayStore, GatewayToolInstance } from './gateway-store.js';
import type { RunTokenClaims } from './run-token.js';

/** A tool the run may call: one provider tool on one tool instance, under its MCP name. */
export interface GrantedTool {
  /** The name the agent calls it by: `<instance slug>__<tool>`. */
  readonly mcpName: string;
  readonly instance: GatewayToolInstance;
  readonly provider: ToolProvider;
  readonly tool: ToolDefinition;
}

/** Longest MCP tool name the OpenAI function-name rules accept. */
const MAX_TOOL_NAME_LENGTH = 64;

/**
 * The MCP name of a provider tool on a tool instance: the instance name reduced to
 * `[a-z0-9_-]`, two underscores, the tool name; at most 64 characters.
 *
 * @example
 * ```ts
 * mcpToolName('Prod web (EU)', 'execute_command'); // 'prod_web_eu__execute_command'
 * ```
 */
export function mcpToolName(instanceName: string, tool: string): string {
  const slug = instanceName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  const room = MAX_TOOL_NAME_LENGTH - tool.length - 2;
  return `${(slug || 'tool').slice(0, Math.max(room, 1))}__${tool}`;
}

/**
 * The tools a run token grants, resolved against the current tool instances: a grant for a
 * missing or disabled instance, an unknown tool type or a tool the provider does not have
 * grants nothing. Deny by default: only what is listed here exists for the run.
 */
export async function grantedTools(
  claims: RunTokenClaims,
  store: Pick<GatewayStore, 'toolInstance'>,
  plugins: Pick<PluginHost, 'toolProvider'>,
): Promise<GrantedTool[]> {
  const granted: GrantedTool[] = [];
  const seen = new Set<string>();
  for (const grant of claims.grants) {
    const instance = await store.toolInstance(grant.instanceId);
    if (instance === undefined || !instance.enabled) continue;
    const provider = plugins.toolProvider(instance.toolType);
    if (provider === undefined) continue;
    for (const tool of provider.tools) {
      if (!grant.tools.includes(tool.name)) continue;
      const mcpName = mcpToolName(instance.name, tool.name);
      if (seen.has(mcpName)) continue;
      seen.add(mcpName);
      granted.push({ mcpName, instance, provider, tool });
    }
  }
  return granted;
}
