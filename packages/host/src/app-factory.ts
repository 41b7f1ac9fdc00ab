import type { AkmatoriPlugin, Clock, Logger } from '@akmatori/core';
import type { ResolvedConfig } from './config/resolved-config.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { Database } from './storage/database.js';

/** An HTTP request injected into an app without a socket. */
export interface InjectRequest {
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path and query. */
  readonly url: string;
  /** Request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body: an object is sent as JSON. */
  readonly payload?: string | Buffer | Record<string, unknown> | unknown[];
  /** Client address the app sees. */
  readonly remoteAddress?: string;
}

/** The app's answer to an injected request. */
export interface InjectResponse {
  /** HTTP status. */
  readonly statusCode: number;
  /** Response headers. */
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** Body as text. */
  readonly body: string;
  /** Body parsed as JSON. */
  json<T = unknown>(): T;
}

/** Everything the host hands an app factory; tests swap any part. */
export interface AppBootOptions {
  /** Resolved configuration. */
  readonly config: ResolvedConfig;
  /** An open, migrated database. */
  readonly database: Database;
  /** Time source. */
  readonly clock: Clock;
  /** Root logger. */
  readonly log: Logger;
  /** Plugins to register, besides those named in `config.plugins`. */
  readonly plugins: readonly AkmatoriPlugin[];
  /** Encryption for secrets at rest. */
  readonly secretBox: SecretBox;
}

/** A booted app a test can talk to. */
export interface BootedApp {
  /** Sends a request through the app's full HTTP stack. */
  inject(request: InjectRequest): Promise<InjectResponse>;
  /** Stops the app (the database belongs to the caller). */
  close(): Promise<void>;
}

/** Builds an app from boot options; the `akmatori` package exports one as `createApp`. */
export type AppFactory = (options: AppBootOptions) => Promise<BootedApp>;
