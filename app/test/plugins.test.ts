import { definePlugin } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

describe('plugins named in the configuration', () => {
  it('are imported by npm package name, registered, and listed', async () => {
    const host = await startApp({ config: { plugins: ['@akmatori-examples/jsonl-notifier'] } });
    try {
      const token = await setUpAdmin(host);
      const response = await host.inject({
        method: 'GET',
        url: '/api/plugins',
        headers: bearer(token),
      });
      expect(response.json<{ data: unknown[] }>().data).toContainEqual({
        name: '@akmatori-examples/jsonl-notifier',
        version: '0.1.0',
        adapters: [],
        tools: [],
        runners: [],
        notifiers: ['jsonl-file'],
      });
    } finally {
      await host.close();
    }
  });

  it('stop the start with a coded error when a package is missing', async () => {
    await expect(
      startApp({ config: { plugins: ['@acme/akmatori-not-installed'] } }),
    ).rejects.toMatchObject({
      code: 'AKM_PLUGIN_NOT_FOUND',
    });
  });

  it('cannot take the name of a built-in plugin', async () => {
    await expect(
      startApp({ plugins: [definePlugin({ name: '@akmatori/adapters' })] }),
    ).rejects.toMatchObject({
      code: 'AKM_PLUGIN_DUPLICATE_NAME',
    });
  });
});
