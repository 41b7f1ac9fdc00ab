import { isAkmatoriError, scrubSecrets } from '@akmatori/core';
import type { ClientChannel } from 'ssh2';
import { OUTPUT_LIMIT_BYTES, OutputCap } from './output-cap.js';
import { commandForLoginShell } from './posix-shell.js';
import { connectSsh, type SshConnection, type SshConnectOptions } from './ssh-connection.js';
import type { SshHost } from './ssh-credentials.js';
import { credentialSecrets, SshErrors } from './ssh-errors.js';

/** What running a command on one host gave. Field names are those of the tool results. */
export interface HostRun {
  /** Host name. */
  readonly host: string;
  /** Exit status; null when the command was killed by a signal, timed out or never ran. */
  readonly exit_code: number | null;
  /** The signal that ended the command (`SIGKILL`), when one did. */
  readonly signal?: string;
  /** Standard output, at most 64 KiB, then a truncation marker. */
  readonly stdout: string;
  /** Standard error, at most 64 KiB, then a truncation marker. */
  readonly stderr: string;
  /** True when stdout or stderr was cut. */
  readonly truncated: boolean;
  /** True when the command outlived its timeout and was stopped. */
  readonly timed_out: boolean;
  /** Time from connecting to the end of the command. */
  readonly duration_ms: number;
  /** Why the host could not be reached or the command not run. */
  readonly error?: string;
  /** Stable code of {@link HostRun.error} (`AKM_SSH_HOST_KEY_MISMATCH`). */
  readonly error_code?: string;
}

/** What {@link runOnHost} needs besides the host and the command. */
export interface RunOptions extends SshConnectOptions {
  /** How long the command may run once started. Connecting is bounded separately. */
  readonly timeoutMs: number;
  /** Bytes of stdout and of stderr kept; default {@link OUTPUT_LIMIT_BYTES}. */
  readonly outputLimitBytes?: number;
}

/**
 * Connects to `host`, runs `command` under `/bin/sh -c` whatever the login shell (see
 * {@link commandForLoginShell}; no pty, stdin closed), collects capped output and the
 * exit status, and always closes the connection. Never rejects: a connection failure, a
 * timeout or a cancellation is described in the returned {@link HostRun}.
 *
 * @example
 * ```ts
 * const run = await runOnHost(host, 'uptime', { credentials, trustStore, timeoutMs: 60_000 });
 * run.exit_code; // 0
 * ```
 */
export async function runOnHost(
  host: SshHost,
  command: string,
  options: RunOptions,
): Promise<HostRun> {
  const started = Date.now();
  const stdout = new OutputCap(options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES);
  const stderr = new OutputCap(options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES);
  const output = (): Pick<HostRun, 'stdout' | 'stderr' | 'truncated'> => ({
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
  });
  let connection: SshConnection | undefined;
  try {
    connection = await connectSsh(host, options);
    const ending = await execute(connection, command, options, stdout, stderr);
    return {
      host: host.name,
      ...ending,
      ...output(),
      duration_ms: Date.now() - started,
    };
  } catch (error) {
    const failure = isAkmatoriError(error)
      ? error
      : SshErrors.AKM_SSH_EXEC_FAILED({
          host: host.name,
          reason: scrubSecrets((error as Error).message, credentialSecrets(options.credentials)),
        });
    return {
      host: host.name,
      exit_code: null,
      ...output(),
      timed_out: false,
      duration_ms: Date.now() - started,
      error: failure.message,
      error_code: failure.code,
    };
  } finally {
    connection?.close();
  }
}

/** How a command ended. */
type Ending = Pick<HostRun, 'exit_code' | 'signal' | 'timed_out'>;

/** Runs `command` on an open connection until its channel closes, the timeout or the abort. */
function execute(
  connection: SshConnection,
  command: string,
  options: RunOptions,
  stdout: OutputCap,
  stderr: OutputCap,
): Promise<Ending> {
  const name = connection.host.name;
  return new Promise<Ending>((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let exit: Pick<Ending, 'exit_code' | 'signal'> | undefined;
    let settled = false;
    const finish = (outcome: Ending | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      connection.client.removeListener('close', onConnectionClose);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const stop = (): void => {
      if (channel !== undefined) {
        killRemoteCommand(channel);
        channel.close();
      }
      connection.close();
    };
    const timer = setTimeout(() => {
      stop();
      finish({ exit_code: null, timed_out: true });
    }, options.timeoutMs);
    const onAbort = (): void => {
      stop();
      finish(SshErrors.AKM_SSH_CANCELLED({ host: name }));
    };
    const onConnectionClose = (): void =>
      finish(
        exit === undefined
          ? SshErrors.AKM_SSH_EXEC_FAILED({ host: name, reason: 'connection closed' })
          : { ...exit, timed_out: false },
      );
    if (options.signal?.aborted === true) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    connection.client.once('close', onConnectionClose);
    connection.client.exec(commandForLoginShell(command), (error, opened) => {
      if (error !== undefined && error !== null) {
        finish(
          SshErrors.AKM_SSH_EXEC_FAILED({
            host: name,
            reason: scrubSecrets(error.message, credentialSecrets(options.credentials)),
          }),
        );
        return;
      }
      channel = opened;
      opened.on('data', (chunk: Buffer) => stdout.add(chunk));
      opened.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
      opened.on('exit', (code: number | null, signal?: string) => {
        exit =
          code === null ? { exit_code: null, signal: signal ?? 'unknown' } : { exit_code: code };
      });
      opened.on('close', () =>
        finish(
          exit === undefined
            ? SshErrors.AKM_SSH_EXEC_FAILED({
                host: name,
                reason: 'the server sent no exit status',
              })
            : { ...exit, timed_out: false },
        ),
      );
      opened.end();
    });
  });
}

/** What {@link killRemoteCommand} uses of ssh2's channel internals. */
interface ChannelInternals {
  readonly outgoing?: { readonly id?: number; readonly state?: string };
  readonly _client?: { readonly _protocol?: { signal?(channelId: number, name: string): void } };
}

/**
 * Asks sshd to SIGKILL the command (sshd signals the session's process group; without it a
 * no-pty command outlives its closed channel). ssh2's `Channel.signal()` does nothing once
 * stdin is closed, as ours is (it checks `writable`), although RFC 4254 §6.9 allows the
 * request on a half-closed channel; so this calls ssh2's protocol layer, if it is there.
 */
function killRemoteCommand(channel: ClientChannel): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const state = internals.outgoing?.state;
  const protocol = internals._client?._protocol;
  if (id === undefined || (state !== 'open' && state !== 'eof')) return;
  try {
    protocol?.signal?.(id, 'KILL');
  } catch {
    // A protocol that can no longer send: closing the connection is all that is left.
  }
}
