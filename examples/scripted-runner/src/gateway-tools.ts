import type { RunGateway } from '@akmatori/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What one tool call returned: its text, and whether the tool (or the gateway) said it failed. */
export interface ToolAnswer {
  readonly output: string;
  readonly isError: boolean;
}

/** The gateway's tools for one run, over one MCP session. */
export interface GatewayTools {
  /** Calls `tool` with `args`; a refusal or a tool error is an answer with `isError`. */
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolAnswer>;
  /** Ends the MCP session. */
  close(): Promise<void>;
}

/**
 * Opens an MCP session (Streamable HTTP) with the gateway, authenticated with the run token:
 * only the tools of the run's skills are there, and every call lands in the tool call audit.
 */
export async function connectGatewayTools(
  gateway: RunGateway,
  signal: AbortSignal,
): Promise<GatewayTools> {
  const transport = new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), {
    requestInit: { headers: { authorization: `Bearer ${gateway.runToken}` } },
  });
  const client = new Client({ name: 'akmatori-scripted-runner', version: '0.1.0' });
  await client.connect(transport, { signal });
  return {
    async call(tool, args, callSignal) {
      try {
        const result = await client.callTool({ name: tool, arguments: args }, undefined, {
          signal: callSignal,
          // The gateway holds a write call until an operator decides: wait as long as the run.
          timeout: 2_147_483_647,
        });
        const content = Array.isArray(result.content) ? result.content : [];
        const output = content
          .map((item: { type: string; text?: string }) =>
            item.type === 'text' ? (item.text ?? '') : `[${item.type}]`,
          )
          .join('\n');
        return { output, isError: result.isError === true };
      } catch (error) {
        if (callSignal.aborted) throw error;
        return { output: (error as Error).message, isError: true };
      }
    },
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}
