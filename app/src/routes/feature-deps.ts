import type { Clock, Logger, PluginHost } from '@akmatori/core';
import type { Database, ResolvedConfig, SecretBox } from '@akmatori/host';

/** What a feature's route plugin receives to build its services from. */
export interface FeatureDeps {
  readonly config: ResolvedConfig;
  readonly database: Database;
  readonly secretBox: SecretBox;
  readonly plugins: PluginHost;
  readonly clock: Clock;
  readonly log: Logger;
}
