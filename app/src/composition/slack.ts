import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { SlackConnection } from '../slack/slack-connection.js';
import { SlackIncidentData } from '../slack/slack-incident-source.js';
import { SlackDatabaseStore } from '../slack/slack-message-store.js';
import { SlackSettings } from '../slack/slack-settings.js';
import { AppTokens, resolve } from '../app-tokens.js';
import { reinvestigationDeps } from './incidents.js';

/** Slack: its settings and the connection (Bolt, the outbound notifier, the inbound actions). */
export function registerSlack(c: DependencyContainer): void {
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
