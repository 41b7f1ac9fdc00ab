import { openPostgres } from '@akmatori/host';

/**
 * Ends every API/frontend session of `username` in a running harness Zabbix, as a logout or
 * an autologout does (Zabbix marks them passive; the next call with one gets "Session
 * terminated, re-login, please."). Reads the database from the `zabbix_server.conf` text
 * (`RunningZabbix.serverConfig`). Resolves with the number of sessions it ended.
 *
 * @example
 * ```ts
 * const ended = await endZabbixSessions(zabbix.serverConfig, 'Admin');
 * ```
 */
export async function endZabbixSessions(serverConfig: string, username: string): Promise<number> {
  const setting = (name: string): string =>
    new RegExp(`^${name}=(.*)$`, 'm').exec(serverConfig)?.[1] ?? '';
  const url = new URL('postgres://localhost');
  url.hostname = setting('DBHost');
  url.port = setting('DBPort');
  url.pathname = `/${setting('DBName')}`;
  url.username = encodeURIComponent(setting('DBUser'));
  url.password = encodeURIComponent(setting('DBPassword'));
  const db = openPostgres({ url: url.toString(), poolMax: 1 });
  try {
    const ended = await db.executeSql(
      `update sessions set status = 1
        where status = 0 and userid = (select userid from users where username = $1)`,
      [username],
    );
    return ended.rowCount;
  } finally {
    await db.close();
  }
}
