import 'reflect-metadata';
import { definePlugin, PluginHost } from '@akmatori/core';
import {
  type AppBootOptions,
  createRepositories,
  loadPlugins,
  type ModuleImporter,
  type Token,
  Tokens,
} from '@akmatori/host';
import { builtinAdapters } from '@akmatori/adapters';
import { AdvertisedUrls } from './server/advertised-urls.js';
import { createHttpServer } from './server/http-server.js';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '@akmatori/gateway';
import { createGateway } from './gateway/start-gateway.js';
import { BudgetSettings } from './gateway/budget-settings.js';
import { ToolInstances } from './tools/tool-instances.js';
import { ContextFiles } from './context-files/context-files.js';
import { NotifierDispatch } from './incidents/notifier-dispatch.js';
import { builtinTools } from '@akmatori/tools';
import {
  container as rootContainer,
  instanceCachingFactory,
  type DependencyContainer,
} from 'tsyringe';
import { Accounts } from './auth/accounts.js';
import { ApiTokens } from './auth/api-tokens.js';
import { Authenticator } from './auth/authenticator.js';
import { LoginAttemptRepository } from './auth/login-attempt-repository.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { SetupCode, setupCodeNeeded } from './auth/setup-code.js';
import { Revocations } from './auth/revocations.js';
import { Sessions } from './auth/sessions.js';
import { OperatorAudit } from './audit/operator-audit.js';
import { EventTickets } from './runs/event-tickets.js';
import { IncidentEngine } from './incidents/incident-engine.js';
import { IncidentEventBus } from './incidents/incident-event-bus.js';
import { InvestigationQueue } from './incidents/investigation-queue.js';
import { ManualIncidents } from './incidents/manual-incidents.js';
import { AlertIngestor } from './ingest/alert-ingestor.js';
import { AlertSourceCache } from './ingest/alert-source-cache.js';
import { AlertSources } from './ingest/alert-sources.js';
import { IngestBatcher } from './ingest/ingest-batcher.js';
import { IngestPressure } from './ingest/ingest-pressure.js';
import { ReplayGuard } from './ingest/replay-guard.js';
import { SourceRateLimiter } from './ingest/source-rate-limiter.js';
import { WebhookSignatureRepository } from './ingest/webhook-signature-repository.js';
import { SkillStore } from './skills/skill-store.js';
import { Approvals } from './gateway/approvals.js';
import { GatewayDatabaseStore } from './gateway/gateway-database-store.js';
import { LlmSettings } from './gateway/llm-settings.js';
import { loadRunTokenKeys } from './gateway/run-token-keys.js';
import { RunTokens } from './gateway/run-tokens.js';
import { ToolCallLog } from './gateway/tool-call-log.js';
import { ToolInstanceRepository } from './tools/tool-instance-repository.js';
import { EventSocket } from './runs/event-socket.js';
import { RunControl } from './runs/run-control.js';
import { RunDispatcher } from './runs/run-dispatcher.js';
import { RunnerChoice } from './runs/runner-choice.js';
import { workersRunner } from './runs/workers-runner.js';
import { RunEventStream } from './runs/run-event-stream.js';
import { ReplicaFeed } from './runs/replica-feed.js';
import { RunRepository } from './runs/run-repository.js';
import { WorkerHub } from './runs/worker-hub.js';
import { WorkerTokenRepository } from './runs/worker-token-repository.js';
import { WorkerTokens } from './runs/worker-tokens.js';
import { DeliveryLog } from './ingest/delivery-log.js';
import { IncidentBulk } from './incidents/incident-bulk.js';
import { IncidentLifecycle } from './incidents/incident-lifecycle.js';
import type { ReinvestigationDeps } from './incidents/reinvestigation.js';
import { RetentionJob } from './retention/retention-job.js';
import { RetentionPruner } from './retention/retention-pruner.js';
import { RetentionSettings } from './retention/retention-settings.js';
import { SlackConnection } from './slack/slack-connection.js';
import { SlackIncidentData } from './slack/slack-incident-source.js';
import { SlackDatabaseStore } from './slack/slack-message-store.js';
import { SlackSettings } from './slack/slack-settings.js';
import path from 'node:path';

function appToken<T>(name: string): Token<T> {
  return Symbol.for(`akmatori:${name}`) as Token<T>;
}

