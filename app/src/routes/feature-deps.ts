import type {
  Clock,
  Database,
  Logger,
  PluginHost,
  ResolvedConfig,
  SecretBox,
} from '@akmatori/core';

/** What a feature's route plugin receives to build its services from. */
export interface FeatureDeps {
  readonly config: ResolvedConfig;
  readonly database: Database;
  readonly secretBox: SecretBox;
  readonly plugins: PluginHost;
  readonly clock: Clock;
  readonly log: Logger;
}
