import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { startBenchServer, metric } from '../akmatori-server.js';
import { drive } from '../load.js';
import { alertmanagerWebhookBody } from '../payloads.js';
const dir = mkdtempSync(path.join(tmpdir(), 'b-'));
const a = await startBenchServer({ dataDir: dir, secretKey: generateSecretKey().toString('base64'), nodeArgs: (process.env.NA ?? '').split(' ').filter(Boolean) });
for (const conns of [10, 10, 50]) {
  const startsAt = new Date().toISOString();
  const r = await drive({ url: a.webhookUrl, connections: conns, seconds: 5, headers: { authorization: `Bearer ${a.secret}` }, body: (n) => alertmanagerWebhookBody(n + conns * 1e7 + Math.floor(Math.random() * 1e5) * 1e3, 'distinct', startsAt) });
  console.log(conns, Math.round(r.requestsPerSecond * 4), r.p50Ms, r.p99Ms, 'unprocessed', await metric(a, 'akmatori_alert_events_unprocessed'));
}
console.log(dir);
await a.stop();