/** Tokens for the app's own services, next to the shared ones in core's `Tokens`. */
export const AppTokens = Object.freeze({
  PasswordHasher: appToken<PasswordHasher>('PasswordHasher'),
  Sessions: appToken<Sessions>('Sessions'),
  Revocations: appToken<Revocations>('Revocations'),
  Accounts: appToken<Accounts>('Accounts'),
  OperatorAudit: appToken<OperatorAudit>('OperatorAudit'),
  EventTickets: appToken<EventTickets>('EventTickets'),
  ApiTokens: appToken<ApiTokens>('ApiTokens'),
  Authenticator: appToken<Authenticator>('Authenticator'),
  LoginThrottle: appToken<LoginThrottle>('LoginThrottle'),
  SetupCode: appToken<SetupCode>('SetupCode'),
  IncidentEventBus: appToken<IncidentEventBus>('IncidentEventBus'),
  InvestigationQueue: appToken<InvestigationQueue>('InvestigationQueue'),
  IncidentEngine: appToken<IncidentEngine>('IncidentEngine'),
  InvestigationDispatcher: appToken<RunDispatcher>('RunDispatcher'),
  RunnerChoice: appToken<RunnerChoice>('RunnerChoice'),
  ManualIncidents: appToken<ManualIncidents>('ManualIncidents'),
  AlertSourceCache: appToken<AlertSourceCache>('AlertSourceCache'),
  AlertSources: appToken<AlertSources>('AlertSources'),
  IngestBatcher: appToken<IngestBatcher>('IngestBatcher'),
  IngestPressure: appToken<IngestPressure>('IngestPressure'),
  SkillStore: appToken<SkillStore>('SkillStore'),
  AlertIngestor: appToken<AlertIngestor>('AlertIngestor'),
  RunTokens: appToken<RunTokens>('RunTokens'),
  Approvals: appToken<Approvals>('Approvals'),
  LlmSettings: appToken<LlmSettings>('LlmSettings'),
  ToolCallLog: appToken<ToolCallLog>('ToolCallLog'),
  GatewayStore: appToken<GatewayDatabaseStore>('GatewayStore'),
  /** The API's Fastify server, built but not listening (`buildServer` adds the routes). */
  HttpServer: appToken<FastifyInstance>('HttpServer'),
  /** The MCP gateway `akmatori serve` runs in-process, not listening; undefined when it runs apart. */
  Gateway: appToken<Gateway | undefined>('Gateway'),
  /** The URLs handed out, read from the servers' bound addresses. */
  AdvertisedUrls: appToken<AdvertisedUrls>('AdvertisedUrls'),
  ToolInstanceRepository: appToken<ToolInstanceRepository>('ToolInstanceRepository'),
  ToolInstances: appToken<ToolInstances>('ToolInstances'),
  BudgetSettings: appToken<BudgetSettings>('BudgetSettings'),
  ContextFiles: appToken<ContextFiles>('ContextFiles'),
  NotifierDispatch: appToken<NotifierDispatch>('NotifierDispatch'),
  RunRepository: appToken<RunRepository>('RunRepository'),
  RunEventStream: appToken<RunEventStream>('RunEventStream'),
  /** On PostgreSQL, what the API replicas share through LISTEN/NOTIFY; undefined on embedded. */
  ReplicaFeed: appToken<ReplicaFeed | undefined>('ReplicaFeed'),
  WorkerHub: appToken<WorkerHub>('WorkerHub'),
  WorkerTokens: appToken<WorkerTokens>('WorkerTokens'),
  RunControl: appToken<RunControl>('RunControl'),
  EventSocket: appToken<EventSocket>('EventSocket'),
  RetentionSettings: appToken<RetentionSettings>('RetentionSettings'),
  RetentionJob: appToken<RetentionJob>('RetentionJob'),
  DeliveryLog: appToken<DeliveryLog>('DeliveryLog'),
  IncidentLifecycle: appToken<IncidentLifecycle>('IncidentLifecycle'),
  IncidentBulk: appToken<IncidentBulk>('IncidentBulk'),
  SlackSettings: appToken<SlackSettings>('SlackSettings'),
  Slack: appToken<SlackConnection>('Slack'),
});

/** Resolves a typed token from the container. */
export function resolve<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

/**
 * The composition root: the only place that knows the container. Every service is a factory
 * registration under a symbol token; nothing relies on constructor types or decorators.
 * Plugins are registered here: the built-in ones, those passed in, and those named in config.
 */
