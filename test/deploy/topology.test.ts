import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecretKey } from '@akmatori/host';
import {
  mcp,
  message,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pollUntil, requireBinary, StopPolling } from '@akmatori/test-support/peers/process';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { parseEnvFile, readComposeFile, readRepoFile, repoRoot } from './compose-file.js';
import {
  composeStack,
  connectFrom,
  startRelay,
  type ComposeStack,
  type Relay,
} from './compose-stack.js';
import { buildTopology, removeStaleTopologies, type Topology } from './netns.js';
import { startNamespacedPostgres, type NamespacedPostgres } from './namespaced-postgres.js';

// The dynamic half of the compose proof (issue 15): docker-compose.yml's networks rebuilt with
// network namespaces and veth bridges, each service run as its container runs it (the image's
// ENV, then the compose environment, then its command) with the real PostgreSQL, nginx with the
// shipped configuration, and, outside on the edge side only, a scripted model and an sshd.
// Root only (ip netns): a run without root fails here, it is never skipped.

const compose = readComposeFile();
const repo = fileURLToPath(repoRoot);
const ADMIN_PASSWORD = 'deploy-topology-admin';

const REPORT = [
  '## Summary',
  'The host runs Linux and answered over SSH.',
  '## Root cause',
  'Disk filled by logs.',
  '## Evidence',
  '- `uname -s` printed Linux',
  '## Actions taken',
  'None.',
  '## Recommendations',
  'Rotate logs.',
  '## Confidence',
  'high',
].join('\n');

/** The compose networks: nodes as compose places the services (the test reads them back). */
const nodes = Object.fromEntries(
  Object.entries(compose.services).map(([name, service]) => [name, service.networks ?? []]),
);

let net: Topology;
let stack: ComposeStack;
let work: string;
let postgres: NamespacedPostgres;
let model: ScriptedModel;
let sshd: RunningSshd;
const relays: Relay[] = [];
let nginxUrl: string;
let token: string;

/** A relay on the outside address, closed after the tests. */
async function outsideRelay(targetPort: number): Promise<Relay> {
  const relay = await startRelay(net.outside, targetPort);
  relays.push(relay);
  return relay;
}

