import {
  createDatabaseOn,
  type PostgresCluster,
  startPostgresCluster,
} from '@akmatori/host/testing';
import { execFileSync } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { configureAkmatoriAlerting, type ZabbixTestProblem } from './zabbix-alerting.js';
import { zabbixApi, type ZabbixApi } from './zabbix-api.js';
import { loadZabbixSchema, zabbixFrontendFiles, zabbixServerConfig } from './zabbix-files.js';
import {
  freePort,
  makeTempDir,
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
  type PeerProcess,
} from './process.js';

/** Debian's binaries the Zabbix harness runs, and the packages that hold them. */
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

/** Options of {@link startZabbix}. */
export interface ZabbixOptions {
  /** The URL the Akmatori media type posts to (its `akmatori_url` parameter). */
  webhookUrl: string;
  /** Its `akmatori_secret` parameter; empty sends no Authorization header. */
  secret?: string;
  /** A PostgreSQL superuser URL to create the Zabbix database on; default: a private cluster. */
  postgresAdminUrl?: string;
}

/** A running Zabbix 6.0 server and frontend API, configured to notify Akmatori. */
export interface RunningZabbix extends ZabbixTestProblem {
  /** `http://127.0.0.1:PORT/api_jsonrpc.php`. */
  readonly apiUrl: string;
  /** An API token of the Admin user (goes in the JSON-RPC body's `auth` field on 6.0). */
  readonly apiToken: string;
  /** The JSON-RPC client, authenticated calls take {@link RunningZabbix.apiToken}. */
  readonly api: ZabbixApi;
  /** `zabbix_server --version`, first line. */
  readonly version: string;
  /** The `zabbix_server.conf` it runs with. */
  readonly serverConfig: string;
  /** The server's log so far. */
  serverLog(): string;
  /** Stops the frontend, the server and the database (if it started one), deletes temp files. */
  stop(): Promise<void>;
}

/**
 * Starts Zabbix 6.0 from Debian's packages on 127.0.0.1, with everything in a temp dir:
 * a PostgreSQL database loaded with the packaged schema, `zabbix_server` in the foreground,
 * and the frontend's JSON-RPC API under `php -S`. It then imports the Akmatori media type
 * (`packages/adapters/src/zabbix/media-type/akmatori_webhook.yaml`) and sets up a host with
 * a trapper item, a trigger and an action so {@link RunningZabbix.fireProblem} and
 * {@link RunningZabbix.resolveProblem} make Zabbix call `webhookUrl`.
 * Throws naming the Debian package when a binary is missing. Takes about 15 s.
 *
 * @example
 * ```ts
 * const zabbix = await startZabbix({ webhookUrl: `${receiver.url}/webhook/alert/x` });
 * await zabbix.fireProblem();
 * await zabbix.stop();
 * ```
 */
export async function startZabbix(options: ZabbixOptions): Promise<RunningZabbix> {
  for (const binary of Object.values(ZABBIX_BINARIES)) {
    requireBinary(binary.path, binary.package, binary.executable);
  }
  requirePhpPgsql();
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    let adminUrl = options.postgresAdminUrl;
    if (adminUrl === undefined) {
      const cluster: PostgresCluster = await startPostgresCluster();
      cleanups.push(() => cluster.stop());
      adminUrl = cluster.url;
    }
    const databaseUrl = await createDatabaseOn(adminUrl, `zabbix_${process.pid}_${Date.now()}`);
    await loadZabbixSchema(databaseUrl);

    const dir = makeTempDir('zabbix');
    cleanups.push(() => dir.remove());
    const serverPort = await freePort(32_767);
    const configFile = path.join(dir.path, 'zabbix_server.conf');
    const serverConfig = zabbixServerConfig({ dir: dir.path, databaseUrl, serverPort });
    writeFileSync(configFile, serverConfig);
    const zabbixUser = systemUser('zabbix');
    if (zabbixUser !== undefined) chownSync(dir.path, zabbixUser.uid, zabbixUser.gid);
    const server = startPeerProcess(ZABBIX_BINARIES.server.path, ['-f', '-c', configFile]);
    cleanups.push(() => server.stop(15_000));
    await waitForTrapper(server, serverPort);

    const web = zabbixFrontendFiles({ dir: path.join(dir.path, 'web'), databaseUrl, serverPort });
    const webPort = await freePort();
    const php = startPeerProcess(ZABBIX_BINARIES.php.path, [
      '-d',
      `auto_prepend_file=${web.prependFile}`,
      '-S',
      `127.0.0.1:${webPort}`,
      '-t',
      path.dirname(ZABBIX_BINARIES.frontend.path),
    ]);
    cleanups.push(() => php.stop());
    const api = zabbixApi(`http://127.0.0.1:${webPort}/api_jsonrpc.php`);
    await pollUntil('the Zabbix API', async () => {
      if (php.exited()) throw new StopPolling(`php -S exited:\n${php.output()}`);
      return await api.call<string>('apiinfo.version', {});
    });

    const session = await api.call<string>('user.login', { username: 'Admin', password: 'zabbix' });
    const { tokenids } = await api.call<{ tokenids: string[] }>(
      'token.create',
      { name: 'akmatori-peer-test', userid: '1' },
      session,
    );
    const [generated] = await api.call<{ token: string }[]>('token.generate', tokenids, session);
    const apiToken = generated?.token;
    if (apiToken === undefined) throw new Error('token.generate returned no API token');
    const problem = await configureAkmatoriAlerting(api, apiToken, {
      webhookUrl: options.webhookUrl,
      secret: options.secret ?? '',
      serverPort,
      senderBinary: ZABBIX_BINARIES.sender.path,
    });
    return {
      ...problem,
      apiUrl: api.url,
      apiToken,
      api,
      version: execFileSync(ZABBIX_BINARIES.server.path, ['--version'], { encoding: 'utf8' })
        .split('\n')[0]!
        .trim(),
      serverConfig,
      serverLog: () => server.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForTrapper(server: PeerProcess, port: number): Promise<void> {
  await pollUntil(
    `zabbix_server's trapper on 127.0.0.1:${port}`,
    () => {
      if (server.exited()) throw new StopPolling(`zabbix_server exited:\n${server.output()}`);
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
    if (error instanceof StopPolling) throw error;
    throw new Error(`${(error as Error).message}\n${server.output().slice(-4000)}`);
  });
}

function requirePhpPgsql(): void {
  try {
    execFileSync(ZABBIX_BINARIES.php.path, ['-r', 'exit(function_exists("pg_connect") ? 0 : 1);']);
  } catch {
    throw new Error(
      'PHP has no PostgreSQL driver: install php-pgsql (apt-get install -y php-pgsql)',
    );
  }
}

/** As root, Zabbix drops to its `zabbix` user, which must own the temp dir. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `running as root needs the "${name}" system user (apt-get install zabbix-server-pgsql creates it)`,
    );
  }
}