export async function composeContainer(
  boot: AppBootOptions,
  importer: ModuleImporter,
): Promise<DependencyContainer> {
  const c = rootContainer.createChildContainer();
  c.register(Tokens.Config, { useValue: boot.config });
  c.register(Tokens.Logger, { useValue: boot.log });
  c.register(Tokens.Clock, { useValue: boot.clock });
  c.register(Tokens.Database, { useValue: boot.database });
  c.register(Tokens.SecretBox, { useValue: boot.secretBox });
  c.register(Tokens.Repositories, {
    useFactory: instanceCachingFactory((c) => createRepositories(resolve(c, Tokens.Database))),
  });
  c.register(Tokens.PluginHost, {
    useFactory: instanceCachingFactory(
      (c) => new PluginHost({ log: resolve(c, Tokens.Logger).child({ component: 'plugins' }) }),
    ),
  });
  c.register(AppTokens.PasswordHasher, {
    useFactory: instanceCachingFactory(() => new PasswordHasher()),
  });
  registerAccounts(c);
  registerLoginGuards(c);
  await registerGatewayServices(c);
  registerServers(c);
  registerIncidentServices(c);
  await registerRunServices(c);
  registerRetention(c);
  registerSlack(c);
  c.register(AppTokens.SkillStore, {
    useFactory: instanceCachingFactory(
      (c) =>
        new SkillStore({
          dir: resolve(c, Tokens.Config).skillsDir,
          knex: resolve(c, Tokens.Database).knex,
          clock: resolve(c, Tokens.Clock),
          log: resolve(c, Tokens.Logger).child({ component: 'skills' }),
        }),
    ),
  });

  const plugins = resolve(c, Tokens.PluginHost);
  // The built-in runner `codex` is registered like a plugin's: it hands runs to the workers.
  const codex = definePlugin({
    name: '@akmatori/runner-codex',
    runners: [workersRunner(() => resolve(c, AppTokens.WorkerHub))],
  });
  for (const plugin of [builtinAdapters(), builtinTools(), codex, ...boot.plugins])
    plugins.register(plugin);
  await loadPlugins(plugins, boot.config.plugins, importer);
  return c;
}

/** Users, sessions, API tokens, who a request comes from, and the operator audit. */
function registerAccounts(c: DependencyContainer): void {
  const config = resolve(c, Tokens.Config);
  const clock = resolve(c, Tokens.Clock);
  const knex = resolve(c, Tokens.Database).knex;
  c.register(AppTokens.Revocations, { useValue: new Revocations() });
  c.register(AppTokens.Sessions, {
    useValue: new Sessions({
      knex,
      clock,
      idleSeconds: config.sessionTtlSeconds,
      maxAgeSeconds: config.sessionMaxAgeSeconds,
    }),
  });
  c.register(AppTokens.Accounts, {
    useFactory: instanceCachingFactory(
      (c) =>
        new Accounts({
          users: resolve(c, Tokens.Repositories).users,
          hasher: resolve(c, AppTokens.PasswordHasher),
          sessions: resolve(c, AppTokens.Sessions),
          revocations: resolve(c, AppTokens.Revocations),
          clock,
        }),
    ),
  });
  c.register(AppTokens.ApiTokens, {
    useFactory: instanceCachingFactory(
      (c) =>
        new ApiTokens({
          repository: resolve(c, Tokens.Repositories).apiTokens,
          users: resolve(c, Tokens.Repositories).users,
          revocations: resolve(c, AppTokens.Revocations),
          clock,
        }),
    ),
  });
  c.register(AppTokens.Authenticator, {
    useFactory: instanceCachingFactory(
      (c) => new Authenticator(resolve(c, AppTokens.Sessions), resolve(c, AppTokens.ApiTokens)),
    ),
  });
  c.register(AppTokens.OperatorAudit, { useValue: new OperatorAudit(knex, clock) });
  c.register(AppTokens.EventTickets, {
    useFactory: instanceCachingFactory(
      (c) => new EventTickets({ knex, authenticator: resolve(c, AppTokens.Authenticator), clock }),
    ),
  });
}

