import type { TestHost } from '@akmatori/host/testing';
import {
  error,
  message,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

const API_KEY = 'sk-test-key-that-must-never-be-echoed';

let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;
let model: ScriptedModel | undefined;

beforeEach(async () => {
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log });
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await model?.close();
  model = undefined;
  await host.close();
});

const configure = (baseUrl: string) =>
  host.inject({
    method: 'PUT',
    url: '/api/settings/llm',
    headers: admin,
    payload: { provider: 'openai-compatible', base_url: baseUrl, api_key: API_KEY, model: 'm-1' },
  });
const test = () => host.inject({ method: 'POST', url: '/api/settings/llm/test', headers: admin });

describe('the LLM provider test', () => {
  it('sends one request with the stored key and model, and reports that the provider answered', async () => {
    model = await startScriptedModel([[message('OK')]]);
    expect((await configure(model.baseUrl)).statusCode).toBe(200);
    const response = await test();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, status: 200 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(model.requests[0]!.body).toMatchObject({ model: 'm-1' });
    expect(response.body).not.toContain(API_KEY);
  });

  it("reports the provider's refusal with its message, with the key cut out of it", async () => {
    model = await startScriptedModel([
      [error(401, { error: { message: `Incorrect API key provided: ${API_KEY}` } })],
    ]);
    await configure(model.baseUrl);
    const response = await test();
    expect(response.json()).toMatchObject({
      ok: false,
      status: 401,
      message: 'HTTP 401: Incorrect API key provided: [secret scrubbed]',
    });
    expect(response.body + logs()).not.toContain(API_KEY);
  });

  it('reports a provider that cannot be reached', async () => {
    model = await startScriptedModel([]);
    const baseUrl = model.baseUrl;
    await model.close();
    model = undefined;
    await configure(baseUrl);
    const body = (await test()).json<{ ok: boolean; status: number | null; message: string }>();
    expect(body).toMatchObject({ ok: false, status: null });
    expect(body.message).toContain('could not reach');
  });

  it('is 404 before the provider is set', async () => {
    expect((await test()).json()).toMatchObject({ code: 'AKM_NOT_FOUND' });
  });
});
