import { destinationChanges, secretFields, type ToolProvider } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { ToolInstanceRecord } from './tool-instance-repository.js';
import { isSecretMask } from './tool-settings.js';

/**
 * Refuses a change of a tool instance's settings that sends a stored secret somewhere new
 * (a host address, a port, an API URL: the settings its type marks `destinationOf`) unless that
 * secret is entered again, or cleared, in the same request. A stolen session can change the
 * settings, but it cannot point a stored key at its own server.
 * Throws `AKM_SECRET_DESTINATION_CHANGED` naming the fields and the secrets to enter.
 *
 * @example
 * ```ts
 * requireSecretsForNewDestinations(provider, existing, request.settings);
 * ```
 */
export function requireSecretsForNewDestinations(
  provider: ToolProvider,
  existing: Pick<ToolInstanceRecord, 'settings' | 'secrets'>,
  sent: Readonly<Record<string, unknown>>,
): void {
  const schema = provider.credentialSchema;
  const secret = new Set(secretFields(schema));
  const kept = new Set(
    Object.keys(existing.secrets).filter(
      (field) => sent[field] === undefined || isSecretMask(sent[field]),
    ),
  );
  if (kept.size === 0) return;
  const after = Object.fromEntries(Object.entries(sent).filter(([field]) => !secret.has(field)));
  const fields: string[] = [];
  const secrets = new Set<string>();
  for (const change of destinationChanges(schema, existing.settings, after)) {
    const keptHere = change.secrets.filter((name) => kept.has(name));
    if (keptHere.length === 0) continue;
    fields.push(`settings.${change.field}`);
    for (const name of keptHere) secrets.add(name);
  }
  if (fields.length === 0) return;
  const names = [...secrets].map((name) => `settings.${name}`);
  throw AppErrors.AKM_SECRET_DESTINATION_CHANGED(
    { fields, secrets: names },
    { details: { fields, secrets: names } },
  );
}