/** What guards login and first-run setup: the throttle counted in the database, the setup code. */
function registerLoginGuards(c: DependencyContainer): void {
  const config = resolve(c, Tokens.Config);
  c.register(AppTokens.LoginThrottle, {
    useFactory: instanceCachingFactory(
      (c) =>
        new LoginThrottle({
          attempts: new LoginAttemptRepository(resolve(c, Tokens.Database).knex),
          clock: resolve(c, Tokens.Clock),
          limits: {
            perAccount: config.loginRateLimit,
            perAddress: config.loginAddressRateLimit,
            windowSeconds: config.loginRateWindowSeconds,
          },
        }),
    ),
  });
  c.register(AppTokens.SetupCode, {
    useFactory: instanceCachingFactory(
      (c) =>
        new SetupCode({
          needed: setupCodeNeeded(config),
          settings: resolve(c, Tokens.Repositories).settings,
          secretBox: resolve(c, Tokens.SecretBox),
        }),
    ),
  });
}

/** Run tokens, approvals, LLM settings, the audit log, and the gateway's store. */
async function registerGatewayServices(c: DependencyContainer): Promise<void> {
  const database = resolve(c, Tokens.Database);
  const secretBox = resolve(c, Tokens.SecretBox);
  const clock = resolve(c, Tokens.Clock);
  const settings = resolve(c, Tokens.Repositories).settings;
  const instances = new ToolInstanceRepository(database.knex);
  c.register(AppTokens.ToolInstanceRepository, { useValue: instances });
  c.register(AppTokens.RunTokens, {
    useValue: await RunTokens.open({
      keys: await loadRunTokenKeys(settings, secretBox),
      clock,
      instances,
      plugins: resolve(c, Tokens.PluginHost),
    }),
  });
  c.register(AppTokens.ToolInstances, {
    useFactory: instanceCachingFactory(
      (c) =>
        new ToolInstances({
          repository: instances,
          plugins: resolve(c, Tokens.PluginHost),
          secretBox,
          clock,
        }),
    ),
  });
  c.register(AppTokens.BudgetSettings, { useValue: new BudgetSettings(settings, clock) });
  c.register(AppTokens.Approvals, { useValue: new Approvals(database.knex, clock) });
  c.register(AppTokens.LlmSettings, { useValue: new LlmSettings(settings, secretBox, clock) });
  c.register(AppTokens.ToolCallLog, { useValue: new ToolCallLog(database.knex) });
  c.register(AppTokens.GatewayStore, {
    useFactory: instanceCachingFactory(
      (c) =>
        new GatewayDatabaseStore({
          knex: database.knex,
          secretBox,
          plugins: resolve(c, Tokens.PluginHost),
          clock,
          log: resolve(c, Tokens.Logger).child({ component: 'gateway' }),
        }),
    ),
  });
}

/**
 * The servers, built but not listening (`akmatori serve` makes them listen), and the URLs the
 * app hands out, read from their bound addresses: nothing is patched once they listen.
 */
function registerServers(c: DependencyContainer): void {
  c.register(AppTokens.HttpServer, {
    useFactory: instanceCachingFactory((c) =>
      createHttpServer(resolve(c, Tokens.Config), resolve(c, Tokens.Logger)),
    ),
  });
  c.register(AppTokens.Gateway, {
    useFactory: instanceCachingFactory((c) => {
      const config = resolve(c, Tokens.Config);
      if (!config.gatewayInProcess) return undefined;
      return createGateway({
        config,
        store: resolve(c, AppTokens.GatewayStore),
        plugins: resolve(c, Tokens.PluginHost),
        log: resolve(c, Tokens.Logger),
      });
    }),
  });
  c.register(AppTokens.AdvertisedUrls, {
    useFactory: instanceCachingFactory(
      (c) =>
        new AdvertisedUrls(resolve(c, Tokens.Config), {
          api: resolve(c, AppTokens.HttpServer).server,
          gateway: resolve(c, AppTokens.Gateway)?.server,
        }),
    ),
  });
  c.register(AppTokens.ContextFiles, {
    useFactory: instanceCachingFactory(
      (c) =>
        new ContextFiles({
          dataDir: resolve(c, Tokens.Config).dataDir,
          database: resolve(c, Tokens.Database),
          clock: resolve(c, Tokens.Clock),
          log: resolve(c, Tokens.Logger).child({ component: 'context-files' }),
        }),
    ),
  });
  c.register(AppTokens.NotifierDispatch, {
    useFactory: instanceCachingFactory(
      (c) =>
        new NotifierDispatch(
          resolve(c, Tokens.PluginHost),
          resolve(c, Tokens.Config).notifiers,
          resolve(c, Tokens.Logger).child({ component: 'notifiers' }),
        ),
    ),
  });
}

