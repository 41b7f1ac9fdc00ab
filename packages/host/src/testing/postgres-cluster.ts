import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A throwaway PostgreSQL server started from the machine's binaries. */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL cluster: `initdb` in a temp dir, a free port on 127.0.0.1,
 * fsync off unless `durable` (benchmarks want the production setting). Fails loudly when the server binaries are missing (install Debian's
 * `postgresql` package, or set `PG_BIN_DIR`). As root it runs the server as `postgres`.
 *
 * @example
 * ```ts
 * const cluster = await startPostgresCluster();
 * const url = await cluster.createDatabase();
 * await cluster.stop();
 * ```
 */
export async function startPostgresCluster(
  options: { durable?: boolean } = {},
): Promise<PostgresCluster> {
  const bin = findBinDir();
  const owner = serverUser();
  const root = mkdtempSync(path.join(tmpdir(), 'akmatori-pg-'));
  const data = path.join(root, 'data');
  if (owner !== undefined) chownSync(root, owner.uid, owner.gid);
  const run = (command: string, args: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn(path.join(bin, command), args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(owner ?? {}),
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
      );
    });

  await run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  await run('pg_ctl', [
    '-D',
    data,
    '-w',
    '-t',
    '60',
    '-l',
    path.join(root, 'server.log'),
    '-o',
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=200` +
      (options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'),
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let counter = 0;
  return {
    url,
    createDatabase: (name = `test_${process.pid}_${Date.now()}_${counter++}`) =>
      createDatabaseOn(url, name),
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Creates a database on the server at `adminUrl` and returns the URL of the new database.
 * Used with a cluster from {@link startPostgresCluster} or a server given by `TEST_DATABASE_URL`.
 */
export async function createDatabaseOn(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`unsafe database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function findBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is in libpq-dev, often absent; fall through to the Debian layout.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debian, version, 'bin')));
  }
  const found = candidates.find(
    (dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')),
  );
  if (found === undefined) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql package, set PG_BIN_DIR, or set TEST_DATABASE_URL',
    );
  }
  return found;
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` system user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root needs a "postgres" system user to own the test cluster (apt-get install postgresql creates one)',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
