import type { Logger, PluginHost } from '@akmatori/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatewayStore } from './gateway-store.js';
import type { RecordedTool } from './run-recording.js';
import type { RunTokenClaims } from './run-token.js';
import { grantedTools, type GrantedTool } from './tool-catalog.js';
import type { ToolCalls } from './tool-call.js';

/** What an MCP session of the gateway needs. */
export interface McpSessionOptions {
  readonly store: GatewayStore;
  readonly plugins: Pick<PluginHost, 'toolProvider'>;
  readonly calls: ToolCalls;
  readonly version: string;
  readonly log: Logger;
}

/** The run claims the HTTP layer verified for the request being handled. */
export function claimsOf(authInfo: AuthInfo | undefined): RunTokenClaims {
  const claims = authInfo?.extra?.claims as RunTokenClaims | undefined;
  // The HTTP layer authenticates every request before the transport sees it.
  if (claims === undefined) throw new McpError(ErrorCode.InvalidRequest, 'Not authenticated');
  return claims;
}

/**
 * A new MCP server for one session. It lists only the tools the request's run token grants
 * and calls them through {@link ToolCalls}; a tool not granted does not exist for the run.
 * Tools that cannot change anything carry `readOnlyHint: true`.
 */
export function createMcpSession(options: McpSessionOptions): Server {
  const server = new Server(
    { name: 'akmatori-gateway', version: options.version },
    {
      capabilities: { tools: { listChanged: false } },
      instructions:
        'Akmatori tools for investigating the incident. Commands are read-only unless an operator approves a write.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const claims = claimsOf(extra.authInfo);
    const granted = await grantedTools(claims, options.store, options.plugins);
    const tools = granted.map(toMcpTool);
    if (!claims.operator)
      await options.store
        .recordEntry?.(
          { runId: claims.runId, incidentId: claims.incidentId },
          { kind: 'tools', tools: tools as RecordedTool[] },
        )
        .catch((error: unknown) => options.log.error({ err: error }, 'tool list not recorded'));
    return { tools };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const claims = claimsOf(extra.authInfo);
    const granted = await grantedTools(claims, options.store, options.plugins);
    const tool = granted.find((candidate) => candidate.mcpName === request.params.name);
    if (tool === undefined) {
      await options.calls.refuseUngranted(claims, request.params.name);
      throw new McpError(
        ErrorCode.InvalidParams,
        `Tool ${request.params.name} is not available to this run`,
      );
    }
    const outcome = await options.calls.call(
      claims,
      tool,
      request.params.arguments ?? {},
      extra.signal,
    );
    const result: CallToolResult = {
      content: [{ type: 'text', text: outcome.text }],
      isError: outcome.isError,
    };
    return outcome.structured === undefined
      ? result
      : { ...result, structuredContent: outcome.structured };
  });
  return server;
}

function toMcpTool(granted: GrantedTool): Tool {
  return {
    name: granted.mcpName,
    title: `${granted.tool.name} on ${granted.instance.name}`,
    description: `${granted.tool.description} (${granted.provider.displayName} tool instance "${granted.instance.name}")`,
    inputSchema: granted.tool.inputSchema as Tool['inputSchema'],
    annotations: {
      readOnlyHint: granted.tool.readOnly,
      destructiveHint: !granted.tool.readOnly,
      openWorldHint: true,
    },
  };
}