/** Runs: the worker hub, the dispatcher, run control and the event stream. */
async function registerRunServices(c: DependencyContainer): Promise<void> {
  const config = resolve(c, Tokens.Config);
  const database = resolve(c, Tokens.Database);
  const clock = resolve(c, Tokens.Clock);
  const log = (component: string) => resolve(c, Tokens.Logger).child({ component });
  const repositories = resolve(c, Tokens.Repositories);
  const workerTokens = new WorkerTokens(new WorkerTokenRepository(database.knex), clock);
  c.register(AppTokens.WorkerTokens, { useValue: workerTokens });
  c.register(AppTokens.RunRepository, { useValue: new RunRepository(database.knex) });
  c.register(AppTokens.RunEventStream, { useValue: new RunEventStream() });
  c.register(AppTokens.ReplicaFeed, {
    useFactory: instanceCachingFactory((c) => {
      const { listen } = database;
      if (listen === undefined) return undefined; // embedded: one process, nothing to share
      return new ReplicaFeed({
        database: { ...database, listen },
        runs: resolve(c, AppTokens.RunRepository),
        localRuns: resolve(c, AppTokens.RunEventStream),
        localIncidents: resolve(c, AppTokens.IncidentEventBus),
        revocations: resolve(c, AppTokens.Revocations),
        sources: resolve(c, AppTokens.AlertSourceCache),
        cancelHere: (runId, reason) =>
          resolve(c, AppTokens.InvestigationDispatcher).cancel(runId, reason),
        log: log('replicas'),
      });
    }),
  });
  c.register(AppTokens.RunnerChoice, {
    useFactory: instanceCachingFactory(
      (c) =>
        new RunnerChoice({
          plugins: resolve(c, Tokens.PluginHost),
          settings: repositories.settings,
        }),
    ),
  });
  c.register(AppTokens.InvestigationDispatcher, {
    useFactory: instanceCachingFactory(
      (c) =>
        new RunDispatcher({
          repositories,
          settings: repositories.settings,
          plugins: resolve(c, Tokens.PluginHost),
          queue: resolve(c, AppTokens.InvestigationQueue),
          bus: resolve(c, AppTokens.IncidentEventBus),
          runs: resolve(c, AppTokens.RunRepository),
          stream: resolve(c, AppTokens.RunEventStream),
          hub: resolve(c, AppTokens.WorkerHub),
          runners: resolve(c, AppTokens.RunnerChoice),
          runTokens: resolve(c, AppTokens.RunTokens),
          llm: resolve(c, AppTokens.LlmSettings),
          sources: {
            knex: database.knex,
            skills: resolve(c, AppTokens.SkillStore),
            instances: resolve(c, AppTokens.ToolInstanceRepository),
            plugins: resolve(c, Tokens.PluginHost),
            contextFilesDir: path.join(config.dataDir, 'context-files'),
          },
          gatewayUrl: () => resolve(c, AppTokens.AdvertisedUrls).runGatewayUrl,
          deadlineMs: config.runDeadlineSeconds * 1000,
          clock,
          log: log('runs'),
        }),
    ),
  });
  c.register(AppTokens.WorkerHub, {
    useFactory: instanceCachingFactory(
      (c) =>
        new WorkerHub({
          tokens: workerTokens,
          log: log('workers'),
          onWorkersChanged: () => {
            void resolve(c, AppTokens.InvestigationDispatcher).workersChanged();
          },
        }),
    ),
  });
  c.register(AppTokens.RunControl, {
    useFactory: instanceCachingFactory(
      (c) =>
        new RunControl({
          database,
          repositories,
          runs: resolve(c, AppTokens.RunRepository),
          queue: resolve(c, AppTokens.InvestigationQueue),
          dispatcher: resolve(c, AppTokens.InvestigationDispatcher),
          bus: resolve(c, AppTokens.IncidentEventBus),
          skills: resolve(c, AppTokens.SkillStore),
          clock,
          replicas: resolve(c, AppTokens.ReplicaFeed),
        }),
    ),
  });
  c.register(AppTokens.EventSocket, {
    useFactory: instanceCachingFactory((c) => {
      // On PostgreSQL the sockets show every replica's events, on embedded this process's.
      const feed = resolve(c, AppTokens.ReplicaFeed);
      return new EventSocket({
        authenticator: resolve(c, AppTokens.Authenticator),
        tickets: resolve(c, AppTokens.EventTickets),
        revocations: resolve(c, AppTokens.Revocations),
        incidents: feed?.incidentEvents ?? resolve(c, AppTokens.IncidentEventBus),
        runs: resolve(c, AppTokens.RunRepository),
        stream: feed?.runEvents ?? resolve(c, AppTokens.RunEventStream),
        log: log('events'),
      });
    }),
  });
}

