import { type Logger, scrubSecrets, type ToolDefinition, type ToolProvider } from '@akmatori/core';
import type { SecretBox } from '@akmatori/host';
import { toolSecretContext } from './credential-rules.js';
import type { ToolInstanceRecord } from './tool-instance-repository.js';

/** How long a connectivity test may take before it is reported failed. */
export const CONNECTIVITY_TIMEOUT_MS = 20_000;

/** A tool call that proves an instance reaches its target, by tool type. */
interface Probe {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

/**
 * The probe of each built-in tool type: SSH logs in to every host and runs `true`; Zabbix
 * logs in and lists one host (an authenticated read, so a wrong token fails it); Prometheus
 * and Alertmanager read their status (behind the same authentication as every API call). A type from
 * another plugin is probed with its `test_connectivity` tool, else with its first read-only
 * tool that needs no arguments.
 */
const probes: Readonly<Record<string, Probe>> = Object.freeze({
  ssh: { tool: 'test_connectivity', args: {} },
  zabbix: { tool: 'get_hosts', args: { limit: 1 } },
  prometheus: { tool: 'get_status', args: {} },
  alertmanager: { tool: 'get_status', args: {} },
});

/** The answer to `POST /api/tools/{id}/test`. */
export interface ConnectivityReport {
  /** True when the probe reached the target and was answered without an error. */
  readonly ok: boolean;
  /** The probe's tool. */
  readonly tool: string;
  /** What the probe said (the tool's text output), or why it failed. */
  readonly message: string;
  /** Time the probe took. */
  readonly duration_ms: number;
}

function probeOf(
  provider: ToolProvider,
): { tool: ToolDefinition; args: Record<string, unknown> } | undefined {
  const known = probes[provider.id];
  const tool =
    known === undefined
      ? (provider.tools.find((t) => t.name === 'test_connectivity' && t.readOnly) ??
        provider.tools.find((t) => t.readOnly && (t.inputSchema.required ?? []).length === 0))
      : provider.tools.find((t) => t.name === known.tool);
  return tool === undefined ? undefined : { tool, args: known?.args ?? {} };
}

/**
 * Runs a tool instance's probe against its real target with its stored credentials, bounded
 * by {@link CONNECTIVITY_TIMEOUT_MS}. The probe is read-only; an approval it asked for would be
 * denied. Never throws for a failed target: the report says what went wrong, with the
 * instance's secrets scrubbed.
 *
 * @example
 * ```ts
 * const report = await testConnectivity({ secretBox, log }, provider, record);
 * if (!report.ok) console.error(report.message);
 * ```
 */
export async function testConnectivity(
  deps: { secretBox: SecretBox; log: Logger },
  provider: ToolProvider,
  record: ToolInstanceRecord,
  timeoutMs = CONNECTIVITY_TIMEOUT_MS,
): Promise<ConnectivityReport> {
  const started = Date.now();
  const probe = probeOf(provider);
  if (probe === undefined)
    return {
      ok: false,
      tool: '',
      message: `Tool type "${provider.id}" has no read-only tool to test it with`,
      duration_ms: 0,
    };
  const credentials: Record<string, unknown> = { ...record.settings };
  const secrets: string[] = [];
  for (const [field, sealed] of Object.entries(record.secrets)) {
    const secret = deps.secretBox.open(sealed, toolSecretContext(record.id, field));
    credentials[field] = secret;
    secrets.push(secret);
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const report = (ok: boolean, message: string): ConnectivityReport => ({
    ok,
    tool: probe.tool.name,
    // A target's error may quote what it was sent: the instance's secrets never leave.
    message: scrubSecrets(message, secrets).slice(0, 4000),
    duration_ms: Date.now() - started,
  });
  const timedOut = new Promise<ConnectivityReport>((resolve) => {
    signal.addEventListener('abort', () =>
      resolve(report(false, `No answer within ${Math.round(timeoutMs / 1000)} s`)),
    );
  });
  const call = probe.tool
    .execute(
      {
        credentials,
        incidentId: 'connectivity-test',
        runId: 'connectivity-test',
        signal,
        log: deps.log.child({ tool: record.id, probe: probe.tool.name }),
        requestApproval: () =>
          Promise.resolve({
            approved: false,
            outcome: 'denied',
            reason: 'A connectivity test changes nothing',
          }),
      },
      probe.args,
    )
    .then(
      (result) => report(result.isError !== true, result.text),
      (error: unknown) => report(false, error instanceof Error ? error.message : String(error)),
    );
  return Promise.race([call, timedOut]);
}
