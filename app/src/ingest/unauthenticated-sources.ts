import type { Logger } from '@akmatori/core';
import type { AlertSourceRecord } from '@akmatori/host';

/** What every view of a source without a secret says about it. */
export const unauthenticatedSourceWarning =
  'No webhook secret (allow_unauthenticated): anyone who can reach the webhook URL can send alerts, and each new alert group can start an investigation.';

/** A source that accepts requests from anyone, as the start-up warning names it. */
export interface UnauthenticatedSource {
  /** Its id (the last part of its webhook URL). */
  readonly id: string;
  /** The operator's name for it. */
  readonly name: string;
}

/** The enabled sources without a webhook secret, oldest first. */
export async function unauthenticatedSources(repository: {
  list(): Promise<AlertSourceRecord[]>;
}): Promise<UnauthenticatedSource[]> {
  return (await repository.list())
    .filter((source) => source.enabled && source.webhookSecretSealed === null)
    .map((source) => ({ id: source.id, name: source.name }));
}

/**
 * Logs one warning naming the sources that accept unauthenticated requests (nothing when there
 * are none), so an operator sees them every time the server starts.
 *
 * @example
 * ```ts
 * warnAboutUnauthenticatedSources(await unauthenticatedSources(repositories.alertSources), log);
 * ```
 */
export function warnAboutUnauthenticatedSources(
  sources: readonly UnauthenticatedSource[],
  log: Logger,
): void {
  if (sources.length === 0) return;
  log.warn(
    { sources: sources.map((source) => `${source.name} (${source.id})`) },
    `${sources.length} alert source${sources.length === 1 ? '' : 's'} accept${sources.length === 1 ? 's' : ''} alerts from anyone who can reach ${sources.length === 1 ? 'its' : 'their'} webhook URL (no webhook secret, allow_unauthenticated): set a webhook_secret`,
  );
}