/** Retention: its settings and the job that prunes on the queue. */
function registerRetention(c: DependencyContainer): void {
  c.register(AppTokens.RetentionSettings, {
    useFactory: instanceCachingFactory(
      (c) =>
        new RetentionSettings(resolve(c, Tokens.Repositories).settings, resolve(c, Tokens.Clock)),
    ),
  });
  c.register(AppTokens.RetentionJob, {
    useFactory: instanceCachingFactory(
      (c) =>
        new RetentionJob({
          database: resolve(c, Tokens.Database),
          queue: resolve(c, AppTokens.InvestigationQueue),
          settings: resolve(c, AppTokens.RetentionSettings),
          pruner: new RetentionPruner(resolve(c, Tokens.Database)),
          clock: resolve(c, Tokens.Clock),
          intervalSeconds: resolve(c, Tokens.Config).retentionIntervalSeconds,
          log: resolve(c, Tokens.Logger).child({ component: 'retention' }),
        }),
    ),
  });
}

/** Slack: its settings and the connection (Bolt, the outbound notifier, the inbound actions). */
function registerSlack(c: DependencyContainer): void {
  c.register(AppTokens.SlackSettings, {
    useFactory: instanceCachingFactory(
      (c) =>
        new SlackSettings(
          resolve(c, Tokens.Repositories).settings,
          resolve(c, Tokens.SecretBox),
          resolve(c, Tokens.Clock),
          resolve(c, Tokens.Database).knex,
        ),
    ),
  });
  c.register(AppTokens.Slack, {
    useFactory: instanceCachingFactory((c) => {
      const knex = resolve(c, Tokens.Database).knex;
      const repositories = resolve(c, Tokens.Repositories);
      const data = new SlackIncidentData({
        knex,
        repositories,
        runs: resolve(c, AppTokens.RunRepository),
        defaultChannel: () => connection.alertsChannel,
        publicUrl: () => resolve(c, AppTokens.AdvertisedUrls).publicUrl,
      });
      const connection: SlackConnection = new SlackConnection({
        knex,
        repositories,
        settings: resolve(c, AppTokens.SlackSettings),
        data,
        store: new SlackDatabaseStore(knex),
        bus: resolve(c, AppTokens.IncidentEventBus),
        stream: resolve(c, AppTokens.RunEventStream),
        lifecycle: resolve(c, AppTokens.IncidentLifecycle),
        reinvestigation: reinvestigationDeps(c),
        control: resolve(c, AppTokens.RunControl),
        approvals: resolve(c, AppTokens.Approvals),
        manual: resolve(c, AppTokens.ManualIncidents),
        audit: resolve(c, AppTokens.OperatorAudit),
        log: resolve(c, Tokens.Logger).child({ component: 'slack' }),
      });
      return connection;
    }),
  });
}

