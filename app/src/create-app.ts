import type { Logger } from '@akmatori/core';
import { type AppBootOptions, type BootedApp, type ModuleImporter, Tokens } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import { AppTokens, composeContainer, resolve } from './container.js';
import { WORKER_PATH } from '@akmatori/runner-codex';
import { importFromWorkingDirectory } from './plugin-importer.js';
import { buildServer } from './server/build-server.js';
import { announceSetupCode } from './auth/setup-code.js';
import {
  unauthenticatedSources,
  warnAboutUnauthenticatedSources,
} from './ingest/unauthenticated-sources.js';
import { seedStarterSkills } from './skills/starter-skills.js';
import type { SkillStore } from './skills/skill-store.js';

/** A booted app: the Fastify server plus the container it was built from. */
export interface AkmatoriApp extends BootedApp {
  /** The HTTP server (not yet listening). */
  readonly server: FastifyInstance;
  /** The composed services. */
  readonly container: DependencyContainer;
}

/** Options beyond the boot options. */
export interface CreateAppOptions {
  /** How plugin packages named in config are imported. Default: from this package's location. */
  importer?: ModuleImporter;
}

/**
 * Builds the whole app on an open, migrated database: composes the services, registers
 * plugins, applies `ADMIN_PASSWORD`, and builds the HTTP server. Used by `akmatori serve`
 * and, through `@akmatori/core/testing`'s `createTestHost`, by tests.
 *
 * @example
 * ```ts
 * const host = await createTestHost({ app: createApp });
 * await host.inject({ method: 'GET', url: '/health' });
 * ```
 */
export async function createApp(
  boot: AppBootOptions,
  options: CreateAppOptions = {},
): Promise<AkmatoriApp> {
  const importer: ModuleImporter = options.importer ?? importFromWorkingDirectory;
  const container = await composeContainer(boot, importer);
  const accounts = resolve(container, AppTokens.Accounts);
  const authLog = resolve(container, Tokens.Logger).child({ component: 'auth' });
  await accounts.applyEnvironmentPassword(boot.config.adminPassword, authLog);
  await announceSetupCode(
    resolve(container, AppTokens.SetupCode),
    await accounts.setupRequired(),
    authLog,
  );
  const notifiers = resolve(container, AppTokens.NotifierDispatch);
  await startSkills(resolve(container, AppTokens.SkillStore), resolve(container, Tokens.Logger));
  warnAboutUnauthenticatedSources(
    await unauthenticatedSources(resolve(container, Tokens.Repositories).alertSources),
    resolve(container, Tokens.Logger).child({ component: 'ingest' }),
  );
  const server = await buildServer(container);
  // Built with the container; `akmatori serve` makes it listen, closing the app closes it.
  const gateway = resolve(container, AppTokens.Gateway);
  const hub = resolve(container, AppTokens.WorkerHub);
  const eventSocket = resolve(container, AppTokens.EventSocket);
  server.server.on('upgrade', (req, socket, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === WORKER_PATH) void hub.handleUpgrade(req, socket, head);
    else if (pathname === '/ws/events') void eventSocket.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await server.ready();
  const replicas = resolve(container, AppTokens.ReplicaFeed);
  await replicas?.start();
  const queue = resolve(container, AppTokens.InvestigationQueue);
  const engine = resolve(container, AppTokens.IncidentEngine);
  const dispatcher = resolve(container, AppTokens.InvestigationDispatcher);
  const detachNotifiers = notifiers.attach(resolve(container, AppTokens.IncidentEventBus));
  const retention = resolve(container, AppTokens.RetentionJob);
  const deliveries = resolve(container, AppTokens.DeliveryLog);
  await queue.start();
  await retention.start();
  engine.start();
  deliveries.start();
  await dispatcher.start();
  const slack = resolve(container, AppTokens.Slack);
  await slack.start();
  return {
    server,
    container,
    inject: async (request) => {
      const response = await server.inject({
        method: request.method,
        url: request.url,
        ...(request.headers === undefined ? {} : { headers: request.headers }),
        ...(request.payload === undefined ? {} : { payload: request.payload as never }),
        ...(request.remoteAddress === undefined ? {} : { remoteAddress: request.remoteAddress }),
      });
      return {
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
        json: <T>() => response.json<T>(),
      };
    },
    close: async () => {
      await gateway?.close();
      await slack.stop();
      eventSocket.close();
      await hub.close();
      await server.close();
      await resolve(container, AppTokens.IngestBatcher).drained();
      await deliveries.stop();
      dispatcher.stop();
      await engine.stop();
      retention.stop();
      await queue.stop();
      detachNotifiers();
      await replicas?.stop();
      await resolve(container, AppTokens.InboxJournal)?.close();
    },
  };
}

/** Seeds a new skills directory with the starter skills, then indexes whatever is on disk. */
async function startSkills(store: SkillStore, log: Logger): Promise<void> {
  const seeded = await seedStarterSkills(store.directory);
  if (seeded.length > 0)
    log.info({ skills: seeded, directory: store.directory }, 'starter skills copied');
  const report = await store.sync();
  for (const skipped of report.skipped) {
    log.warn({ skill: skipped.directory, problems: skipped.problems }, 'skill skipped: not valid');
  }
}
