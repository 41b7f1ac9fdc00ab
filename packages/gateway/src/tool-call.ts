import {
  commandFieldNames,
  createAjv,
  describeSchemaErrors,
  isAkmatoriError,
  scrubCommand,
  scrubCommandValue,
  scrubSecrets,
  scrubValue,
  type ApprovalDecision,
  type Logger,
  type ToolDefinition,
  type ToolResult,
  type WriteAction,
} from '@akmatori/core';
import type { ValidateFunction } from 'ajv';
import type { GatewayStore, ToolCallDecision, ToolCallRecord } from './gateway-store.js';
import type { RunLimits } from './run-limits.js';
import type { RunTokenClaims } from './run-token.js';
import type { GrantedTool } from './tool-catalog.js';

/** What the MCP layer returns for a call: the agent-visible result. */
export interface ToolCallOutcome {
  readonly text: string;
  readonly structured?: Record<string, unknown>;
  readonly isError: boolean;
}

/** What {@link ToolCalls} needs. */
export interface ToolCallsOptions {
  readonly store: GatewayStore;
  readonly limits: RunLimits;
  readonly log: Logger;
  /** Longest a call may take, approval wait included. */
  readonly callTimeoutMs: number;
  /** How long a write action waits for an operator. */
  readonly approvalTimeoutMs: number;
  readonly now?: () => Date;
}

/**
 * Runs one granted tool call the way the security model says: within the run's limits,
 * arguments validated against the tool's schema, credentials fresh from the store, write
 * actions through an operator's approval, a deadline, secrets scrubbed from what goes back,
 * and one audit record whatever happens.
 */
export class ToolCalls {
  readonly #options: ToolCallsOptions;
  // Made at the first tool call, not when the gateway starts (an ajv instance costs ~20 ms).
  #ajv: ReturnType<typeof createAjv> | undefined;
  readonly #validators = new WeakMap<ToolDefinition, ValidateFunction>();

  constructor(options: ToolCallsOptions) {
    this.#options = options;
  }

  /** Calls `granted` with `args` for the run in `claims`; never throws for a tool's failure. */
  async call(
    claims: RunTokenClaims,
    granted: GrantedTool,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome> {
    const { store, log } = this.#options;
    const now = this.#options.now ?? (() => new Date());
    const startedAt = now();
    const secrets = granted.instance.secretValues;
    // As the agent sent them: validation fills in defaults, a replay's agent sends them again.
    const sent = scrubCommandValue(structuredClone(args), secrets) as Record<string, unknown>;
    let decision: ToolCallDecision = 'allowed';
    let result: ToolResult;
    let release: (() => void) | undefined;
    // The tool's own log lines: command text loses inline secrets and this instance's values.
    const scrubbing = (value: unknown): unknown => scrubCommandValue(value, secrets);
    const callLog = log.child(
      { run: claims.runId, tool: granted.tool.name, instance: granted.instance.name },
      { serializers: Object.fromEntries(commandFieldNames.map((name) => [name, scrubbing])) },
    );
    try {
      release = this.#options.limits.acquire(claims.runId);
      const problems = this.#validate(granted.tool, args);
      if (problems.length > 0) {
        result = refusal(`Invalid arguments: ${problems.join('; ')}`);
      } else {
        const deadline = AbortSignal.any([
          signal,
          AbortSignal.timeout(this.#options.callTimeoutMs),
        ]);
        const requestApproval = async (action: WriteAction): Promise<ApprovalDecision> => {
          const answer = await store.awaitApproval(
            {
              runId: claims.runId,
              incidentId: claims.incidentId,
              toolInstanceId: granted.instance.id,
              tool: granted.tool.name,
              action: scrubCommandValue(action, secrets),
              timeoutMs: this.#options.approvalTimeoutMs,
            },
            deadline,
          );
          decision = answer.outcome;
          return answer;
        };
        result = await granted.tool.execute(
          {
            credentials: granted.instance.credentials,
            incidentId: claims.incidentId,
            runId: claims.runId,
            signal: deadline,
            log: callLog,
            requestApproval,
          },
          args,
        );
      }
    } catch (error) {
      result = isAkmatoriError(error)
        ? refusal(error.message)
        : { text: `The tool failed: ${describe(error)}`, isError: true };
      if (!isAkmatoriError(error)) callLog.warn({ err: error }, 'tool call failed');
    } finally {
      release?.();
    }
    if (result.refused === true && decision === 'allowed') decision = 'refused';

    const text = scrubSecrets(result.text, secrets);
    const structured =
      result.structured === undefined ? undefined : scrubValue(result.structured, secrets);
    const isError = result.isError === true || result.refused === true;
    await this.#audit({
      runId: claims.runId,
      incidentId: claims.incidentId,
      toolInstanceId: granted.instance.id,
      toolInstanceName: granted.instance.name,
      tool: granted.tool.name,
      arguments: scrubCommandValue(args, secrets),
      decision,
      status: result.refused === true ? 'refused' : isError ? 'error' : 'ok',
      exitCode: result.exitCode ?? null,
      outputBytes: Buffer.byteLength(text),
      durationMs: now().getTime() - startedAt.getTime(),
      error: isError ? scrubCommand(text).slice(0, 2000) : null,
      startedAt,
    });
    callLog.info({ decision, isError, bytes: Buffer.byteLength(text) }, 'tool call');
    if (!claims.operator)
      await store
        .recordEntry?.(
          { runId: claims.runId, incidentId: claims.incidentId },
          {
            kind: 'tool',
            name: granted.mcpName,
            tool: granted.tool.name,
            instance: granted.instance.name,
            arguments: sent,
            text,
            ...(structured === undefined ? {} : { structured }),
            isError,
          },
        )
        .catch((error: unknown) =>
          log.error({ err: error, run: claims.runId }, 'tool call not recorded'),
        );
    return { text, ...(structured === undefined ? {} : { structured }), isError };
  }

  /** Records a call of a tool the run was not granted (nothing ran). */
  async refuseUngranted(claims: RunTokenClaims, name: string): Promise<void> {
    await this.#audit({
      runId: claims.runId,
      incidentId: claims.incidentId,
      toolInstanceId: null,
      toolInstanceName: null,
      tool: name.slice(0, 200),
      arguments: {},
      decision: 'refused',
      status: 'refused',
      exitCode: null,
      outputBytes: 0,
      durationMs: 0,
      error: 'tool not granted to this run',
      startedAt: (this.#options.now ?? (() => new Date()))(),
    });
  }

  /** Appends to the audit log; a failure is logged, never thrown at the agent. */
  async #audit(record: ToolCallRecord): Promise<void> {
    await this.#options.store
      .recordToolCall(record)
      .catch((error: unknown) =>
        this.#options.log.error({ err: error, run: record.runId }, 'audit record not written'),
      );
  }

  #validate(tool: ToolDefinition, args: Record<string, unknown>): string[] {
    let validate = this.#validators.get(tool);
    if (validate === undefined) {
      this.#ajv ??= createAjv({ strict: false, useDefaults: true, coerceTypes: false });
      validate = this.#ajv.compile(tool.inputSchema);
      this.#validators.set(tool, validate);
    }
    return validate(args) ? [] : describeSchemaErrors(validate.errors);
  }
}

function refusal(text: string): ToolResult {
  return { text, isError: true, refused: true };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
