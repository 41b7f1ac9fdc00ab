import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { EventSocket } from '../runs/event-socket.js';
import { RunControl } from '../runs/run-control.js';
import { RunRecordingStore } from '../replay/run-recording-store.js';
import { RunDispatcher } from '../runs/run-dispatcher.js';
import { RunnerChoice } from '../runs/runner-choice.js';
import { RunEventStream } from '../runs/run-event-stream.js';
import { ReplicaFeed } from '../runs/replica-feed.js';
import { RunRepository } from '../runs/run-repository.js';
import { WorkerHub } from '../runs/worker-hub.js';
import { WorkerTokenRepository } from '../runs/worker-token-repository.js';
import { WorkerTokens } from '../runs/worker-tokens.js';
import path from 'node:path';
import { AppTokens, resolve } from '../app-tokens.js';

/** Runs: the worker hub, the dispatcher, run control and the event stream. */
export async function registerRunServices(c: DependencyContainer): Promise<void> {
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
          recordings: new RunRecordingStore({
            knex: database.knex,
            secretBox: resolve(c, Tokens.SecretBox),
            clock,
          }),
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
