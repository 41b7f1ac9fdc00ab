import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineNotifier, definePlugin, emptyObjectSchema } from '@akmatori/core';
import { openEmbedded } from '../storage/embedded.js';
import { createTestHost } from './test-host.js';

describe('createTestHost without an app', () => {
  it('boots plugins on a migrated throwaway database', async () => {
    const plugin = definePlugin({
      name: 'demo',
      notifiers: [
        defineNotifier({
          id: 'demo',
          displayName: 'Demo',
          configSchema: emptyObjectSchema,
          onIncidentEvent: async () => {},
        }),
      ],
    });
    const host = await createTestHost({ plugins: [plugin] });
    try {
      expect(host.plugins.notifier('demo')).toBeDefined();
      expect(await host.database.pendingMigrations()).toEqual([]);
      await host.repositories.settings.set('x', 1);
      expect(await host.repositories.settings.get('x')).toBe(1);
      expect(host.config.dataDir).toContain('akmatori-test-');
    } finally {
      await host.close();
    }
  });

  it('gives every host its own empty database', async () => {
    const [a, b] = await Promise.all([createTestHost(), createTestHost()]);
    try {
      await a.repositories.settings.set('only-in-a', true);
      expect(await b.repositories.settings.get('only-in-a')).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('says how to get an app when a test injects a request without one', async () => {
    const host = await createTestHost();
    try {
      await expect(host.inject({ method: 'GET', url: '/health' })).rejects.toMatchObject({
        code: 'AKM_TEST_HOST_NO_APP',
      });
    } finally {
      await host.close();
    }
  });

  it('rejects an invalid plugin with its registration error', async () => {
    await expect(
      createTestHost({ plugins: [definePlugin({ name: 'old', coreVersion: '^9.0.0' })] }),
    ).rejects.toMatchObject({
      code: 'AKM_PLUGIN_CORE_VERSION',
    });
  });
});

describe('the embedded database', () => {
  it('refuses a second opener of the same data directory while the first has it open', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'akm-lock-'));
    const first = await openEmbedded({ dataDir: dir });
    try {
      await expect(openEmbedded({ dataDir: dir })).rejects.toMatchObject({
        code: 'AKM_DATA_DIR_LOCKED',
      });
    } finally {
      await first.close();
    }
    const again = await openEmbedded({ dataDir: dir });
    await again.migrate();
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
