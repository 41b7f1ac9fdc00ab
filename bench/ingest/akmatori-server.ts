import { startServerProcess, type ServerProcess } from '@akmatori/test-support/app/server-process';

/** A benchmark target: a built `akmatori serve` in its own process, with an Alertmanager source. */
export interface BenchServer {
  readonly server: ServerProcess;
  readonly webhookUrl: string;
  readonly secret: string;
  readonly token: string;
  stop(): Promise<void>;
}

/** Starts Akmatori (PostgreSQL when `databaseUrl` is given, else embedded in `dataDir`) and creates a source. */
export async function startBenchServer(options: {
  dataDir: string;
  databaseUrl?: string;
  secretKey: string;
  /** Node options for the server process (a profiler, for example). */
  nodeArgs?: readonly string[] | undefined;
}): Promise<BenchServer> {
  const server = await startServerProcess(
    {
      AKMATORI_DATA_DIR: options.dataDir,
      ADMIN_PASSWORD: 'benchmark-admin',
      AKMATORI_SECRET_KEY: options.secretKey,
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: '0',
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    },
    options.nodeArgs,
  );
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'benchmark-admin' }),
  });
  const { token } = (await login.json()) as { token: string };
  const secret = 'benchmark-webhook-secret';
  const created = await fetch(`${server.url}/api/alert-sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      source_type_name: 'alertmanager',
      name: 'bench',
      webhook_secret: secret,
      grouping_window_seconds: 30,
      // The benchmark sends far more than a real sender: the highest limit keeps the per-source
      // rate limiter on the measured path without letting it refuse anything.
      rate_limit_per_minute: 1_000_000,
    }),
  });
  if (created.status !== 201)
    throw new Error(`cannot create the source: ${created.status} ${await created.text()}`);
  const { webhook_url: webhookUrl } = (await created.json()) as { webhook_url: string };
  return {
    server,
    webhookUrl: webhookUrl.replace(/^http:\/\/[^/]+/, server.url),
    secret,
    token,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited();
    },
  };
}

/** Reads a gauge or counter value from `/metrics`. */
export async function metric(server: BenchServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.server.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}