/** A request through nginx, as a browser or a monitoring system sends it. */
async function viaNginx<T = unknown>(
  method: string,
  route: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const response = await fetch(`${nginxUrl}${route}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${method} ${route} answered ${response.status}, not ${expected}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error(
      'test/deploy/topology.test.ts needs root: it builds network namespaces (ip netns) and veth bridges. Run it as root (CI does).',
    );
  requireBinary('/usr/sbin/ip', 'iproute2');
  requireBinary('/usr/sbin/nginx', 'nginx');
  requireBinary('/usr/bin/setpriv', 'util-linux');
  requireBinary('/usr/bin/psql', 'postgresql-client');
  removeStaleTopologies();
  work = mkdtempSync(path.join(tmpdir(), 'akmatori-deploy-'));
  net = buildTopology({
    networks: ['edge', 'data', 'agent'],
    nodes,
    hosts: {
      nginx: { api: ['api', 'edge'] },
      migrate: { postgres: ['postgres', 'data'] },
      api: { postgres: ['postgres', 'data'], gateway: ['gateway', 'agent'] },
      gateway: { postgres: ['postgres', 'data'] },
      worker: { api: ['api', 'agent'], gateway: ['gateway', 'agent'] },
    },
  });
  nginxUrl = `http://${net.address('nginx', 'edge')}:8080`;

  // .env as an operator fills it in from .env.example.
  const dotenv = {
    ...parseEnvFile(readRepoFile('.env.example')),
    POSTGRES_PASSWORD: 'pg0' + generateSecretKey().toString('hex').slice(0, 24),
    GATEWAY_DB_PASSWORD: 'gw0' + generateSecretKey().toString('hex').slice(0, 24),
    AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
    ADMIN_PASSWORD,
  };

  // postgres: the official image's start: the owner role and database, then our initdb script.
  postgres = await startNamespacedPostgres(net, 'postgres', 'data');
  await postgres.query(
    `create role akmatori superuser login password '${dotenv.POSTGRES_PASSWORD}'`,
  );
  await postgres.query('create database akmatori owner akmatori');
  const initScript = await net.run(
    'postgres',
    'sh',
    [path.join(repo, 'deploy/postgres/initdb/10-gateway-role.sh')],
    {
      env: {
        PATH: process.env.PATH,
        PGHOST: postgres.socketDir,
        PGPORT: '5432',
        POSTGRES_USER: 'akmatori',
        POSTGRES_DB: 'akmatori',
        GATEWAY_DB_PASSWORD: dotenv.GATEWAY_DB_PASSWORD,
      },
    },
  );
  expect(initScript.code, initScript.stderr).toBe(0);

  stack = composeStack(net, dotenv, work);
  // migrate runs to completion before the API and the gateway start (depends_on).
  const migrated = await stack.run('migrate');
  expect(migrated.code, `${migrated.stdout}\n${migrated.stderr}`).toBe(0);

  stack.start('api', { AKMATORI_DATA_DIR: path.join(work, 'api-data') });
  stack.start('gateway');
  const conf = path.join(work, 'nginx');
  cpSync(path.join(repo, 'deploy/nginx'), conf, { recursive: true });
  // nginx logs to /dev/stdout as in its image; a file stands in for the container's log pipe
  // (Node's own stdio pipes are sockets, which /dev/stdout cannot open).
  const nginxLog = path.join(work, 'nginx.log');
  const nginx = net.start(
    'nginx',
    'sh',
    [
      '-c',
      'exec "$@" >>"$NGINX_LOG" 2>&1',
      'sh',
      '/usr/sbin/nginx',
      '-p',
      `${work}/`,
      '-c',
      path.join(conf, 'nginx.conf'),
      '-g',
      'daemon off;',
    ],
    { env: { PATH: process.env.PATH, NGINX_LOG: nginxLog } },
  );
  stack.adopt('nginx', {
    ...nginx,
    output: () => (existsSync(nginxLog) ? readFileSync(nginxLog, 'utf8') : nginx.output()),
  });
  await pollUntil(
    'the API to be ready through nginx',
    async () => {
      const exited = stack.exited();
      if (exited !== undefined) throw new StopPolling(`${exited} exited:\n${stack.logs()}`);
      const ready = await fetch(`${nginxUrl}/ready`).catch(() => undefined);
      return ready?.status === 200 ? true : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );

  // An admin logs in through nginx and creates the worker's token, as docs/operations.md says.
  ({ token } = await viaNginx<{ token: string }>('POST', '/auth/login', {
    username: 'admin',
    password: ADMIN_PASSWORD,
  }));
  const workerToken = await viaNginx<{ token: string }>(
    'POST',
    '/api/workers/tokens',
    { name: 'compose-worker' },
    201,
  );
  stack.start('worker', {
    AKMATORI_WORKER_TOKEN: workerToken.token,
    AKMATORI_RUNS_DIR: path.join(work, 'worker-runs'),
  });
  await pollUntil(
    'the worker to connect to the API',
    async () =>
      (await viaNginx<{ data: unknown[] }>('GET', '/api/workers')).data.length > 0
        ? true
        : undefined,
    { timeoutMs: 60_000, intervalMs: 250 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${stack.logs()}`);
  });

  // Outside, reachable on the edge network only: the model provider and a host to SSH into.
  sshd = await startSshd();
  model = await startScriptedModel([
    [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
    [message(REPORT)],
  ]);
}, 240_000);

afterAll(async () => {
  await stack?.stop(['worker', 'nginx', 'gateway', 'api']);
  await postgres?.stop().catch(() => {});
  for (const relay of relays) await relay.close().catch(() => {});
  await model?.close();
  await sshd?.stop();
  net?.destroy();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('the compose topology, rebuilt with network namespaces', () => {
  it('lets the worker reach the API and the gateway on the agent network', async () => {
    expect(await connectFrom(net, 'worker', 'api', 8080)).toBe('connected');
    expect(await connectFrom(net, 'worker', 'gateway', 8081)).toBe('connected');
    // The images' own healthchecks pass where the containers run.
    for (const service of ['api', 'gateway', 'worker']) {
      const health = await net.run(
        service,
        process.execPath,
        [path.join(repo, 'deploy/docker/healthcheck.mjs'), service],
        { env: stack.environment(service) },
      );
      expect(health.code, `${service} healthcheck: ${health.stderr}`).toBe(0);
    }
  });

  it('keeps the worker away from PostgreSQL, the outside and the edge network', async () => {
    const outside = await outsideRelay(sshd.port);
    const refused = ['ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT'];
    expect(refused).toContain(
      await connectFrom(net, 'worker', net.address('postgres', 'data'), 5432),
    );
    expect(refused).toContain(await connectFrom(net, 'worker', net.outside, outside.port));
    expect(refused).toContain(await connectFrom(net, 'worker', net.address('api', 'edge'), 8080));
    expect(outside.peers, 'the outside saw no connection from the worker').toEqual([]);
    const routes = await net.run('worker', 'ip', ['route']);
    expect(routes.stdout, 'the worker has no default route').not.toContain('default');
    // The gateway, on the edge network, does reach the outside.
    expect(await connectFrom(net, 'gateway', net.outside, outside.port)).toBe('connected');
  });

  it('keeps nginx away from PostgreSQL and the agent network', async () => {
    const refused = ['ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT'];
    expect(refused).toContain(
      await connectFrom(net, 'nginx', net.address('postgres', 'data'), 5432),
    );
    expect(refused).toContain(
      await connectFrom(net, 'nginx', net.address('gateway', 'agent'), 8081),
    );
  });

  it("does not expose the MCP gateway, its model proxy or the workers' socket through nginx", async () => {
    for (const [method, route] of [
      ['GET', '/mcp'],
      ['POST', '/mcp'],
      ['POST', '/mcp/'],
      ['POST', '/v1/responses'],
      ['GET', '/ws/worker'],
    ] as const) {
      const response = await fetch(`${nginxUrl}${route}`, {
        method,
        headers: { 'content-type': 'application/json', host: 'gateway:8081' },
        ...(method === 'POST' ? { body: '{"jsonrpc":"2.0","id":1,"method":"initialize"}' } : {}),
      });
      const text = await response.text();
      expect(response.status, `${method} ${route}`).toBe(404);
      expect(text, `${method} ${route} never reaches the gateway`).not.toContain('AKM_GATEWAY');
      expect(text, `${method} ${route} is refused by nginx itself`).toContain(
        '<center>nginx</center>',
      );
    }
    // The gateway itself answers /mcp, to the worker on the agent network.
    const direct = await net.run('worker', process.execPath, [
      '-e',
      "fetch('http://gateway:8081/mcp',{method:'POST'}).then((r)=>console.log(r.status))",
    ]);
    expect(direct.stdout.trim()).toBe('401');
  });

  it('runs an investigation end to end: alert in through nginx, report out', async () => {
    const modelRelay = await outsideRelay(Number(new URL(model.baseUrl).port));
    const sshRelay = await outsideRelay(sshd.port);
    await viaNginx('PUT', '/api/settings/llm', {
      provider: 'openai-compatible',
      base_url: `http://${net.outside}:${modelRelay.port}/v1`,
      api_key: 'sk-scripted-provider-key',
      model: 'scripted-model',
    });
    const tool = await viaNginx<{ id: string }>(
      'POST',
      '/api/tools',
      {
        tool_type_name: 'ssh',
        name: 'web',
        settings: {
          hosts: [
            {
              name: 'web-1',
              address: net.outside,
              port: sshRelay.port,
              user: sshd.user,
              ...(sshd.userIsRoot ? { allow_root: true } : {}),
              host_key_fingerprint: sshd.hostKeyFingerprint,
            },
          ],
          private_key: sshd.clientPrivateKey,
        },
      },
      201,
    );
    await viaNginx('PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [tool.id] });
    const source = await viaNginx<{ uuid: string }>(
      'POST',
      '/api/alert-sources',
      {
        source_type_name: 'alertmanager',
        name: 'am',
        allow_unauthenticated: true,
        grouping_window_seconds: 0,
      },
      201,
    );

    // A dashboard listening on /ws/events through nginx (the WebSocket upgrade is proxied).
    const { ticket } = await viaNginx<{ ticket: string }>(
      'POST',
      '/api/events/ticket',
      undefined,
      201,
    );
    const pushed: { run_id: string; type: string }[] = [];
    const socket = new WebSocket(
      `${nginxUrl.replace('http', 'ws')}/ws/events?after=0&ticket=${ticket}`,
    );
    socket.on('message', (data) => pushed.push(JSON.parse(String(data)) as never));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });

    try {
      // The alert, as Alertmanager 0.25 sends it (a captured body), posted to nginx.
      const body = JSON.parse(
        readFileSync(
          path.join(
            repo,
            'packages/adapters/src/alertmanager/fixtures/captured_am025_one_firing.json',
          ),
          'utf8',
        ),
      ) as { alerts: { labels: Record<string, string>; startsAt: string }[] };
      const labels = { alertname: 'DiskFull', instance: 'web-1:9100', severity: 'critical' };
      body.alerts[0]!.labels = labels;
      body.alerts[0]!.startsAt = new Date().toISOString();
      const accepted = await fetch(`${nginxUrl}/webhook/alert/${source.uuid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.25.0' },
        body: JSON.stringify(body),
      });
      expect(accepted.status).toBe(202);

      const incident = await pollUntil(
        'the DiskFull incident',
        async () =>
          (
            await viaNginx<{ data: { uuid: string }[] }>(
              'GET',
              `/api/incidents?source_uuid=${source.uuid}`,
            )
          ).data[0],
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      interface RunView {
        id: string;
        status: string;
        report: Record<string, string> | null;
      }
      const run = await pollUntil(
        'the investigation to finish',
        async () => {
          const runs = (
            await viaNginx<{ data: RunView[] }>('GET', `/api/incidents/${incident.uuid}/runs`)
          ).data;
          return runs[0]?.status === 'completed' || runs[0]?.status === 'failed'
            ? runs[0]
            : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${stack.logs()}`);
      });
      expect(run.status, `${JSON.stringify(run)}\n${stack.logs()}`).toBe('completed');
      expect(run.report?.summary).toBe('The host runs Linux and answered over SSH.');

      // The tool ran on the host outside, through the gateway.
      const calls = (
        await viaNginx<{ data: { tool: string; decision: string }[] }>(
          'GET',
          `/api/incidents/${incident.uuid}/tool-calls`,
        )
      ).data;
      expect(calls.map((call) => [call.tool, call.decision])).toEqual([
        ['execute_command', 'allowed'],
      ]);
      const events = (
        await viaNginx<{ data: { type: string; event: Record<string, unknown> }[] }>(
          'GET',
          `/api/incidents/${incident.uuid}/events`,
        )
      ).data;
      const toolDone = events.find((event) => event.type === 'tool.completed');
      expect(String(toolDone?.event.output)).toContain('Linux');

      // Model and SSH traffic left from the gateway's edge address, and only from there.
      const gatewayEdge = net.address('gateway', 'edge');
      expect(modelRelay.peers.length).toBeGreaterThan(0);
      expect(new Set([...modelRelay.peers, ...sshRelay.peers])).toEqual(new Set([gatewayEdge]));
      expect(model.requests[0]?.headers.authorization).toBe('Bearer sk-scripted-provider-key');

      // The dashboard's socket, through nginx, saw the run to its end.
      await pollUntil('the run events on /ws/events', async () =>
        pushed.some((event) => event.run_id === run.id && event.type === 'run.completed')
          ? true
          : undefined,
      );
    } finally {
      socket.close();
    }
  }, 180_000);
});
