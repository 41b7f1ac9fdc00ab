import 'reflect-metadata';
import { Tokens } from '@akmatori/host';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { RetentionJob } from '../retention/retention-job.js';
import { RetentionPruner } from '../retention/retention-pruner.js';
import { RetentionSettings } from '../retention/retention-settings.js';
import { AppTokens, resolve } from '../app-tokens.js';

/** Retention: its settings and the job that prunes on the queue. */
export function registerRetention(c: DependencyContainer): void {
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
