import { isAkmatoriError, scrubSecrets, type AkmatoriError } from '@akmatori/core';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { hostKeyFingerprint, sameFingerprint, type HostKeyTrustStore } from './host-key.js';
import type { SshCredentials, SshHost } from './ssh-credentials.js';
import { credentialSecrets, SshErrors } from './ssh-errors.js';

/** How long the SSH handshake and login may take, per hop: 10 s. */
export const READY_TIMEOUT_MS = 10_000;

/** What {@link connectSsh} needs besides the host. */
export interface SshConnectOptions {
  /** The tool instance's settings: login secrets, and the hosts jump hosts are looked up in. */
  readonly credentials: SshCredentials;
  /** Where trust-on-first-use keys are remembered. */
  readonly trustStore: HostKeyTrustStore;
  /** Aborts the connection attempt. */
  readonly signal?: AbortSignal;
  /** Handshake and login timeout per hop; default {@link READY_TIMEOUT_MS}. */
  readonly readyTimeoutMs?: number;
}

/** A logged-in SSH connection, possibly through jump hosts. */
export interface SshConnection {
  /** The host it reaches. */
  readonly host: SshHost;
  /** The ssh2 client logged in to the host. */
  readonly client: Client;
  /** Ends the connection and every jump connection under it. Safe to call twice. */
  close(): void;
}

/**
 * Connects and logs in to `host`: checks its host key against `host_key_fingerprint` (or
 * trusts it on first use), refuses root unless `allow_root`, and goes through
 * `jump_host` (recursively) with a forwarded channel. No agent forwarding, no environment.
 * Rejects with an {@link SshErrors} error that names the host and holds no secret.
 *
 * @example
 * ```ts
 * const connection = await connectSsh(host, { credentials, trustStore: processHostKeyTrustStore });
 * connection.close();
 * ```
 */
export async function connectSsh(
  host: SshHost,
  options: SshConnectOptions,
): Promise<SshConnection> {
  if (host.user === 'root' && host.allow_root !== true) {
    throw SshErrors.AKM_SSH_ROOT_REFUSED({ host: host.name });
  }
  if (options.signal?.aborted === true) throw SshErrors.AKM_SSH_CANCELLED({ host: host.name });
  const jump = host.jump_host === undefined ? undefined : await connectJump(host, options);
  // ssh2 (~700 kB with its native helpers) loads at the first connection, not when the tool
  // provider is registered.
  const { Client } = await import('ssh2');
  const client = new Client();
  try {
    const sock = jump === undefined ? undefined : await forwardTo(jump, host, options);
    await logIn(client, host, options, sock, jump);
  } catch (error) {
    client.end();
    jump?.close();
    throw error;
  }
  // After login, failures surface on the channels; an unheard 'error' would crash the process.
  client.on('error', () => undefined);
  let closed = false;
  return {
    host,
    client,
    close() {
      if (closed) return;
      closed = true;
      client.end();
      jump?.close();
    },
  };
}

/** `address:port`, and ` via <jump endpoint>` when reached through a jump host. */
export function endpointOf(host: SshHost, jump?: SshConnection): string {
  const direct = `${host.address}:${host.port ?? 22}`;
  return jump === undefined ? direct : `${direct} via ${jump.host.name}`;
}

async function connectJump(host: SshHost, options: SshConnectOptions): Promise<SshConnection> {
  const jumpHost = options.credentials.hosts.find((candidate) => candidate.name === host.jump_host);
  if (jumpHost === undefined) {
    throw SshErrors.AKM_SSH_JUMP_FAILED({
      host: host.name,
      jumpHost: host.jump_host ?? '',
      reason: 'no host of that name in this tool instance',
    });
  }
  try {
    return await connectSsh(jumpHost, options);
  } catch (error) {
    if (isAkmatoriError(error, SshErrors.AKM_SSH_CANCELLED)) throw error;
    throw SshErrors.AKM_SSH_JUMP_FAILED(
      { host: host.name, jumpHost: jumpHost.name, reason: (error as Error).message },
      { cause: error },
    );
  }
}

