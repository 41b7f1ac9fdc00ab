import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EvalErrors } from '../../errors.js';
import { freePort } from '../prometheus/peer-process.js';

const execFileAsync = promisify(execFile);

/** A PostgreSQL server Zabbix keeps its database on. */
export interface ZabbixPostgres {
  /** Superuser URL of its `postgres` database. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A program of the machine's PostgreSQL (`initdb`, `pg_ctl`, `psql`): from `PG_BIN_DIR`, else
 * the newest of Debian's `/usr/lib/postgresql/<version>/bin`.
 *
 * @example
 * ```ts
 * const psql = postgresBinary('psql');
 * ```
 */
export function postgresBinary(name: string): string {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((version) => path.join(debian, version, 'bin')));
  }
  const found = dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  if (found === undefined) {
    throw EvalErrors.AKM_EVAL_PROGRAM_MISSING({
      program: `PostgreSQL's ${name}`,
      install: 'install postgresql, or set PG_BIN_DIR',
    });
  }
  return found;
}

/** PostgreSQL refuses to run as root; as root it runs as the `postgres` system user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Creates the empty database `name` on the server at `adminUrl` (with `psql`); returns its URL.
 *
 * @example
 * ```ts
 * const url = await createZabbixDatabase(postgres.adminUrl, 'zabbix_eval_1');
 * ```
 */
export async function createZabbixDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw EvalErrors.AKM_EVAL_STORY_INVALID({ problem: 'unsafe database name', value: name });
  try {
    await execFileAsync(postgresBinary('psql'), [
      '-q',
      '-d',
      adminUrl,
      '-c',
      `create database ${name}`,
    ]);
  } catch (error) {
    throw EvalErrors.AKM_EVAL_PEER_FAILED(
      {
        peer: 'psql',
        problem: `could not create database ${name}: ${(error as { stderr?: string }).stderr ?? String(error)}`,
      },
      { cause: error },
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts a private PostgreSQL (`initdb` in a temp dir, a free 127.0.0.1 port, fsync off).
 *
 * @example
 * ```ts
 * const postgres = await startZabbixPostgres();
 * await postgres.stop();
 * ```
 */
export async function startZabbixPostgres(): Promise<ZabbixPostgres> {
  const owner = serverUser();
  const root = mkdtempSync(path.join(tmpdir(), 'akmatori-eval-pg-'));
  if (owner !== undefined) chownSync(root, owner.uid, owner.gid);
  const data = path.join(root, 'data');
  const run = async (name: string, args: readonly string[]): Promise<void> => {
    try {
      await execFileAsync(postgresBinary(name), args, owner ?? {});
    } catch (error) {
      throw EvalErrors.AKM_EVAL_PEER_FAILED(
        {
          peer: name,
          problem: `failed: ${(error as { stderr?: string }).stderr ?? String(error)}`,
        },
        { cause: error },
      );
    }
  };
  const port = await freePort();
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      path.join(root, 'server.log'),
      '-o',
      options,
      'start',
    ]);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