/** Alert ingestion and the incident engine: the webhook pipeline, the queue, the dispatcher. */
function registerIncidentServices(c: DependencyContainer): void {
  const log = (component: string) => resolve(c, Tokens.Logger).child({ component });
  c.register(AppTokens.IncidentEventBus, {
    useFactory: instanceCachingFactory(() => new IncidentEventBus(log('incidents'))),
  });
  c.register(AppTokens.InvestigationQueue, {
    useFactory: instanceCachingFactory(
      (c) =>
        new InvestigationQueue(
          resolve(c, Tokens.Database),
          log('queue'),
          resolve(c, Tokens.Config).runDeadlineSeconds,
        ),
    ),
  });
  c.register(AppTokens.IngestPressure, {
    useFactory: instanceCachingFactory(() => new IngestPressure()),
  });
  c.register(AppTokens.IncidentEngine, {
    useFactory: instanceCachingFactory(
      (c) =>
        new IncidentEngine({
          pressure: resolve(c, AppTokens.IngestPressure),
          database: resolve(c, Tokens.Database),
          repositories: resolve(c, Tokens.Repositories),
          queue: resolve(c, AppTokens.InvestigationQueue),
          bus: resolve(c, AppTokens.IncidentEventBus),
          clock: resolve(c, Tokens.Clock),
          log: log('incident-engine'),
        }),
    ),
  });
  c.register(AppTokens.ManualIncidents, {
    useFactory: instanceCachingFactory(
      (c) =>
        new ManualIncidents({
          database: resolve(c, Tokens.Database),
          repositories: resolve(c, Tokens.Repositories),
          queue: resolve(c, AppTokens.InvestigationQueue),
          bus: resolve(c, AppTokens.IncidentEventBus),
          skills: resolve(c, AppTokens.SkillStore),
          clock: resolve(c, Tokens.Clock),
        }),
    ),
  });
  c.register(AppTokens.AlertSourceCache, {
    useFactory: instanceCachingFactory(
      (c) =>
        new AlertSourceCache(
          resolve(c, Tokens.Repositories).alertSources,
          resolve(c, Tokens.SecretBox),
          resolve(c, Tokens.Clock),
        ),
    ),
  });
  c.register(AppTokens.AlertSources, {
    useFactory: instanceCachingFactory(
      (c) =>
        new AlertSources({
          repositories: resolve(c, Tokens.Repositories),
          plugins: resolve(c, Tokens.PluginHost),
          secretBox: resolve(c, Tokens.SecretBox),
          cache: resolve(c, AppTokens.AlertSourceCache),
          skills: resolve(c, AppTokens.SkillStore),
          clock: resolve(c, Tokens.Clock),
        }),
    ),
  });
  c.register(AppTokens.IngestBatcher, {
    useFactory: instanceCachingFactory((c) => {
      const engine = resolve(c, AppTokens.IncidentEngine);
      const pressure = resolve(c, AppTokens.IngestPressure);
      return new IngestBatcher(resolve(c, Tokens.Repositories).alertEvents, {
        onCommitted: (rows) => {
          pressure.record(rows);
          engine.nudge();
        },
      });
    }),
  });
  c.register(AppTokens.AlertIngestor, {
    useFactory: instanceCachingFactory(
      (c) =>
        new AlertIngestor({
          cache: resolve(c, AppTokens.AlertSourceCache),
          plugins: resolve(c, Tokens.PluginHost),
          batcher: resolve(c, AppTokens.IngestBatcher),
          limiter: new SourceRateLimiter(resolve(c, Tokens.Clock)),
          replays: new ReplayGuard({
            signatures: new WebhookSignatureRepository(resolve(c, Tokens.Database).knex),
            log: log('ingest'),
          }),
          clock: resolve(c, Tokens.Clock),
          log: log('ingest'),
        }),
    ),
  });
  registerIncidentActions(c);
}

/** What people do to incidents (their state, one by one or in bulk), and webhook deliveries per source. */
function registerIncidentActions(c: DependencyContainer): void {
  const log = (component: string) => resolve(c, Tokens.Logger).child({ component });
  c.register(AppTokens.DeliveryLog, {
    useFactory: instanceCachingFactory(
      (c) => new DeliveryLog({ database: resolve(c, Tokens.Database), log: log('ingest') }),
    ),
  });
  c.register(AppTokens.IncidentLifecycle, {
    useFactory: instanceCachingFactory(
      (c) =>
        new IncidentLifecycle({
          repositories: resolve(c, Tokens.Repositories),
          bus: resolve(c, AppTokens.IncidentEventBus),
          clock: resolve(c, Tokens.Clock),
        }),
    ),
  });
  c.register(AppTokens.IncidentBulk, {
    useFactory: instanceCachingFactory(
      (c) =>
        new IncidentBulk({
          lifecycle: resolve(c, AppTokens.IncidentLifecycle),
          control: resolve(c, AppTokens.RunControl),
          reinvestigation: reinvestigationDeps(c),
          log: log('incidents'),
        }),
    ),
  });
}

/** What re-investigating an incident needs, from the container. */
export function reinvestigationDeps(c: DependencyContainer): ReinvestigationDeps {
  return {
    database: resolve(c, Tokens.Database),
    repositories: resolve(c, Tokens.Repositories),
    runs: resolve(c, AppTokens.RunRepository),
    queue: resolve(c, AppTokens.InvestigationQueue),
    clock: resolve(c, Tokens.Clock),
    skills: resolve(c, AppTokens.SkillStore),
    bus: resolve(c, AppTokens.IncidentEventBus),
  };
}
