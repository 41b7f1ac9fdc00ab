import type { Logger } from '../logging/logger.js';
import type { ObjectSchema, SchemaValue } from './schema.js';

/** What a tool call gets from the gateway besides its arguments. */
export interface ToolContext<Credentials> {
  /** Decrypted credentials of the tool instance being called. Never log them. */
  readonly credentials: Credentials;
  /** The incident whose investigation made the call. */
  readonly incidentId: string;
  /** The run that made the call. */
  readonly runId: string;
  /** Aborted when the run is cancelled or the call times out. */
  readonly signal: AbortSignal;
  /** A logger scoped to this tool call. */
  readonly log: Logger;
  /**
   * Asks an operator to approve a write action and waits, bounded, for the decision. A
   * tool calls it before it changes anything; the gateway records the decision in the
   * audit log. Resolves `{approved: false}` when the operator denies or the wait expires.
   */
  requestApproval(action: WriteAction): Promise<ApprovalDecision>;
}

/** A change a tool wants to make, as an operator sees it in the approval request. */
export interface WriteAction {
  /** One line saying what will change (`run "systemctl restart nginx" on web1`). */
  readonly summary: string;
  /** The particulars: command, hosts, method. Secrets must not be put here. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** An operator's answer to a {@link WriteAction}. */
export interface ApprovalDecision {
  /** True when the action may run. */
  readonly approved: boolean;
  /** `approved`, `denied` or `expired`. */
  readonly outcome: 'approved' | 'denied' | 'expired';
  /** What the agent is told (the operator's reason, or why the wait ended). */
  readonly reason: string;
}

/** What a tool call returns to the agent. */
export interface ToolResult {
  /** Text shown to the agent. */
  readonly text: string;
  /** Machine-readable result, when the tool has one. */
  readonly structured?: Record<string, unknown>;
  /** True when the call failed in a way the agent should see (non-zero exit, API error). */
  readonly isError?: boolean;
  /** True when policy refused the call and nothing ran (also sets `isError`). */
  readonly refused?: boolean;
  /** For command tools: the worst exit code among the hosts, recorded in the audit log. */
  readonly exitCode?: number;
}

/** One operation the agent can call through the MCP gateway. */
export interface ToolDefinition<
  Credentials = Record<string, unknown>,
  Args = Record<string, unknown>,
> {
  /** Tool name, unique within its provider (`run_command`, `get_problems`). */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description: string;
  /** Schema of the arguments. */
  readonly inputSchema: ObjectSchema;
  /** True when the tool cannot change anything; other tools need approval under the default policy. */
  readonly readOnly: boolean;
  /** Performs the call. */
  execute(context: ToolContext<Credentials>, args: Args): Promise<ToolResult>;
}

/**
 * A family of tools sharing one kind of credential (an SSH key, a Zabbix API token).
 *
 * @example
 * ```ts
 * const clock = defineToolProvider({
 *   id: 'clock',
 *   displayName: 'Clock',
 *   credentialSchema: emptyObjectSchema,
 *   tools: [{
 *     name: 'now', description: 'Current time', inputSchema: emptyObjectSchema, readOnly: true,
 *     execute: async () => ({ text: new Date().toISOString() }),
 *   }],
 * });
 * ```
 */
export interface ToolProvider<Credentials = Record<string, unknown>> {
  /** Unique tool type name (`ssh`, `zabbix`). */
  readonly id: string;
  /** Name shown to operators. */
  readonly displayName: string;
  /** Schema of one tool instance's credentials; mark secret fields `secret: true`. */
  readonly credentialSchema: ObjectSchema;
  /** The tools this provider offers. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each tool declares its own argument type
  readonly tools: readonly ToolDefinition<Credentials, any>[];
}

/**
 * Declares a tool provider. Returns it unchanged (frozen); the host validates it on
 * registration. The credential type every tool's `execute` gets is read from
 * `credentialSchema` ({@link SchemaValue}): write the schema inline or keep it in a constant
 * made with `defineSchema` (or `as const`).
 *
 * @example
 * ```ts
 * const statusPage = defineToolProvider({
 *   id: 'status-page',
 *   displayName: 'Status page',
 *   credentialSchema: {
 *     type: 'object',
 *     required: ['url'],
 *     properties: { url: { type: 'string', description: 'Status page URL.' } },
 *   },
 *   tools: [{
 *     name: 'status', description: 'Current status', inputSchema: emptyObjectSchema, readOnly: true,
 *     execute: async ({ credentials }) => ({ text: await (await fetch(credentials.url)).text() }),
 *   }],
 * });
 * ```
 */
export function defineToolProvider<const Schema extends ObjectSchema>(
  provider: ToolProvider<SchemaValue<Schema>> & { readonly credentialSchema: Schema },
): ToolProvider<SchemaValue<Schema>>;
/**
 * Declares a tool provider whose credential type is written by hand.
 *
 * @deprecated Let the type come from `credentialSchema` (call without a type argument); a
 * hand-written credential type is checked against nothing.
 */
export function defineToolProvider<Credentials>(
  provider: ToolProvider<Credentials>,
): ToolProvider<Credentials>;
export function defineToolProvider<Credentials>(
  provider: ToolProvider<Credentials>,
): ToolProvider<Credentials> {
  return Object.freeze(provider);
}
