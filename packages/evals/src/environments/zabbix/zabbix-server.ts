import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
  stoppedPolling,
  type PeerProcess,
} from '../prometheus/peer-process.js';
import { EvalErrors } from '../../errors.js';
import { zabbixApi, type ZabbixApi } from './zabbix-api.js';
import { createZabbixDatabase, startZabbixPostgres } from './zabbix-database.js';
import { loadZabbixSchema, zabbixFrontendFiles, zabbixServerConfig } from './zabbix-files.js';

/** Debian's programs a Zabbix environment runs, and the packages that hold them. */
export const ZABBIX_BINARIES = {
  server: { path: '/usr/sbin/zabbix_server', package: 'zabbix-server-pgsql', executable: true },
  sender: { path: '/usr/bin/zabbix_sender', package: 'zabbix-agent', executable: true },
  php: { path: '/usr/bin/php', package: 'php-cli', executable: true },
  frontend: {
    path: '/usr/share/zabbix/api_jsonrpc.php',
    package: 'zabbix-frontend-php',
    executable: false,
  },
} as const;

/** A running Zabbix 6.0 server with its frontend API. */
export interface ZabbixServer {
  /** `http://127.0.0.1:PORT/api_jsonrpc.php`. */
  readonly apiUrl: string;
  /** An API token of the Admin user. */
  readonly apiToken: string;
  readonly api: ZabbixApi;
  /** The trapper port `zabbix_sender` sends to. */
  readonly serverPort: number;
  stop(): Promise<void>;
}

/**
 * Starts Zabbix 6.0 from Debian's packages on 127.0.0.1 with everything in a temp dir: a
 * database on `postgresAdminUrl` (default: a private PostgreSQL cluster) loaded with the
 * packaged schema, `zabbix_server` in the foreground and the JSON-RPC API under `php -S`, and
 * makes an Admin API token. About 15 s.
 *
 * @example
 * ```ts
 * const zabbix = await startZabbixServer({});
 * await zabbix.stop();
 * ```
 */
export async function startZabbixServer(options: {
  postgresAdminUrl?: string;
}): Promise<ZabbixServer> {
  for (const binary of Object.values(ZABBIX_BINARIES)) {
    requireBinary(binary.path, binary.package, binary.executable);
  }
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    let adminUrl = options.postgresAdminUrl;
    if (adminUrl === undefined) {
      const postgres = await startZabbixPostgres();
      cleanups.push(() => postgres.stop());
      adminUrl = postgres.adminUrl;
    }
    const databaseUrl = await createZabbixDatabase(
      adminUrl,
      `zabbix_eval_${process.pid}_${Date.now()}`,
    );
    await loadZabbixSchema(databaseUrl);

    const dir = mkdtempSync(path.join(tmpdir(), 'akmatori-eval-zabbix-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const serverPort = await freePort(32_767);
    const configFile = path.join(dir, 'zabbix_server.conf');
    writeFileSync(configFile, zabbixServerConfig({ dir, databaseUrl, serverPort }));
    const zabbixUser = systemUser('zabbix');
    if (zabbixUser !== undefined) chownSync(dir, zabbixUser.uid, zabbixUser.gid);
    const server = startPeerProcess(ZABBIX_BINARIES.server.path, ['-f', '-c', configFile]);
    cleanups.push(() => server.stop(15_000));
    await waitForTrapper(server, serverPort);

    const web = zabbixFrontendFiles({ dir: path.join(dir, 'web'), databaseUrl, serverPort });
    const webPort = await freePort();
    const php = startPeerProcess(ZABBIX_BINARIES.php.path, [
      ...['-d', `auto_prepend_file=${web.prependFile}`],
      ...['-S', `127.0.0.1:${webPort}`],
      ...['-t', path.dirname(ZABBIX_BINARIES.frontend.path)],
    ]);
    cleanups.push(() => php.stop());
    const api = zabbixApi(`http://127.0.0.1:${webPort}/api_jsonrpc.php`);
    await pollUntil('the Zabbix API', async () => {
      if (php.exited())
        throw new StopPolling(
          EvalErrors.AKM_EVAL_PEER_FAILED({ peer: 'php -S', problem: `exited:\n${php.output()}` }),
        );
      return await api.call<string>('apiinfo.version', {});
    });
    const session = await api.call<string>('user.login', { username: 'Admin', password: 'zabbix' });
    const { tokenids } = await api.call<{ tokenids: string[] }>(
      'token.create',
      { name: 'akmatori-eval', userid: '1' },
      session,
    );
    const [generated] = await api.call<{ token: string }[]>('token.generate', tokenids, session);
    if (generated === undefined)
      throw EvalErrors.AKM_EVAL_PEER_REFUSED({
        peer: 'the Zabbix API',
        request: 'token.generate',
        answer: 'no API token',
      });
    return { apiUrl: api.url, apiToken: generated.token, api, serverPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForTrapper(server: PeerProcess, port: number): Promise<void> {
  await pollUntil(
    `zabbix_server's trapper on 127.0.0.1:${port}`,
    () => {
      if (server.exited())
        throw new StopPolling(
          EvalErrors.AKM_EVAL_PEER_FAILED({
            peer: 'zabbix_server',
            problem: `exited:\n${server.output()}`,
          }),
        );
      return new Promise<true | undefined>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(undefined));
      });
    },
    { timeoutMs: 60_000 },
  ).catch((error: unknown) => {
    if (stoppedPolling(error)) throw error;
    throw EvalErrors.AKM_EVAL_PEER_FAILED(
      {
        peer: 'zabbix_server',
        problem: `did not open its trapper: ${(error as Error).message}\n${server.output().slice(-4000)}`,
      },
      { cause: error },
    );
  });
}

/** As root, Zabbix drops to its `zabbix` user, which must own the temp dir. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
