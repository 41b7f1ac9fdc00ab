import type { ObjectSchema, ToolDefinition, ToolResult } from '@akmatori/core';
import { zabbixClientFor } from './zabbix-client-cache.js';
import type { ZabbixClient } from './zabbix-client.js';
import type { ZabbixCredentials } from './zabbix-credentials.js';
import { isZabbixError } from './zabbix-errors.js';
import { zabbixErrorResult } from './zabbix-result.js';

/** What a read-only Zabbix tool declares; {@link zabbixTool} adds the client and errors. */
export interface ZabbixToolSpec<Args> {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: ObjectSchema;
  /** Runs the query; a thrown error of {@link ZabbixErrors} becomes an `isError` result. */
  run(client: ZabbixClient, signal: AbortSignal, args: Args): Promise<ToolResult>;
}

/**
 * A read-only tool of the `zabbix` provider: it gets the shared client of the tool
 * instance's credentials, and turns Zabbix failures into `isError` results (logged at
 * `warn` without secrets).
 *
 * @example
 * ```ts
 * const version = zabbixTool<Record<string, never>>({
 *   name: 'get_version', description: 'Zabbix version', inputSchema: emptyObjectSchema,
 *   run: async (client, signal) => ({ text: (await client.version(signal)).join('.') }),
 * });
 * ```
 */
export function zabbixTool<Args>(
  spec: ZabbixToolSpec<Args>,
): ToolDefinition<ZabbixCredentials, Args> {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema,
    readOnly: true,
    async execute(context, args) {
      try {
        const client = zabbixClientFor(context.credentials);
        return await spec.run(client, context.signal, args ?? ({} as Args));
      } catch (error) {
        if (isZabbixError(error)) {
          context.log.warn(
            { tool: spec.name, code: error.code, err: error.message },
            'Zabbix call failed',
          );
        }
        return zabbixErrorResult(error);
      }
    },
  };
}

/** Schema of a `limit` argument. */
export function limitSchema(fallback: number): ObjectSchema['properties'][string] {
  return {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: fallback,
    description: `Most rows to return (default ${fallback}, at most 1000).`,
  };
}

/** Schema of a severity argument (0..5). */
export function severitySchema(what: string): ObjectSchema['properties'][string] {
  return {
    type: 'integer',
    minimum: 0,
    maximum: 5,
    description: `${what}: 0 not classified, 1 information, 2 warning, 3 average, 4 high, 5 disaster.`,
  };
}

/** A summary line's note when a query returned as many rows as its limit allowed. */
export function limitNote(count: number, limit: number): string {
  return count >= limit
    ? ` (the limit of ${limit}: there may be more; narrow the query or raise limit)`
    : '';
}

/** A non-empty string argument, or undefined. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
