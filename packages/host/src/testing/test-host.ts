import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AkmatoriPlugin, type Logger, PluginHost, silentLogger } from '@akmatori/core';
import { createManualClock, type ManualClock } from '@akmatori/core/testing';
import { loadConfig } from '../config/load-config.js';
import type { ConfigKey } from '../config/config-schema.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { HostErrors } from '../errors/catalog.js';
import type { AppFactory, BootedApp, InjectRequest, InjectResponse } from '../app-factory.js';
import { generateSecretKey, SecretBox } from '../secrets/secret-box.js';
import { openSecretBox } from '../secrets/secret-keys.js';
import type { Database } from '../storage/database.js';
import { dumpEmbedded, openEmbedded } from '../storage/embedded.js';
import { createRepositories, type Repositories } from '../storage/repositories/index.js';

/** Options for {@link createTestHost}. */
export interface TestHostOptions {
  /** Plugins to register. */
  plugins?: readonly AkmatoriPlugin[];
  /** The app to boot (`createApp` from the `akmatori` package); needed for `inject`. */
  app?: AppFactory;
  /** Settings that differ from the test defaults. */
  config?: Partial<Record<ConfigKey, unknown>>;
  /** A database to use instead of a throwaway embedded one (it is not closed by the host). */
  database?: Database;
  /** Logger; default silent. */
  log?: Logger;
  /** Clock; default a manual clock at the real current time. */
  clock?: ManualClock;
}

/** A booted host with a throwaway database, ready for a test to poke. */
export interface TestHost {
  /** The resolved configuration. */
  readonly config: ResolvedConfig;
  /** The migrated database. */
  readonly database: Database;
  /** Repositories on that database. */
  readonly repositories: Repositories;
  /** The plugins, validated and registered as the app would. */
  readonly plugins: PluginHost;
  /** A clock the test moves by hand. */
  readonly clock: ManualClock;
  /** Encryption with a throwaway key. */
  readonly secretBox: SecretBox;
  /** Sends a request through the app's HTTP stack (requires `app`). */
  inject(request: InjectRequest): Promise<InjectResponse>;
  /** Stops the app, closes the database and deletes the temp data dir. */
  close(): Promise<void>;
}

let migratedImage: Promise<Blob> | undefined;

/** An image of a freshly migrated embedded database, made once per process. */
function migratedEmbeddedImage(): Promise<Blob> {
  migratedImage ??= (async () => {
    const db = await openEmbedded();
    try {
      await db.migrate();
      return await dumpEmbedded(db);
    } finally {
      await db.close();
    }
  })();
  return migratedImage;
}

/**
 * Boots plugins (and optionally the app) on a throwaway, migrated embedded database.
 *
 * @example
 * ```ts
 * import { createApp } from 'akmatori';
 * const host = await createTestHost({ plugins: [myPlugin()], app: createApp });
 * const res = await host.inject({ method: 'GET', url: '/health' });
 * await host.close();
 * ```
 */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akmatori-test-'));
  const log = options.log ?? silentLogger();
  let database: Database | undefined;
  try {
    const config = loadConfig({
      env: {},
      overrides: { dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', ...options.config },
    });
    database = options.database ?? (await openEmbedded({ image: await migratedEmbeddedImage() }));
    if (options.database !== undefined) await database.migrate();
    const clock = options.clock ?? createManualClock();
    // A throwaway key unless the test configures one (for rotation tests, say).
    const secretBox =
      config.secretKey === undefined ? new SecretBox(generateSecretKey()) : openSecretBox(config);
    const plugins = new PluginHost({ log });
    for (const plugin of options.plugins ?? []) plugins.register(plugin);
    const app = await options.app?.({
      config,
      database,
      clock,
      log,
      plugins: options.plugins ?? [],
      secretBox,
    });
    return hostFor({
      config,
      database,
      plugins,
      clock,
      secretBox,
      app,
      dataDir,
      ownsDatabase: options.database === undefined,
    });
  } catch (error) {
    // Leave nothing behind when the host cannot be built (an invalid plugin, say).
    if (options.database === undefined) await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function hostFor(parts: {
  config: ResolvedConfig;
  database: Database;
  plugins: PluginHost;
  clock: ManualClock;
  secretBox: SecretBox;
  app: BootedApp | undefined;
  dataDir: string;
  ownsDatabase: boolean;
}): TestHost {
  const { config, database, plugins, clock, secretBox, app, dataDir, ownsDatabase } = parts;
  return {
    config,
    database,
    repositories: createRepositories(database),
    plugins,
    clock,
    secretBox,
    async inject(request) {
      if (app === undefined) throw HostErrors.AKM_TEST_HOST_NO_APP();
      return app.inject(request);
    },
    async close() {
      await app?.close();
      if (ownsDatabase) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
