import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { IncidentEngine } from '../incidents/incident-engine.js';
import { IncidentEventBus } from '../incidents/incident-event-bus.js';
import { InvestigationQueue } from '../incidents/investigation-queue.js';
import { ManualIncidents } from '../incidents/manual-incidents.js';
import { AlertIngestor } from '../ingest/alert-ingestor.js';
import { AlertSourceCache } from '../ingest/alert-source-cache.js';
import { AlertSources } from '../ingest/alert-sources.js';
import { IngestBatcher } from '../ingest/ingest-batcher.js';
import { IngestPressure } from '../ingest/ingest-pressure.js';
import { journalFeed } from '../ingest/journal/journal-feed.js';
import { ReplayGuard } from '../ingest/replay-guard.js';
import { SourceRateLimiter } from '../ingest/source-rate-limiter.js';
import { WebhookSignatureRepository } from '../ingest/webhook-signature-repository.js';
import { DeliveryLog } from '../ingest/delivery-log.js';
import { IncidentBulk } from '../incidents/incident-bulk.js';
import { IncidentLifecycle } from '../incidents/incident-lifecycle.js';
import type { ReinvestigationDeps } from '../incidents/reinvestigation.js';
import { AppTokens, resolve } from '../app-tokens.js';

/** Alert ingestion and the incident engine: the webhook pipeline, the queue, the dispatcher. */
export function registerIncidentServices(c: DependencyContainer): void {
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
  c.register(AppTokens.AlertInboxFeed, {
    useFactory: instanceCachingFactory((c) => {
      const journal = resolve(c, AppTokens.InboxJournal);
      return journal === undefined
        ? undefined
        : journalFeed(journal, resolve(c, Tokens.Repositories).alertEvents, log('ingest'));
    }),
  });
  c.register(AppTokens.IngestPressure, {
    useFactory: instanceCachingFactory(() => new IngestPressure()),
  });
  c.register(AppTokens.IncidentEngine, {
    useFactory: instanceCachingFactory(
      (c) =>
        new IncidentEngine({
          pressure: resolve(c, AppTokens.IngestPressure),
          inbox: resolve(c, AppTokens.AlertInboxFeed),
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
      // On the embedded engine on disk, alerts go to the journal; elsewhere, to the table.
      const inbox =
        resolve(c, AppTokens.InboxJournal) ?? resolve(c, Tokens.Repositories).alertEvents;
      return new IngestBatcher(inbox, {
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
export function registerIncidentActions(c: DependencyContainer): void {
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
