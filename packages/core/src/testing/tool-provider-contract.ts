import type { ToolDefinition, ToolProvider, ToolResult } from '../contracts/tool-provider.js';
import { definePlugin } from '../contracts/plugin.js';
import { PluginHost } from '../host/plugin-host.js';
import { schemaFieldProblems } from './schema-checks.js';
import {
  createToolContext,
  type TestToolContext,
  type ToolContextOptions,
} from './tool-context.js';

/**
 * The contract every tool provider must meet: the plugin host registers it (ids, names,
 * functions, and every schema compiling under ajv's strict mode), it offers at least one tool,
 * every credential field and every tool argument says what it is (`description`, which the
 * dashboard and the model read), and every `secret: true` field is a string. Returns the
 * problems found (empty when the provider passes), so it works with any test runner.
 *
 * @example
 * ```ts
 * expect(checkToolProviderContract(prometheusTools)).toEqual([]);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any credential type
export function checkToolProviderContract(provider: ToolProvider<any>): string[] {
  try {
    new PluginHost().register(
      definePlugin({ name: `contract-of-${provider.id}`, tools: [provider] }),
    );
  } catch (error) {
    return [`the plugin host refuses it: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if (provider.tools.length === 0) problems.push('offers no tools');
  problems.push(...schemaFieldProblems(provider.credentialSchema, 'credentialSchema.'));
  for (const tool of provider.tools) {
    problems.push(...schemaFieldProblems(tool.inputSchema, `tool ${tool.name}: `));
  }
  return problems;
}

/**
 * A provider's tool by name; throws when it has none of that name.
 *
 * @example
 * ```ts
 * const query = toolOf(prometheusTools, 'query');
 * ```
 */
export function toolOf<Credentials>(
  provider: ToolProvider<Credentials>,
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each tool has its own argument type
): ToolDefinition<Credentials, any> {
  const found = provider.tools.find((tool) => tool.name === name);
  if (found === undefined) {
    const names = provider.tools.map((tool) => tool.name).join(', ');
    throw new Error(`tool provider ${provider.id} has no tool ${name} (it has: ${names})`);
  }
  return found;
}

/**
 * Calls a provider's tool as the gateway would, with the instance's credentials and a test
 * context ({@link createToolContext}): returns the result and the context, whose
 * `approvalRequests` list the write actions the tool asked approval for.
 *
 * @example
 * ```ts
 * const { result } = await callTool(prometheusTools, 'query', credentials, { query: 'up' });
 * expect(result.isError).toBeFalsy();
 * ```
 */
export async function callTool<Credentials>(
  provider: ToolProvider<Credentials>,
  name: string,
  credentials: Credentials,
  args: Record<string, unknown>,
  options: ToolContextOptions = {},
): Promise<{ result: ToolResult; context: TestToolContext<Credentials> }> {
  const context = createToolContext(credentials, options);
  const result = await toolOf(provider, name).execute(context, args);
  return { result, context };
}
