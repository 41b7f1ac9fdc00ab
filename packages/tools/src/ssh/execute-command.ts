import type { ToolContext, ToolDefinition, ToolResult } from '@akmatori/core';
import { judgeCommand, type CommandVerdict } from './command-policy.js';
import {
  hostsArgument,
  refusal,
  reportRuns,
  runOnHosts,
  selectHosts,
  type SshToolDependencies,
} from './host-runs.js';
import type { SshCredentials, SshHost } from './ssh-credentials.js';

/** Arguments of `execute_command`. */
export interface ExecuteCommandArgs {
  readonly command: string;
  readonly hosts?: readonly string[];
  readonly timeout_seconds?: number;
}

/** Seconds a command may run per host when the call does not say. */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 60;

/**
 * `execute_command`: runs a shell command on hosts of the instance, in parallel. The command
 * policy decides first: read-only commands run; write commands run only on hosts with
 * `allow_write` and after an operator approves; refused commands never run.
 *
 * @example
 * ```ts
 * const tool = executeCommandTool({ trustStore: processHostKeyTrustStore });
 * await tool.execute(context, { command: 'df -h', hosts: ['web1'] });
 * ```
 */
export function executeCommandTool(
  dependencies: SshToolDependencies,
): ToolDefinition<SshCredentials, ExecuteCommandArgs> {
  return {
    name: 'execute_command',
    description:
      'Runs a shell command over SSH on hosts of this tool instance, in parallel, and returns ' +
      "each host's exit code, stdout and stderr (each capped at 64 KiB). Read-only commands " +
      '(ps, df, free, journalctl, cat of a log, systemctl status…) run at once; network ' +
      'clients (curl GET, ping, dig) only towards the instance network_allowlist. A command ' +
      'that may change a machine runs only on hosts that allow writes, and only after an ' +
      'operator approves it; commands the policy cannot judge are refused, so prefer plain ' +
      'read-only commands. Commands run under /bin/sh (POSIX sh, not bash). `hosts` are host ' +
      'names of this instance (default: all of them).',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: {
          type: 'string',
          description:
            'The shell command, run by /bin/sh (POSIX sh, whatever the login shell) on each host.',
          minLength: 1,
          maxLength: 4096,
        },
        hosts: hostsArgument,
        timeout_seconds: {
          type: 'integer',
          description: 'How long the command may run on each host before it is stopped.',
          minimum: 1,
          maximum: 600,
          default: DEFAULT_COMMAND_TIMEOUT_SECONDS,
        },
      },
    },
    readOnly: false,
    async execute(context, args) {
      const selection = selectHosts(context.credentials, args.hosts);
      if (!selection.ok) return selection.result;
      const { hosts } = selection;
      const { command } = args;
      const verdict = await judge(command, context.credentials.network_allowlist);
      context.log.info(
        { command, hosts: hosts.map((host) => host.name), verdict: verdict.kind },
        'ssh command judged',
      );
      if (verdict.kind === 'refused') {
        return refusal(`the command policy does not allow "${command}": ${verdict.reason}`);
      }
      if (verdict.kind === 'write') {
        const refused = await approveWrite(context, command, hosts, verdict.reasons);
        if (refused !== undefined) return refused;
      }
      const timeoutMs = (args.timeout_seconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS) * 1000;
      const runs = await runOnHosts(hosts, command, context, dependencies, timeoutMs);
      context.log.info(
        {
          command,
          results: runs.map(({ host, exit_code, timed_out, error_code }) => ({
            host,
            exit_code,
            timed_out,
            error_code,
          })),
        },
        'ssh command finished',
      );
      return reportRuns(runs);
    },
  };
}

/** The policy's verdict; a policy that fails refuses. */
async function judge(
  command: string,
  networkAllowlist: readonly string[] | undefined,
): Promise<CommandVerdict> {
  try {
    return await judgeCommand(command, { networkAllowlist: networkAllowlist ?? [] });
  } catch (error) {
    return {
      kind: 'refused',
      reason: `the policy could not judge it (${(error as Error).message})`,
    };
  }
}

/**
 * Checks that every host allows writes and asks an operator. Returns the refusal when the
 * command must not run, undefined when it was approved.
 */
async function approveWrite(
  context: ToolContext<SshCredentials>,
  command: string,
  hosts: readonly SshHost[],
  reasons: readonly string[],
): Promise<ToolResult | undefined> {
  const names = hosts.map((host) => host.name);
  const readOnlyHosts = hosts.filter((host) => host.allow_write !== true).map((host) => host.name);
  const why = reasons.join('; ');
  if (readOnlyHosts.length > 0) {
    return refusal(
      `"${command}" may change the machine (${why}) and writes are not allowed on ` +
        `${readOnlyHosts.join(', ')} (allow_write is off); nothing ran`,
    );
  }
  const decision = await context.requestApproval({
    summary: `run "${command}" on ${names.join(', ')}`,
    details: { command, hosts: names, reasons: [...reasons] },
  });
  if (decision.approved) return undefined;
  const answer =
    decision.outcome === 'expired'
      ? `approval expired: ${decision.reason}`
      : `denied by operator: ${decision.reason}`;
  return refusal(`"${command}" was not run on ${names.join(', ')}: ${answer}`);
}
