import { Tokens } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import { AppTokens, reinvestigationDeps, resolve } from '../container.js';
import { alertSourceRoutes } from '../routes/alert-sources.js';
import { apiTokenRoutes } from '../routes/api-tokens.js';
import { contextFileRoutes } from '../routes/context-files.js';
import { incidentRoutes } from '../routes/incidents.js';
import { skillRoutes } from '../routes/skills.js';
import { toolRoutes } from '../routes/tools.js';
import { approvalRoutes } from '../routes/approvals.js';
import { gatewayRoutes } from '../routes/gateway.js';
import { llmSettingsRoutes } from '../routes/llm-settings.js';
import { budgetSettingsRoutes } from '../routes/budget-settings.js';
import { retentionSettingsRoutes } from '../routes/retention-settings.js';
import { runnerSettingsRoutes } from '../routes/runner-settings.js';
import { reinvestigateRoutes } from '../routes/reinvestigate.js';
import { runReplayRoutes } from '../routes/run-replay.js';
import { runReplaysOf } from '../replay/run-replays-of.js';
import { incidentActionRoutes } from '../routes/incident-actions.js';
import { incidentBulkRoutes } from '../routes/incident-bulk.js';
import { incidentActorSchema, incidentSchema } from '../routes/incident-json.js';
import { sourceDeliveryRoutes } from '../routes/source-deliveries.js';
import { toolCallRoutes } from '../routes/tool-calls.js';
import { runRoutes } from '../routes/runs.js';
import { workerRoutes } from '../routes/workers.js';
import { webhookRoutes } from '../routes/webhooks.js';
import { authRoutes } from '../routes/auth.js';
import { auditRoutes } from '../routes/audit.js';
import { eventTicketRoutes } from '../routes/event-tickets.js';
import { evalRoutes } from '../routes/evals.js';
import { sessionRoutes } from '../routes/sessions.js';
import { userRoutes } from '../routes/users.js';
import { healthRoutes } from '../routes/health.js';
import { systemRoutes } from '../routes/system.js';
import { appVersion } from '../version.js';
import { requireAuthentication } from './authentication.js';
import { installErrorHandling } from './error-handler.js';
import { installMetrics } from './metrics.js';
import { installOpenApi } from './openapi.js';
import { installRequestLog } from './request-log.js';
import { installSecurity } from './security.js';
import { dashboard, dashboardRoot } from './dashboard.js';
import { slackEventRoutes, slackSettingsRoutes } from '../slack/slack-routes.js';

/**
 * Builds the Fastify server from a composed container: security headers, metrics, OpenAPI,
 * error handling, then the routes. `/api/*` routes require authentication; the dashboard is
 * served at `/` and on every other GET path.
 */
