import type { ObjectSchema, ToolDefinition, ToolResult } from '@akmatori/core';
import { httpApiClient, type HttpApiClient } from './http-api-client.js';
import type { HttpApiCredentials } from './http-api-credentials.js';
import { isPrometheusError } from './http-api-errors.js';

/** The most characters of `text` a Prometheus or Alertmanager tool returns. */
export const TEXT_LIMIT = 64 * 1024;

/** What a read-only Prometheus or Alertmanager tool declares; {@link httpApiTool} adds the rest. */
export interface HttpApiToolSpec<Args> {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: ObjectSchema;
  /** Runs the calls; a thrown {@link PrometheusErrors} error becomes an `isError` result. */
  run(client: HttpApiClient, signal: AbortSignal, args: Args): Promise<ToolResult>;
}

/**
 * A read-only tool of the `prometheus` or `alertmanager` provider: it gets a client of the
 * tool instance's API, and turns failures into `isError` results with `structured.error_code`
 * (logged at `warn`, secrets scrubbed).
 *
 * @example
 * ```ts
 * const status = httpApiTool<Record<string, never>>('Prometheus', {
 *   name: 'get_status', description: 'Version', inputSchema: emptyObjectSchema,
 *   run: async (client, signal) => ({ text: JSON.stringify(await client.getJson('api/v1/status/buildinfo', {}, signal)) }),
 * });
 * ```
 */
export function httpApiTool<Args>(
  service: string,
  spec: HttpApiToolSpec<Args>,
): ToolDefinition<HttpApiCredentials, Args> {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema,
    readOnly: true,
    async execute(context, args) {
      try {
        const client = httpApiClient(service, context.credentials);
        return capped(await spec.run(client, context.signal, args ?? ({} as Args)));
      } catch (error) {
        if (!isPrometheusError(error)) throw error;
        context.log.warn(
          { tool: spec.name, error_code: error.code, err: error.message },
          `${service} call failed`,
        );
        return { text: error.message, isError: true, structured: { error_code: error.code } };
      }
    },
  };
}

function capped(result: ToolResult): ToolResult {
  if (result.text.length <= TEXT_LIMIT) return result;
  const total = result.text.length;
  return {
    ...result,
    text: `${result.text.slice(0, TEXT_LIMIT)}\n… [truncated: ${TEXT_LIMIT} of ${total} characters shown; narrow the query or lower "limit"]`,
  };
}

/** Schema of a `limit` argument. */
export function limitSchema(
  fallback: number,
  max: number,
  what: string,
): ObjectSchema['properties'][string] {
  return {
    type: 'integer',
    minimum: 1,
    maximum: max,
    default: fallback,
    description: `Most ${what} to return (default ${fallback}, at most ${max}).`,
  };
}

/**
 * A row limit argument: a whole number within 1..`max`, else `fallback`.
 *
 * @example
 * ```ts
 * rowLimit(undefined, 50, 500); // 50
 * ```
 */
export function rowLimit(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1
    ? Math.min(value, max)
    : fallback;
}

/**
 * A count with its noun (`1 target`, `3 targets`).
 *
 * @example
 * ```ts
 * countOf(2, 'alert'); // '2 alerts'
 * ```
 */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** A note for a list cut at `limit`, or nothing. */
export function shownNote(shown: number, total: number): string {
  return shown < total ? ` (${shown} shown: narrow the filters or raise limit)` : '';
}

/**
 * Labels as PromQL writes them: `up{job="node", instance="a:9100"}`, the value of `nameLabel`
 * (`__name__`, or `alertname` for alerts) in front.
 *
 * @example
 * ```ts
 * labelText({ __name__: 'up', job: 'node' }); // 'up{job="node"}'
 * ```
 */
export function labelText(
  labels: Readonly<Record<string, unknown>> | undefined,
  nameLabel = '__name__',
): string {
  const entries = Object.entries(labels ?? {});
  const name = entries.find(([key]) => key === nameLabel)?.[1];
  const rest = entries
    .filter(([key]) => key !== nameLabel)
    .map(([key, value]) => `${key}=${JSON.stringify(String(value))}`);
  return `${typeof name === 'string' ? name : ''}{${rest.join(', ')}}`;
}

/** A non-empty trimmed string argument, or undefined. */
export function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
