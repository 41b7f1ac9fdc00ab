import { startZabbixServer, type ZabbixServer } from './zabbix-server.js';

/** Options of the shared Zabbix: where its database goes (default: a private cluster). */
export interface SharedZabbixOptions {
  readonly postgresAdminUrl?: string;
}

let options: SharedZabbixOptions = {};
let running: Promise<ZabbixServer> | undefined;
let users = 0;

/**
 * Starts the process's one Zabbix (or joins it): Zabbix takes about 15 s to start, so every
 * `zabbix` environment of a run shares it, each with hosts of its own. Pair with
 * {@link releaseSharedZabbix}.
 *
 * @example
 * ```ts
 * const zabbix = await acquireSharedZabbix();
 * await releaseSharedZabbix();
 * ```
 */
export async function acquireSharedZabbix(): Promise<ZabbixServer> {
  users += 1;
  running ??= startZabbixServer(options);
  try {
    return await running;
  } catch (error) {
    users -= 1;
    running = undefined;
    throw error;
  }
}

/**
 * Leaves the shared Zabbix; the last one out stops it.
 *
 * @example
 * ```ts
 * await releaseSharedZabbix();
 * ```
 */
export async function releaseSharedZabbix(): Promise<void> {
  users -= 1;
  if (users > 0 || running === undefined) return;
  const stopping = running;
  running = undefined;
  await (await stopping).stop();
}

/**
 * Keeps the shared Zabbix running for a whole run (many scenarios built and stopped one after
 * the other) instead of restarting it for each; `options` apply when it starts. Resolves the
 * returned function to let it go.
 *
 * @example
 * ```ts
 * const release = holdSharedZabbix({ postgresAdminUrl });
 * // ... run the scenarios ...
 * await release();
 * ```
 */
export function holdSharedZabbix(given: SharedZabbixOptions = {}): () => Promise<void> {
  options = given;
  users += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await releaseSharedZabbix();
  };
}
