import { createLogger, type Logger, systemClock } from '@akmatori/core';
import {
  type Database,
  openDatabase,
  openSecretBox,
  type ResolvedConfig,
  Tokens,
} from '@akmatori/host';
import { AppTokens, resolve } from './container.js';
import { createApp } from './create-app.js';
import { listenGateway } from './gateway/start-gateway.js';
import { startEmbeddedWorker } from './runs/embedded-worker.js';
import { unauthenticatedSources } from './ingest/unauthenticated-sources.js';
import { describeStart } from './start-banner.js';
import { listenOrExplain } from './server/port-in-use.js';
import { findBwrap } from '@akmatori/runner-codex';

/** A running server. */
export interface RunningServer {
  /** Base URL it answers on. */
  readonly url: string;
  /** URL of the MCP gateway this process runs, when it runs one. */
  readonly gatewayUrl: string | undefined;
  /** Stops accepting requests, drains those in flight, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts Akmatori: opens the database (PostgreSQL or embedded), applies migrations, builds
 * the app and listens. Prints where the data lives and how to log in.
 */
export async function serve(
  config: ResolvedConfig,
  log: Logger = createLogger({ level: config.logLevel, name: 'akmatori' }),
): Promise<RunningServer> {
  // The key first: a key file open to other users stops the start before anything is opened.
  const secretBox = openSecretBox(config, log);
  const database = await openDatabase(config);
  try {
    if (config.migrateOnStart) {
      const applied = await database.migrate();
      if (applied.length > 0) log.info({ applied }, 'database migrations applied');
    }
    const app = await createApp({
      config,
      database,
      clock: systemClock,
      log,
      plugins: [],
      secretBox,
    });
    if (config.workerToken !== undefined)
      log.warn(
        'AKMATORI_WORKER_TOKEN is set but the API does not read it: each worker has its own token, created with POST /api/workers/tokens (only `akmatori worker` reads AKMATORI_WORKER_TOKEN)',
      );
    // The app's servers listen; the URLs it hands out read their bound ports from them.
    const gateway = resolve(app.container, AppTokens.Gateway);
    let gatewayUrl: string | undefined;
    let address: string;
    try {
      gatewayUrl = gateway === undefined ? undefined : await listenGateway(gateway, config, log);
      address = await listenOrExplain(
        () => app.server.listen({ port: config.port, host: config.host }),
        { what: 'the API', host: config.host, port: config.port, setting: 'PORT' },
      );
    } catch (error) {
      await app.close().catch(() => {});
      throw error;
    }
    const worker = config.embeddedWorker
      ? startEmbeddedWorker({
          config,
          // Where this process really listens (`localhost` may have bound ::1 or 127.0.0.1).
          apiUrl: address,
          // Its own token, held only by this process and the child: new at every start.
          workerToken: resolve(app.container, AppTokens.WorkerTokens).issueEmbeddedToken(),
          log,
        })
      : undefined;
    const setupRequired = await resolve(app.container, AppTokens.Accounts).setupRequired();
    const setupCode = resolve(app.container, AppTokens.SetupCode);
    const url = config.port === 0 ? address : config.publicUrl;
    process.stderr.write(
      describeStart({
        config,
        database,
        url,
        gatewayUrl,
        setupRequired,
        setupCode: setupRequired && setupCode.needed ? await setupCode.issue() : undefined,
        bwrap: findBwrap(),
        unauthenticatedSources: await unauthenticatedSources(
          resolve(app.container, Tokens.Repositories).alertSources,
        ),
      }),
    );
    log.info({ url, database: database.backend, location: database.location }, 'akmatori started');
    return {
      url,
      gatewayUrl,
      async close() {
        // Keep-alive connections become idle as their last response goes out; close them as
        // they do, or a client holding one open would hold up the shutdown.
        const reaper = setInterval(() => app.server.server.closeIdleConnections(), 50);
        try {
          await worker?.stop();
          await app.close();
        } finally {
          clearInterval(reaper);
        }
        await database.close();
        log.info('akmatori stopped');
      },
    };
  } catch (error) {
    await closeQuietly(database);
    throw error;
  }
}

async function closeQuietly(database: Database): Promise<void> {
  await database.close().catch(() => {});
}
