import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { EvalErrors } from '../../errors.js';
import { postgresBinary } from './zabbix-database.js';

/** Where Debian's `zabbix-server-pgsql` keeps the database scripts. */
export const ZABBIX_SQL_DIR = '/usr/share/zabbix-server-pgsql';

/** The parts of a PostgreSQL URL Zabbix's configuration files want. */
function databaseParts(databaseUrl: string): {
  host: string;
  port: string;
  name: string;
  user: string;
  password: string;
} {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: url.port || '5432',
    name: url.pathname.replace(/^\//, ''),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/**
 * A `zabbix_server.conf` with every path in `dir` (no system paths), listening on
 * 127.0.0.1:`serverPort`, logging to stdout, the configuration cache reloaded every second
 * and only a few of each process.
 *
 * @example
 * ```ts
 * writeFileSync(file, zabbixServerConfig({ dir, databaseUrl, serverPort: 25051 }));
 * ```
 */
export function zabbixServerConfig(options: {
  dir: string;
  databaseUrl: string;
  serverPort: number;
}): string {
  const db = databaseParts(options.databaseUrl);
  const lines = [
    `ListenIP=127.0.0.1`,
    `ListenPort=${options.serverPort}`,
    'LogType=console',
    `PidFile=${path.join(options.dir, 'zabbix_server.pid')}`,
    `SocketDir=${options.dir}`,
    `TmpDir=${options.dir}`,
    `AlertScriptsPath=${options.dir}`,
    `ExternalScripts=${options.dir}`,
    `DBHost=${db.host}`,
    `DBPort=${db.port}`,
    `DBName=${db.name}`,
    `DBUser=${db.user}`,
    ...(db.password !== '' ? [`DBPassword=${db.password}`] : []),
    'CacheUpdateFrequency=1',
    'StatsAllowedIP=127.0.0.1',
    'Timeout=4',
    'StartPollers=1',
    'StartPollersUnreachable=1',
    'StartTrappers=2',
    'StartPingers=1',
    'StartDiscoverers=1',
    'StartHTTPPollers=1',
    'StartAlerters=1',
    'StartEscalators=1',
    'StartPreprocessors=1',
    'StartLLDProcessors=1',
    'StartDBSyncers=1',
    'StartTimers=1',
    'StartHistoryPollers=1',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the frontend's `zabbix.conf.php` into `dir`, and a PHP prepend file that loads the
 * frontend's `CConfigFile` class pointed at it: the class hard-codes
 * `/etc/zabbix/zabbix.conf.php`, and the autoloader skips a class that is already defined.
 * Run `php -d auto_prepend_file=<prependFile> -S … -t /usr/share/zabbix`.
 *
 * @example
 * ```ts
 * const { prependFile } = zabbixFrontendFiles({ dir, databaseUrl, serverPort });
 * ```
 */
export function zabbixFrontendFiles(options: {
  dir: string;
  databaseUrl: string;
  serverPort: number;
}): { configFile: string; prependFile: string } {
  mkdirSync(options.dir, { recursive: true });
  const db = databaseParts(options.databaseUrl);
  const php = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const configFile = path.join(options.dir, 'zabbix.conf.php');
  writeFileSync(
    configFile,
    [
      '<?php',
      "$DB['TYPE'] = 'POSTGRESQL';",
      `$DB['SERVER'] = ${php(db.host)};`,
      `$DB['PORT'] = ${php(db.port)};`,
      `$DB['DATABASE'] = ${php(db.name)};`,
      `$DB['USER'] = ${php(db.user)};`,
      `$DB['PASSWORD'] = ${php(db.password)};`,
      "$DB['SCHEMA'] = '';",
      "$DB['ENCRYPTION'] = false;",
      "$DB['KEY_FILE'] = '';",
      "$DB['CERT_FILE'] = '';",
      "$DB['CA_FILE'] = '';",
      "$DB['VERIFY_HOST'] = false;",
      "$DB['CIPHER_LIST'] = '';",
      "$DB['VAULT_URL'] = '';",
      "$DB['VAULT_DB_PATH'] = '';",
      "$DB['VAULT_TOKEN'] = '';",
      "$DB['DOUBLE_IEEE754'] = true;",
      "$ZBX_SERVER = '127.0.0.1';",
      `$ZBX_SERVER_PORT = '${options.serverPort}';`,
      "$ZBX_SERVER_NAME = 'akmatori-eval';",
      '$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;',
      '',
    ].join('\n'),
  );
  const prependFile = path.join(options.dir, 'prepend.php');
  writeFileSync(
    prependFile,
    [
      '<?php',
      "$akmatori_class = file_get_contents('/usr/share/zabbix/include/classes/core/CConfigFile.php');",
      `$akmatori_class = str_replace("'/etc/zabbix/zabbix.conf.php'", ${php(`'${configFile}'`)}, $akmatori_class);`,
      "eval('?>' . $akmatori_class);",
      'unset($akmatori_class);',
      '',
    ].join('\n'),
  );
  return { configFile, prependFile };
}

/**
 * Loads `schema.sql.gz`, `images.sql.gz` and `data.sql.gz` from the package into the
 * (empty) database, with `psql` in one transaction. About 10 s.
 *
 * @example
 * ```ts
 * await loadZabbixSchema('postgres://postgres@127.0.0.1:5432/zabbix');
 * ```
 */
export async function loadZabbixSchema(databaseUrl: string): Promise<void> {
  const files = ['schema.sql.gz', 'images.sql.gz', 'data.sql.gz'].map((name) =>
    path.join(ZABBIX_SQL_DIR, name),
  );
  const missing = files.find((file) => !existsSync(file));
  if (missing !== undefined) {
    throw EvalErrors.AKM_EVAL_PROGRAM_MISSING({
      program: missing,
      install: 'install zabbix-server-pgsql',
    });
  }
  const psql = spawn(
    postgresBinary('psql'),
    ['-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  psql.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    psql.on('error', reject);
    psql.on('exit', resolve);
  });
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const gunzip = createReadStream(file).pipe(createGunzip());
      gunzip.on('error', reject);
      gunzip.on('end', resolve);
      gunzip.pipe(psql.stdin, { end: false });
    });
  }
  psql.stdin.end();
  const code = await exited;
  const errors = stderr
    .split('\n')
    .filter((line) => line.includes('ERROR') || line.includes('FATAL'));
  if (code !== 0 || errors.length > 0) {
    throw EvalErrors.AKM_EVAL_PEER_FAILED({
      peer: 'psql',
      problem: `could not load the Zabbix schema (exit ${code}):\n${stderr}`,
    });
  }
}
