import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/core';
import { startPostgresCluster } from '@akmatori/core/testing';
import { startBenchServer } from '/work/main/bench/ingest/akmatori-server.ts';
import { drive } from '/work/main/bench/ingest/load.ts';
import { alertmanagerWebhookBody } from '/work/main/bench/ingest/payloads.ts';
const cluster = await startPostgresCluster({ durable: true });
const s = await startBenchServer({
  dataDir: mkdtempSync(path.join(tmpdir(), 'p-')),
  databaseUrl: await cluster.createDatabase('p1'),
  secretKey: generateSecretKey().toString('base64'),
});
const startsAt = new Date().toISOString();
for (const c of [50, 50]) {
  const r = await drive({
    url: s.webhookUrl,
    connections: c,
    seconds: 5,
    headers: { authorization: `Bearer ${s.secret}` },
    body: (n) => alertmanagerWebhookBody((n + Math.random() * 1e9) | 0, 'distinct', startsAt),
  });
  console.log(c, Math.round(r.requestsPerSecond * 4), 'alerts/s p50', r.p50Ms, 'p99', r.p99Ms);
}
await s.stop();
await cluster.stop();
