import 'reflect-metadata';
import { definePlugin, PluginHost } from '@akmatori/core';
import {
  type AppBootOptions,
  createRepositories,
  loadPlugins,
  type ModuleImporter,
  Tokens,
} from '@akmatori/host';
import { builtinAdapters } from '@akmatori/adapters';
import { builtinTools } from '@akmatori/tools';
import {
  container as rootContainer,
  instanceCachingFactory,
  type DependencyContainer,
} from 'tsyringe';
import { PasswordHasher } from './auth/password-hasher.js';
import { SkillStore } from './skills/skill-store.js';
import { workersRunner } from './runs/workers-runner.js';
import { AppTokens, resolve } from './app-tokens.js';
import { registerAccounts, registerLoginGuards } from './composition/accounts.js';
import { registerGatewayServices, registerServers } from './composition/gateway.js';
import { registerIncidentServices } from './composition/incidents.js';
import { openInboxJournal } from './ingest/journal/open-inbox-journal.js';
import { registerRetention } from './composition/retention.js';
import { registerRunServices } from './composition/runs.js';
import { registerSlack } from './composition/slack.js';

export { AppTokens, resolve } from './app-tokens.js';
export { reinvestigationDeps } from './composition/incidents.js';

/**
 * The composition root: the only place that builds services. Every service is a factory
 * registration under a symbol token (`AppTokens`, in `app-tokens.ts`), declared by area in
 * `composition/*.ts`; nothing relies on constructor types or decorators. Plugins are
 * registered here: the built-in ones, those passed in, and those named in config.
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
  const journal = await openInboxJournal(
    boot.database,
    resolve(c, Tokens.Repositories),
    boot.log.child({ component: 'ingest' }),
  );
  // A factory: tsyringe treats a `useValue` of undefined as no registration at all.
  c.register(AppTokens.InboxJournal, { useFactory: () => journal });
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
