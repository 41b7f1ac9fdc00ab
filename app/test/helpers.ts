import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@akmatori/core';
import { createTestHost, type TestHost, type TestHostOptions } from '@akmatori/host/testing';
import { expect } from 'vitest';
import { createApp } from '../src/index.js';

/**
 * Boots the real app on a throwaway embedded database. `runner` sets the default runner (the
 * `runner` setting, as `PUT /api/settings/runner` would) before anything can be investigated.
 */
export async function startApp(
  options: Omit<TestHostOptions, 'app'> & { runner?: string } = {},
): Promise<TestHost> {
  const { runner, ...rest } = options;
  const host = await createTestHost({ ...rest, app: createApp });
  if (runner !== undefined)
    await host.repositories.settings.set('runner', { default_runner: runner });
  return host;
}

/** Completes first-run setup with `password` and returns the login token. */
export async function setUpAdmin(
  host: TestHost,
  password = 'correct horse battery',
): Promise<string> {
  const response = await host.inject({ method: 'POST', url: '/auth/setup', payload: { password } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string }>().token;
}

/** Headers carrying a bearer token. */
export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/** A logger whose output the test can read back. */
export function capturedLogger(): { log: Logger; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { log: createLogger({ level: 'trace', destination }), text: () => text };
}
