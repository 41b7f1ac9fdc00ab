import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import knexFactory from 'knex';
import { HostErrors } from '../errors/catalog.js';
import { wrapKnex, type Database } from './database.js';
import { PGliteClient } from './pglite-client.js';
import type { DriverQuery } from './sql.js';

/** Options for {@link openEmbedded}. */
export interface EmbeddedOptions {
  /** Directory for the data files; omit for a throwaway in-memory database. */
  readonly dataDir?: string;
  /**
   * A data directory image (from `dumpEmbedded`) to start from instead of an empty cluster.
   * Without it, a data dir that holds no cluster yet starts from the image of an empty
   * cluster made at build time ({@link firstStartImagePath}) when there is one for this PGlite
   * version, and runs `initdb` otherwise.
   */
  readonly image?: Blob;
}

/** The version of PGlite this process loads. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (name === '@electric-sql/pglite' && version !== undefined) return version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the version of @electric-sql/pglite');
    dir = parent;
  }
}

/**
 * Where the build (`scripts/pglite-image.mjs`) puts the image of an initialised, empty cluster
 * for this PGlite version: `dist/pglite-image/<version>.tar.gz` of this package. Loading it on
 * a first start takes ~0.2 s where `initdb` takes ~2.7 s. The file name carries the version,
 * so an image made by another PGlite is never used.
 */
export function firstStartImagePath(): string {
  return fileURLToPath(
    new URL(`../../dist/pglite-image/${pgliteVersion()}.tar.gz`, import.meta.url),
  );
}

/**
 * Runs a full garbage collection. Loading the first-start image leaves ~90 MB of buffers
 * (the 4.5 MB file, the 40 MB tar it unpacks to, copies) that are garbage at once but, being
 * external memory, stayed resident until V8's next full collection: a first start idled at
 * ~390 MB RSS instead of ~305 MB after a restart. Done once, on a first start only.
 */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

/** The build-time image for a data dir that has no cluster yet; undefined otherwise. */
function firstStartImage(dir: string): Blob | undefined {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return undefined;
  let file: string;
  try {
    file = firstStartImagePath();
  } catch {
    return undefined;
  }
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Sub-directory of the data dir that holds PGlite's files. */
export const embeddedDirName = 'pgdata';

/**
 * PostgreSQL settings of the embedded engine, on top of PGlite's own start parameters. Its
 * shared memory lives in the WebAssembly heap and is touched when the cluster starts, so each
 * MB of `shared_buffers` is a MB of resident memory from the first second: PostgreSQL's default
 * of 128 MB made PGlite alone ~300 MB resident. Akmatori's working set is small, and a page
 * that is not in the buffers comes from the operating system's page cache.
 */
const embeddedSettings: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  // One session in one process: no room needed for 100 backends' locks and slots.
  max_connections: '5',
};

const startParams = (): string[] => [
  ...PGlite.defaultStartParams,
  ...Object.entries(embeddedSettings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
];

/**
 * Opens the embedded PostgreSQL engine (PGlite, PostgreSQL compiled to WebAssembly) in this
 * process. The data directory is locked against a second process while open.
 *
 * @example
 * ```ts
 * const db = await openEmbedded({ dataDir: './data' });
 * await db.migrate();
 * ```
 */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Database> {
  const dir =
    options.dataDir === undefined ? undefined : path.join(options.dataDir, embeddedDirName);
  const releaseLock = dir === undefined ? () => {} : lockDataDir(dir);
  let pglite: PGlite;
  try {
    if (dir !== undefined) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const image = options.image ?? (dir === undefined ? undefined : firstStartImage(dir));
    pglite = await PGlite.create(dir === undefined ? 'memory://' : dir, {
      startParams: startParams(),
      ...(image === undefined ? {} : { loadDataDir: image }),
    });
    if (image !== undefined && options.image === undefined) collectGarbage();
  } catch (error) {
    releaseLock();
    throw HostErrors.AKM_DATABASE_UNAVAILABLE(
      {
        reason: `cannot open the embedded database${dir ? ` in ${dir}` : ''}: ${(error as Error).message}`,
      },
      { cause: error },
    );
  }
  const knex = knexFactory({ client: PGliteClient, connection: () => ({ pglite }) as object });
  return Object.assign(
    wrapKnex(knex, 'embedded', dir ?? 'memory', queryPGlite, async () => {
      if (!pglite.closed) await pglite.close();
      releaseLock();
    }),
    { dump: () => pglite.dumpDataDir('none') },
  );
}

type PGliteResult = { rows: unknown[]; affectedRows?: number };
const asSqlResult = (result: PGliteResult): { rows: unknown[]; rowCount: number } =>
  Object.assign(result, { rowCount: result.affectedRows ?? result.rows.length });

/**
 * Runs SQL on PGlite. With parameters, one statement through the extended protocol; without,
 * the simple protocol, which accepts several statements (their results come back as an
 * array when there is more than one, as `pg` does).
 */
const queryPGlite: DriverQuery = async (connection, text, params) => {
  const pglite = connection as PGlite;
  if (params !== undefined && params.length > 0)
    return asSqlResult((await pglite.query(text, [...params])) as PGliteResult);
  const results = (await pglite.exec(text)) as PGliteResult[];
  return results.length === 1 ? asSqlResult(results[0] as PGliteResult) : results.map(asSqlResult);
};

/** Takes an image of an open embedded database, to seed others with `image`. */
export async function dumpEmbedded(db: Database): Promise<Blob> {
  const dump = (db as Database & { dump?: () => Promise<Blob> }).dump;
  if (dump === undefined) throw new TypeError('dumpEmbedded needs a database from openEmbedded');
  return dump();
}

/** Data directories this process holds open. */
const lockedHere = new Set<string>();

function lockDataDir(dir: string): () => void {
  const lockFile = `${path.resolve(dir)}.lock`;
  if (lockedHere.has(lockFile))
    throw HostErrors.AKM_DATA_DIR_LOCKED({ path: dir, pid: process.pid });
  mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw HostErrors.AKM_DATA_DIR_LOCKED({ path: dir, pid: holder });
    }
    writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
  }
  lockedHere.add(lockFile);
  return () => {
    lockedHere.delete(lockFile);
    rmSync(lockFile, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
