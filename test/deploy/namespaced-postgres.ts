import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pollUntil, StopPolling, type PeerProcess } from '@akmatori/test-support/peers/process';
import type { Topology } from './netns.js';

/** A PostgreSQL server listening only inside one namespace, as the `postgres` container does. */
export interface NamespacedPostgres {
  /** Directory of its Unix socket: the test's way in as the superuser `postgres`. */
  readonly socketDir: string;
  /** Runs SQL as the superuser, over the Unix socket. */
  query(sql: string): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's PostgreSQL as the `postgres` user inside `node`'s namespace, listening on its
 * `network` address port 5432 with password (SCRAM) logins from that network's subnet, like the
 * official image. Fails saying what to install when the binaries are missing.
 */
export async function startNamespacedPostgres(
  net: Topology,
  node: string,
  network: string,
): Promise<NamespacedPostgres> {
  const bin = postgresBinDir();
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const root = mkdtempSync(path.join(tmpdir(), 'akmatori-deploy-pg-'));
  chownSync(root, uid, gid);
  const data = path.join(root, 'data');
  const initdb = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'],
    { uid, gid, encoding: 'utf8' },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
  const address = net.address(node, network);
  const subnet = `${address.split('.').slice(0, 3).join('.')}.0/24`;
  appendFileSync(path.join(data, 'pg_hba.conf'), `host all all ${subnet} scram-sha-256\n`);

  const server: PeerProcess = net.start(node, 'setpriv', [
    '--reuid=postgres',
    '--regid=postgres',
    '--init-groups',
    path.join(bin, 'postgres'),
    '-D',
    data,
    '-p',
    '5432',
    '-k',
    root,
    '-c',
    `listen_addresses=${address}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const query = async (sql: string): Promise<void> => {
    const client = new pg.Client({
      host: root,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      'PostgreSQL to accept connections',
      async () => {
        if (server.exited()) throw new StopPolling(`postgres exited:\n${server.output()}`);
        return query('select 1').then(
          () => true,
          () => undefined,
        );
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { socketDir: root, query, output: () => server.output(), stop };
}

function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  const candidates = [
    ...(process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : []),
    ...(existsSync(debian)
      ? readdirSync(debian)
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => path.join(debian, version, 'bin'))
      : []),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'postgres')));
  if (found === undefined)
    throw new Error('PostgreSQL server binaries not found: apt-get install postgresql');
  return found;
}
