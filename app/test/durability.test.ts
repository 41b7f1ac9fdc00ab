import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, generateSecretKey, openEmbedded, openPostgres } from '@akmatori/host';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import { eventually } from './support/eventually.js';
import { startServerProcess, type ServerProcess } from '@akmatori/test-support/app/server-process';

// An alert that got a 202 is in the database, even when the server is killed with SIGKILL
// while it is busy answering.

const SENDERS = 16;
/** Acknowledged alerts to wait for before the kill (a count, not a time: machines are shared). */
const LOAD_ALERTS = 150;
const running: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function alertmanagerPayload(sender: number, request: number): Record<string, unknown> {
  return {
    version: '4',
    groupKey: `{}:{alertname="Durable"}`,
    status: 'firing',
    receiver: 'akmatori',
    groupLabels: { alertname: 'Durable' },
    commonLabels: { alertname: 'Durable' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: Array.from({ length: 4 }, (_, k) => ({
      status: 'firing',
      labels: {
        alertname: 'Durable',
        instance: `host-${sender}-${request}-${k}:9100`,
        severity: 'warning',
      },
      annotations: { summary: 'durability probe' },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `fp-${sender}-${request}-${k}`,
    })),
  };
}

async function setUpSource(url: string): Promise<string> {
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'durability-admin' }),
  });
  const { token } = (await login.json()) as { token: string };
  const created = await fetch(`${url}/api/alert-sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      source_type_name: 'alertmanager',
      name: 'durability',
      webhook_secret: 'durability-secret',
    }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { uuid: string }).uuid;
}

/**
 * Posts as fast as it can until the server stops answering, adding the ids it got 202 for to
 * `acknowledged`.
 */
async function sendUntilDown(
  url: string,
  uuid: string,
  sender: number,
  acknowledged: number[],
): Promise<number[]> {
  for (let request = 0; ; request++) {
    try {
      const response = await fetch(`${url}/webhook/alert/${uuid}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer durability-secret' },
        body: JSON.stringify(alertmanagerPayload(sender, request)),
      });
      const body = (await response.json()) as { alerts: number[] };
      if (response.status !== 202) throw new Error(`unexpected ${response.status}`);
      acknowledged.push(...body.alerts);
    } catch {
      return acknowledged;
    }
  }
}

/** The `akmatori_alert_events_unprocessed` gauge: events in the table or the journal not yet applied. */
async function unprocessedAlertEvents(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith('akmatori_alert_events_unprocessed'));
  return Number(line?.split(' ').at(-1));
}

describe.each(['postgres', 'embedded'] as const)('durability on the %s backend', (backend) => {
  it('keeps every alert that got a 202 when the server is killed with SIGKILL under load', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-durable-'));
    dirs.push(dataDir);
    const databaseUrl = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    const env = {
      AKMATORI_DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'durability-admin',
      AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
      LOG_LEVEL: 'warn',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    };
    const server = await startServerProcess(env);
    running.push(server);
    const uuid = await setUpSource(server.url);

    const acknowledged: number[] = [];
    const senders = Array.from({ length: SENDERS }, (_, sender) =>
      sendUntilDown(server.url, uuid, sender, acknowledged),
    );
    await eventually(() => expect(acknowledged.length).toBeGreaterThanOrEqual(LOAD_ALERTS), 40_000);
    server.child.kill('SIGKILL');
    await server.exited();
    await Promise.all(senders);

    // After a restart, every acknowledged alert reaches the inbox table: on the embedded
    // default some wait in the inbox journal until the engine moves them in.
    const restarted = await startServerProcess(env);
    running.push(restarted);
    expect((await fetch(`${restarted.url}/ready`)).status).toBe(200);
    await eventually(
      async () => expect(await unprocessedAlertEvents(restarted.url)).toBe(0),
      60_000,
    );
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited()).toBe(0);

    const database: Database =
      databaseUrl === undefined
        ? await openEmbedded({ dataDir })
        : openPostgres({ url: databaseUrl });
    let stored: Set<number>;
    try {
      const rows = await database.executeSql<{ id: number }>('select id from alert_events');
      stored = new Set(rows.rows.map((row) => Number(row.id)));
    } finally {
      await database.close();
    }
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost, `${lost.length} of ${acknowledged.length} acknowledged alerts were lost`).toEqual(
      [],
    );
  }, 120_000);
});