export async function buildServer(c: DependencyContainer): Promise<FastifyInstance> {
  const config = resolve(c, Tokens.Config);
  const app = resolve(c, AppTokens.HttpServer);

  installErrorHandling(app);
  await installSecurity(app, config.corsOrigins);
  await installOpenApi(app, appVersion);
  const repositories = resolve(c, Tokens.Repositories);
  const queue = resolve(c, AppTokens.InvestigationQueue);
  installMetrics(
    app,
    {
      unprocessedAlertEvents: async () =>
        (await repositories.alertEvents.countUnprocessed()) +
        (resolve(c, AppTokens.AlertInboxFeed)?.pending ?? 0),
      investigationsWaiting: () => queue.waiting(),
      openIncidents: () => repositories.incidents.countOpen(),
    },
    { token: config.metricsToken },
  );
  installRequestLog(app);

  await app.register(healthRoutes, { database: resolve(c, Tokens.Database), version: appVersion });
  await app.register(authRoutes, {
    accounts: resolve(c, AppTokens.Accounts),
    throttle: resolve(c, AppTokens.LoginThrottle),
    setupCode: resolve(c, AppTokens.SetupCode),
    audit: resolve(c, AppTokens.OperatorAudit),
  });
  const authentication = {
    authenticator: resolve(c, AppTokens.Authenticator),
    audit: resolve(c, AppTokens.OperatorAudit),
  };
  await app.register(slackEventRoutes, { connection: resolve(c, AppTokens.Slack) });
  await app.register(async (signedIn) => {
    requireAuthentication(signedIn, authentication);
    await signedIn.register(sessionRoutes, {
      accounts: resolve(c, AppTokens.Accounts),
      throttle: resolve(c, AppTokens.LoginThrottle),
    });
  });
  await app.register(webhookRoutes, {
    ingestor: resolve(c, AppTokens.AlertIngestor),
    bodyLimitBytes: config.webhookBodyLimitBytes,
    deliveries: resolve(c, AppTokens.DeliveryLog),
  });
  await app.register(
    async (api) => {
      requireAuthentication(api, authentication);
      api.addSchema(incidentActorSchema);
      api.addSchema(incidentSchema);
      await api.register(apiTokenRoutes, { apiTokens: resolve(c, AppTokens.ApiTokens) });
      await api.register(userRoutes, { accounts: resolve(c, AppTokens.Accounts) });
      await api.register(auditRoutes, { audit: resolve(c, AppTokens.OperatorAudit) });
      await api.register(eventTicketRoutes, { tickets: resolve(c, AppTokens.EventTickets) });
      await api.register(systemRoutes, { plugins: resolve(c, Tokens.PluginHost) });
      await api.register(alertSourceRoutes, {
        sources: resolve(c, AppTokens.AlertSources),
        plugins: resolve(c, Tokens.PluginHost),
        repositories: resolve(c, Tokens.Repositories),
        ingestor: resolve(c, AppTokens.AlertIngestor),
        engine: resolve(c, AppTokens.IncidentEngine),
        urls: resolve(c, AppTokens.AdvertisedUrls),
      });
      await api.register(toolRoutes, {
        instances: resolve(c, AppTokens.ToolInstances),
        plugins: resolve(c, Tokens.PluginHost),
        secretBox: resolve(c, Tokens.SecretBox),
        log: resolve(c, Tokens.Logger),
        skills: resolve(c, AppTokens.SkillStore),
      });
      await api.register(skillRoutes, { store: resolve(c, AppTokens.SkillStore) });
      await api.register(contextFileRoutes, { files: resolve(c, AppTokens.ContextFiles) });
      await api.register(gatewayRoutes, {
        runTokens: resolve(c, AppTokens.RunTokens),
        urls: resolve(c, AppTokens.AdvertisedUrls),
      });
      await api.register(approvalRoutes, { approvals: resolve(c, AppTokens.Approvals) });
      await api.register(llmSettingsRoutes, { llm: resolve(c, AppTokens.LlmSettings) });
      await api.register(slackSettingsRoutes, {
        settings: resolve(c, AppTokens.SlackSettings),
        connection: resolve(c, AppTokens.Slack),
      });
      await api.register(budgetSettingsRoutes, {
        budgets: resolve(c, AppTokens.BudgetSettings),
      });
      await api.register(runnerSettingsRoutes, { runners: resolve(c, AppTokens.RunnerChoice) });
      await api.register(retentionSettingsRoutes, {
        retention: resolve(c, AppTokens.RetentionSettings),
      });
      await api.register(reinvestigateRoutes, reinvestigationDeps(c));
      await api.register(incidentActionRoutes, {
        lifecycle: resolve(c, AppTokens.IncidentLifecycle),
      });
      await api.register(incidentBulkRoutes, { bulk: resolve(c, AppTokens.IncidentBulk) });
      await api.register(sourceDeliveryRoutes, {
        deliveries: resolve(c, AppTokens.DeliveryLog),
        repositories: resolve(c, Tokens.Repositories),
      });
      await api.register(toolCallRoutes, { log: resolve(c, AppTokens.ToolCallLog) });
      await api.register(evalRoutes, { scorecards: repositories.evalScorecards });
      await api.register(runRoutes, {
        runs: resolve(c, AppTokens.RunRepository),
        control: resolve(c, AppTokens.RunControl),
        settings: resolve(c, Tokens.Repositories).settings,
      });
      await api.register(runReplayRoutes, runReplaysOf(c));
      await api.register(workerRoutes, {
        hub: resolve(c, AppTokens.WorkerHub),
        tokens: resolve(c, AppTokens.WorkerTokens),
      });
      await api.register(incidentRoutes, {
        repositories: resolve(c, Tokens.Repositories),
        manual: resolve(c, AppTokens.ManualIncidents),
      });
    },
    { prefix: '/api' },
  );
  await app.register(dashboard, { root: dashboardRoot });
  return app;
}
