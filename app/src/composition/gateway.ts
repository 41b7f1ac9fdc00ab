import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { AdvertisedUrls } from '../server/advertised-urls.js';
import { createHttpServer } from '../server/http-server.js';
import { createGateway } from '../gateway/start-gateway.js';
import { BudgetSettings } from '../gateway/budget-settings.js';
import { ToolInstances } from '../tools/tool-instances.js';
import { ContextFiles } from '../context-files/context-files.js';
import { NotifierDispatch } from '../incidents/notifier-dispatch.js';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { Approvals } from '../gateway/approvals.js';
import { GatewayDatabaseStore } from '../gateway/gateway-database-store.js';
import { LlmSettings } from '../gateway/llm-settings.js';
import { loadRunTokenKeys } from '../gateway/run-token-keys.js';
import { RunTokens } from '../gateway/run-tokens.js';
import { ToolCallLog } from '../gateway/tool-call-log.js';
import { ToolInstanceRepository } from '../tools/tool-instance-repository.js';
import { AppTokens, resolve } from '../app-tokens.js';

/** Run tokens, approvals, LLM settings, the audit log, and the gateway's store. */
export async function registerGatewayServices(c: DependencyContainer): Promise<void> {
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
export function registerServers(c: DependencyContainer): void {
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
