import 'reflect-metadata';
import {
  Tokens,
  createRepositories,
  loadPlugins,
  PluginHost,
  type AppBootOptions,
  type ModuleImporter,
  type Token,
} from '@akmatori/core';
import { builtinAdapters } from '@akmatori/adapters';
import { builtinTools } from '@akmatori/tools';
import {
  container as rootContainer,
  instanceCachingFactory,
  type DependencyContainer,
} from 'tsyringe';
import { AdminAccount } from './auth/admin-account.js';
import { ApiTokens } from './auth/api-tokens.js';
import { Authenticator } from './auth/authenticator.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { SessionTokens } from './auth/session-tokens.js';

function appToken<T>(name: string): Token<T> {
  return Symbol.for(`akmatori:${name}`) as Token<T>;
}

/** Tokens for the app's own services, next to the shared ones in core's `Tokens`. */
export const AppTokens = Object.freeze({
  PasswordHasher: appToken<PasswordHasher>('PasswordHasher'),
  SessionTokens: appToken<SessionTokens>('SessionTokens'),
  AdminAccount: appToken<AdminAccount>('AdminAccount'),
  ApiTokens: appToken<ApiTokens>('ApiTokens'),
  Authenticator: appToken<Authenticator>('Authenticator'),
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
  c.register(AppTokens.SessionTokens, {
    useValue: await SessionTokens.open({
      jwtSecret: boot.config.jwtSecret,
      ttlSeconds: boot.config.sessionTtlSeconds,
      clock: boot.clock,
      settings: resolve(c, Tokens.Repositories).settings,
      secretBox: boot.secretBox,
    }),
  });
  c.register(AppTokens.AdminAccount, {
    useFactory: instanceCachingFactory(
      (c) =>
        new AdminAccount({
          users: resolve(c, Tokens.Repositories).users,
          hasher: resolve(c, AppTokens.PasswordHasher),
          sessions: resolve(c, AppTokens.SessionTokens),
          clock: resolve(c, Tokens.Clock),
        }),
    ),
  });
  c.register(AppTokens.ApiTokens, {
    useFactory: instanceCachingFactory(
      (c) => new ApiTokens(resolve(c, Tokens.Repositories).apiTokens, resolve(c, Tokens.Clock)),
    ),
  });
  c.register(AppTokens.Authenticator, {
    useFactory: instanceCachingFactory(
      (c) => new Authenticator(resolve(c, AppTokens.AdminAccount), resolve(c, AppTokens.ApiTokens)),
    ),
  });

  const plugins = resolve(c, Tokens.PluginHost);
  for (const plugin of [builtinAdapters(), builtinTools(), ...boot.plugins])
    plugins.register(plugin);
  await loadPlugins(plugins, boot.config.plugins, importer);
  return c;
}
