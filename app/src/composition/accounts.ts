import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { Accounts } from '../auth/accounts.js';
import { ApiTokens } from '../auth/api-tokens.js';
import { Authenticator } from '../auth/authenticator.js';
import { LoginAttemptRepository } from '../auth/login-attempt-repository.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { SetupCode, setupCodeNeeded } from '../auth/setup-code.js';
import { Revocations } from '../auth/revocations.js';
import { Sessions } from '../auth/sessions.js';
import { OperatorAudit } from '../audit/operator-audit.js';
import { EventTickets } from '../runs/event-tickets.js';
import { AppTokens, resolve } from '../app-tokens.js';

/** Users, sessions, API tokens, who a request comes from, and the operator audit. */
export function registerAccounts(c: DependencyContainer): void {
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
export function registerLoginGuards(c: DependencyContainer): void {
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
