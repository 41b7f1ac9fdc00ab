import { Writable } from 'node:stream';
import { createLogger } from '@akmatori/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRUBBED } from '@akmatori/gateway';
import { startDemoGateway, type DemoGateway } from '@akmatori/test-support/gateway/demo-gateway';

const SECRET = 'instance-secret-value-7';
const alpha = '22222222-2222-4222-8222-222222222222';
let demo: DemoGateway;
let logged = '';

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  demo = await startDemoGateway({
    secret: SECRET,
    instances: [{ id: alpha, name: 'Alpha box' }],
    log: createLogger({ level: 'trace', destination }),
  });
});

afterAll(async () => {
  await demo.close();
});

describe("a tool's own log lines", () => {
  it("lose the instance's secret values and the secrets written into the command", async () => {
    const { token } = await demo.signer.sign({
      runId: 'run-1',
      incidentId: '11111111-1111-4111-8111-111111111111',
      grants: [{ instanceId: alpha, tools: ['echo'] }],
      model: false,
      ttlSeconds: 300,
    });
    const client = new Client({ name: 'log-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${demo.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    try {
      await client.callTool({
        name: 'alpha_box__echo',
        arguments: { text: 'PGPASSWORD=inline-pw-8' },
      });
    } finally {
      await client.close();
    }
    const line = logged.split('\n').find((l) => l.includes('"msg":"demo echo"'));
    expect(line, `no "demo echo" line in:\n${logged}`).toBeDefined();
    expect((JSON.parse(line!) as { command: string }).command).toBe(
      `echo PGPASSWORD=${SCRUBBED} --auth ${SCRUBBED}`,
    );
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('inline-pw-8');
  });
});