/** A `direct-tcpip` channel from the jump host to the target's SSH port. */
function forwardTo(
  jump: SshConnection,
  host: SshHost,
  options: SshConnectOptions,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, host.address, host.port ?? 22, (error, channel) => {
      if (error === undefined || error === null) {
        resolve(channel);
        return;
      }
      reject(
        SshErrors.AKM_SSH_JUMP_FAILED({
          host: host.name,
          jumpHost: jump.host.name,
          reason: `forwarding to ${host.address}:${host.port ?? 22} failed: ${scrubSecrets(error.message, credentialSecrets(options.credentials))}`,
        }),
      );
    });
  });
}

/** Runs the handshake and login; resolves on `ready`, rejects with a catalogued error. */
function logIn(
  client: Client,
  host: SshHost,
  options: SshConnectOptions,
  sock: ClientChannel | undefined,
  jump: SshConnection | undefined,
): Promise<void> {
  const endpoint = endpointOf(host, jump);
  const at = { host: host.name, endpoint };
  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  let keyRefusal: AkmatoriError | undefined;
  const { credentials, signal } = options;
  const config: ConnectConfig = {
    host: host.address,
    port: host.port ?? 22,
    username: host.user,
    readyTimeout: readyTimeoutMs,
    keepaliveInterval: 15_000,
    agentForward: false,
    hostVerifier: (rawKey: Buffer): boolean => {
      keyRefusal = checkHostKey(host, endpoint, hostKeyFingerprint(rawKey), options.trustStore);
      return keyRefusal === undefined;
    },
    ...(sock === undefined ? {} : { sock }),
    ...(credentials.private_key === undefined ? {} : { privateKey: credentials.private_key }),
    ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase }),
    ...(credentials.password === undefined ? {} : { password: credentials.password }),
  };
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: AkmatoriError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => {
      client.destroy();
      settle(SshErrors.AKM_SSH_CANCELLED({ host: host.name }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => settle());
    client.on('error', (error: Error & { level?: string }) => {
      settle(keyRefusal ?? connectError(error, host, at, readyTimeoutMs, credentials));
    });
    client.once('close', () =>
      settle(
        keyRefusal ??
          SshErrors.AKM_SSH_CONNECT_FAILED({ ...at, reason: 'connection closed before login' }),
      ),
    );
    try {
      client.connect(config);
    } catch (error) {
      // ssh2 throws synchronously for an unreadable private key.
      settle(connectError(error as Error, host, at, readyTimeoutMs, credentials));
    }
  });
}

/** Compares the presented key with the pin, or with the key trusted on first use. */
function checkHostKey(
  host: SshHost,
  endpoint: string,
  presented: string,
  trustStore: HostKeyTrustStore,
): AkmatoriError | undefined {
  const at = { host: host.name, endpoint };
  const expected = host.host_key_fingerprint;
  if (expected !== undefined && expected !== '') {
    return sameFingerprint(expected, presented)
      ? undefined
      : SshErrors.AKM_SSH_HOST_KEY_MISMATCH({ ...at, expected, presented });
  }
  if (host.trust_on_first_use !== true) {
    return SshErrors.AKM_SSH_HOST_KEY_UNVERIFIABLE({ ...at, presented });
  }
  const check = trustStore.check(endpoint, presented);
  return check.trusted
    ? undefined
    : SshErrors.AKM_SSH_HOST_KEY_CHANGED({ ...at, trusted: check.known, presented });
}

function connectError(
  error: Error & { level?: string },
  host: SshHost,
  at: { host: string; endpoint: string },
  readyTimeoutMs: number,
  credentials: SshCredentials,
): AkmatoriError {
  const reason = scrubSecrets(error.message, credentialSecrets(credentials));
  if (error.level === 'client-timeout') {
    return SshErrors.AKM_SSH_HANDSHAKE_TIMEOUT({ ...at, seconds: readyTimeoutMs / 1000 });
  }
  if (error.level === 'client-authentication' || /private ?key|passphrase/i.test(reason)) {
    return SshErrors.AKM_SSH_AUTH_FAILED({ ...at, user: host.user, reason });
  }
  return SshErrors.AKM_SSH_CONNECT_FAILED({ ...at, reason });
}
