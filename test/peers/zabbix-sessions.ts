import pg from 'pg';

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
  const setting = (name: string): string | undefined =>
    new RegExp(`^${name}=(.*)$`, 'm').exec(serverConfig)?.[1];
  const client = new pg.Client({
    host: setting('DBHost'),
    port: Number(setting('DBPort') ?? 5432),
    database: setting('DBName'),
    user: setting('DBUser'),
    password: setting('DBPassword'),
  });
  await client.connect();
  try {
    const ended = await client.query(
      `update sessions set status = 1
        where status = 0 and userid = (select userid from users where username = $1)`,
      [username],
    );
    return ended.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
