import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SCRUBBED } from '@akmatori/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreSession, type RunningWorker } from '../src/index.js';
import {
  mcp,
  message,
  startFakeApi,
  startScriptedModel,
  type FakeApi,
  type ScriptedModel,
} from '../src/testing/index.js';
import { makeTempDir, pollUntil, type TempDir } from '@akmatori/test-support/peers/process';
import { startDemoGateway, type DemoGateway } from '@akmatori/test-support/gateway/demo-gateway';
import { SCRIPTED_MODEL } from './support/codex-kit.js';
import { WORKER_TOKEN, captureLog, oneTo, testWorker } from './support/worker-kit.js';

// A worker carries out a run handed out by a fake API, with Codex talking to the real MCP
// gateway (model proxy in front of the scripted model, tools of the demo provider).

const PROVIDER_KEY = 'sk-real-provider-key-never-in-codex';
const INSTANCE_SECRET = 'alpha-instance-secret-value';
const incidentId = '11111111-1111-4111-8111-111111111111';
const alpha = '22222222-2222-4222-8222-222222222222';

let store: DemoGateway['store'];
let signer: DemoGateway['signer'];
let gateway: DemoGateway['gateway'];
let gatewayUrl: string;
let api: FakeApi | undefined;
let model: ScriptedModel | undefined;
let worker: RunningWorker | undefined;
let dir: TempDir | undefined;

beforeAll(async () => {
  ({
    signer,
    store,
    gateway,
    url: gatewayUrl,
  } = await startDemoGateway({
    secret: INSTANCE_SECRET,
    instances: [{ id: alpha, name: 'Alpha box' }],
  }));
});

afterEach(async () => {
  await worker?.stop();
  await api?.close();
  await model?.close();
  dir?.remove();
  worker = api = model = dir = undefined;
});

afterAll(async () => {
  await gateway.close();
});

describe('a worker running an assignment through the real gateway', () => {
  it('accepts it, streams its events numbered 1…n, and finishes with the Codex session', async () => {
    model = await startScriptedModel([
      [mcp('akmatori', 'alpha_box__echo', { text: 'hello' })],
      [message('Echo works.')],
    ]);
    store.provider = {
      provider: 'openai-compatible',
      baseUrl: model.baseUrl,
      apiKey: PROVIDER_KEY,
    };
    const { token } = await signer.sign({
      runId: 'run-gw',
      incidentId,
      grants: [{ instanceId: alpha, tools: ['echo'] }],
      model: true,
      ttlSeconds: 600,
    });
    api = await startFakeApi({ workerToken: WORKER_TOKEN });
    dir = makeTempDir('worker-gateway');
    const captured = captureLog();
    worker = testWorker(api, dir.path, {
      log: captured.log,
      config: { requestMaxRetries: 0, streamMaxRetries: 0 },
    });
    await worker.connected();

    api.startRun({
      runId: 'run-gw',
      incidentId,
      prompt: 'Investigate through the gateway.',
      agentsMd: '# Incident\n\nAlert: EchoDown on alpha.\n',
      gatewayUrl,
      runToken: token,
      model: SCRIPTED_MODEL,
      deadlineMs: 120_000,
      skills: [
        {
          name: 'echo-check',
          files: [{ path: 'SKILL.md', contentBase64: Buffer.from('# Echo').toString('base64') }],
        },
      ],
      contextFiles: [],
    });
    const finished = await api.waitFor('run.finished');

    const types = api.received.map((message) => message.type).filter((t) => t !== 'heartbeat');
    expect(types[0]).toBe('hello');
    expect(types[1]).toBe('run.accepted');
    expect(types.at(-1)).toBe('run.finished');
    expect(api.eventMessages('run-gw').map((m) => m.seq)).toEqual(oneTo(finished.lastSeq));
    for (const { at } of api.eventMessages('run-gw')) {
      expect(new Date(at).toISOString()).toBe(at);
    }
    const events = api.events('run-gw');
    const sessionId = (events[0] as { sessionId?: string }).sessionId;
    expect(events[0]).toEqual({ type: 'run.started', sessionId: expect.any(String) });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'tool.completed',
        tool: 'akmatori.alpha_box__echo',
        output: `Alpha box says hello (token ${SCRUBBED})`,
      }),
    );
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Echo works.' });
    expect(finished).toEqual({
      type: 'run.finished',
      runId: 'run-gw',
      outcome: 'completed',
      lastSeq: events.length,
      sessionId,
      session: { gzipBase64: expect.any(String) },
    });
    expect(store.usage.map((entry) => entry.runId)).toEqual(['run-gw', 'run-gw']);

    const restored = path.join(dir.path, 'restored');
    await restoreSession(restored, finished.session!);
    const rollouts = readdirSync(path.join(restored, 'sessions'), { recursive: true }).map(String);
    expect(rollouts.filter((file) => file.endsWith(`-${sessionId}.jsonl`))).toHaveLength(1);

    await pollUntil('the run directory removed once the API closed the run', () =>
      existsSync(path.join(dir!.path, 'worker', 'run-gw')) ? undefined : true,
    );
    expect(captured.text()).toContain('run finished');
    expect(captured.text(), 'the worker logged the run token').not.toContain(token);
    expect(captured.text(), 'the worker logged its own token').not.toContain(WORKER_TOKEN);
  });
});
