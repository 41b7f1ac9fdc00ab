import type { Token } from '@akmatori/host';
import type { AdvertisedUrls } from './server/advertised-urls.js';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '@akmatori/gateway';
import type { BudgetSettings } from './gateway/budget-settings.js';
import type { ToolInstances } from './tools/tool-instances.js';
import type { ContextFiles } from './context-files/context-files.js';
import type { NotifierDispatch } from './incidents/notifier-dispatch.js';
import type { DependencyContainer } from 'tsyringe';
import type { Accounts } from './auth/accounts.js';
import type { ApiTokens } from './auth/api-tokens.js';
import type { Authenticator } from './auth/authenticator.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { SetupCode } from './auth/setup-code.js';
import type { Revocations } from './auth/revocations.js';
import type { Sessions } from './auth/sessions.js';
import type { OperatorAudit } from './audit/operator-audit.js';
import type { EventTickets } from './runs/event-tickets.js';
import type { IncidentEngine } from './incidents/incident-engine.js';
import type { IncidentEventBus } from './incidents/incident-event-bus.js';
import type { InvestigationQueue } from './incidents/investigation-queue.js';
import type { ManualIncidents } from './incidents/manual-incidents.js';
import type { AlertIngestor } from './ingest/alert-ingestor.js';
import type { AlertSourceCache } from './ingest/alert-source-cache.js';
import type { AlertSources } from './ingest/alert-sources.js';
import type { IngestBatcher } from './ingest/ingest-batcher.js';
import type { IngestPressure } from './ingest/ingest-pressure.js';
import type { InboxJournal } from './ingest/journal/inbox-journal.js';
import type { AlertInboxFeed } from './ingest/journal/journal-feed.js';
import type { SkillStore } from './skills/skill-store.js';
import type { Approvals } from './gateway/approvals.js';
import type { GatewayDatabaseStore } from './gateway/gateway-database-store.js';
import type { LlmSettings } from './gateway/llm-settings.js';
import type { RunTokens } from './gateway/run-tokens.js';
import type { ToolCallLog } from './gateway/tool-call-log.js';
import type { ToolInstanceRepository } from './tools/tool-instance-repository.js';
import type { EventSocket } from './runs/event-socket.js';
import type { RunControl } from './runs/run-control.js';
import type { RunDispatcher } from './runs/run-dispatcher.js';
import type { RunnerChoice } from './runs/runner-choice.js';
import type { RunEventStream } from './runs/run-event-stream.js';
import type { ReplicaFeed } from './runs/replica-feed.js';
import type { RunRepository } from './runs/run-repository.js';
import type { WorkerHub } from './runs/worker-hub.js';
import type { WorkerTokens } from './runs/worker-tokens.js';
import type { DeliveryLog } from './ingest/delivery-log.js';
import type { IncidentBulk } from './incidents/incident-bulk.js';
import type { IncidentLifecycle } from './incidents/incident-lifecycle.js';
import type { RetentionJob } from './retention/retention-job.js';
import type { RetentionSettings } from './retention/retention-settings.js';
import type { SlackConnection } from './slack/slack-connection.js';
import type { SlackSettings } from './slack/slack-settings.js';

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
  /** The embedded default's inbox journal (undefined on PostgreSQL and in memory). */
  InboxJournal: appToken<InboxJournal | undefined>('InboxJournal'),
  /** Alerts accepted outside the inbox table, for the engine to move in (the journal's). */
  AlertInboxFeed: appToken<AlertInboxFeed | undefined>('AlertInboxFeed'),
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
