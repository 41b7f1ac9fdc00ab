import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import type { GatewayEndpoint } from './gateway-endpoint.js';

/** The worker's end of the path from the agent sandbox to the gateway. */
export interface GatewayRelay {
  /** Private directory (0700) of this run's sandbox support files: `gw/` holds the socket. */
  readonly dir: string;
  /** `dir/gw`: the directory mounted into the sandbox, holding only the socket. */
  readonly socketDir: string;
  /** The socket file the relay inside the sandbox connects to. */
  readonly socketPath: string;
  /** Stops accepting, cuts open connections and removes the directory. */
  close(): void;
}

/**
 * Listens on a Unix socket in a new private directory (0700, a short path under the system's
 * temp dir) and carries every connection made to it, bytes unchanged, to the gateway's TCP
 * address. Set up synchronously: the socket exists when this returns. This is the only way out
 * of the agent sandbox, whose network namespace has nothing but loopback.
 *
 * @example
 * ```ts
 * const relay = openGatewayRelay(gatewayEndpoint('http://127.0.0.1:8081'), log);
 * // mount relay.dir into the sandbox … then
 * relay.close();
 * ```
 */
export function openGatewayRelay(endpoint: GatewayEndpoint, log: Logger): GatewayRelay {
  const dir = mkdtempSync(path.join(tmpdir(), 'akmatori-sbx-'));
  const socketDir = path.join(dir, 'gw');
  mkdirSync(socketDir, { mode: 0o700 });
  const socketPath = path.join(socketDir, 'gateway.sock');
  const open = new Set<Socket>();
  const server: Server = createServer((inner) => {
    const outer = connect({ host: endpoint.host, port: endpoint.port });
    open.add(inner).add(outer);
    const cut = (): void => {
      inner.destroy();
      outer.destroy();
      open.delete(inner);
      open.delete(outer);
    };
    outer.on('error', (error) => {
      log.warn({ err: error, gateway: `${endpoint.host}:${endpoint.port}` }, 'gateway unreachable');
      cut();
    });
    inner.on('error', cut);
    inner.on('close', cut);
    outer.on('close', cut);
    inner.pipe(outer);
    outer.pipe(inner);
  });
  server.on('error', (error) => log.error({ err: error }, 'the gateway relay failed'));
  try {
    server.listen(socketPath);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    dir,
    socketDir,
    socketPath,
    close() {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of open) socket.destroy();
      open.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
