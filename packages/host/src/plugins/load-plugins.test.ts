import { definePlugin, PluginHost } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from './load-plugins.js';

describe('loadPlugins', () => {
  it('imports a plugin package by name and registers its default export (plugin factory)', async () => {
    const host = new PluginHost();
    const loaded = await loadPlugins(
      host,
      [{ package: '@akmatori-examples/jsonl-notifier', options: {} }],
      (name) => import(name),
    );
    expect(loaded.map((p) => p.name)).toEqual(['@akmatori-examples/jsonl-notifier']);
    expect(host.notifier('jsonl-file')?.displayName).toBe('JSON Lines file');
  });

  it('passes the configured options to a plugin factory', async () => {
    const host = new PluginHost();
    let received: unknown;
    await loadPlugins(host, [{ package: 'factory', options: { level: 3 } }], async () => ({
      default: (options: unknown) => {
        received = options;
        return definePlugin({ name: 'factory' });
      },
    }));
    expect(received).toEqual({ level: 3 });
  });

  it('reports a package that cannot be found', async () => {
    await expect(
      loadPlugins(
        new PluginHost(),
        [{ package: '@acme/not-installed', options: {} }],
        (name) => import(name),
      ),
    ).rejects.toMatchObject({
      code: 'AKM_PLUGIN_NOT_FOUND',
      message: expect.stringContaining('@acme/not-installed'),
    });
  });

  it('reports a package that exports no plugin', async () => {
    await expect(
      loadPlugins(
        new PluginHost(),
        [{ package: 'node:path', options: {} }],
        (name) => import(name),
      ),
    ).rejects.toMatchObject({ code: 'AKM_PLUGIN_BAD_EXPORT' });
  });
});
