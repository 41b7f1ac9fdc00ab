/**
 * Sends a raw MCP `initialize` to the gateway at `gatewayUrl` with `bearer`, as a client's first
 * request of a session: what a test needs to see the gateway accept or refuse a token.
 *
 * @example
 * ```ts
 * expect((await postMcpInitialize(url, token)).status).toBe(401);
 * ```
 */
export function postMcpInitialize(gatewayUrl: string, bearer: string): Promise<Response> {
  return fetch(`${gatewayUrl.replace(/\/+$/, '')}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'raw-http', version: '1' },
      },
    }),
  });
}
