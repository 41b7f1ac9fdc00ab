import {
  describeSchemaErrors,
  type PluginHost,
  secretFields,
  type ToolProvider,
} from '@akmatori/core';
import type { SecretBox } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { credentialRules, toolSecretContext } from './credential-rules.js';
import type { ToolInstanceRecord } from './tool-instance-repository.js';

/** What a response shows for a stored secret field. */
export const secretMask = Object.freeze({ set: true }) as { readonly set: true };

/** True for `{"set": true}`, the mask a client sends back to keep a stored secret. */
export const isSecretMask = (value: unknown): boolean =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  (value as { set?: unknown }).set === true;

/** Settings as the API shows them: stored secrets replaced by the mask. */
export function maskedSettings(record: ToolInstanceRecord): Record<string, unknown> {
  return {
    ...record.settings,
    ...Object.fromEntries(Object.keys(record.secrets).map((field) => [field, { ...secretMask }])),
  };
}

/**
 * Turns the settings a client sent into what is stored: validated against the provider's
 * credential schema and cross-field rules, secret fields split off and sealed for `id`.
 * For a secret field, `{"set": true}` or leaving it out keeps the stored value, `null`
 * clears it and a string replaces it. Throws `AKM_TOOL_SETTINGS_INVALID` naming each field.
 */
export function storedSettings(
  deps: { plugins: PluginHost; secretBox: SecretBox },
  provider: ToolProvider,
  id: string,
  sent: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, string>> = {},
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const secret = new Set(secretFields(provider.credentialSchema));
  const candidate: Record<string, unknown> = {};
  const kept: Record<string, string> = {};
  const problems: string[] = [];
  for (const [field, value] of Object.entries(sent)) {
    if (!secret.has(field)) candidate[field] = value;
  }
  for (const field of secret) {
    const value = sent[field];
    if (value === null) continue;
    if (value === undefined || isSecretMask(value)) {
      const sealed = stored[field];
      if (sealed !== undefined) {
        kept[field] = sealed;
        candidate[field] = deps.secretBox.open(sealed, toolSecretContext(id, field));
      } else if (value !== undefined) {
        problems.push(`settings.${field} is {"set": true} but no value is stored: send the value`);
      }
      continue;
    }
    candidate[field] = value;
  }

  problems.push(...settingsProblems(deps.plugins, provider.id, candidate));
  if (problems.length > 0) throw AppErrors.AKM_TOOL_SETTINGS_INVALID({ problems });

  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [field, value] of Object.entries(candidate)) {
    if (!secret.has(field)) settings[field] = value;
    else
      secrets[field] =
        kept[field] ?? deps.secretBox.seal(String(value), toolSecretContext(id, field));
  }
  return { settings, secrets };
}

// Errors from inside anyOf/if/then say "must match a schema in anyOf"; when a tool type has
// its own cross-field rules, those say the same thing better.
const combinatorPath = /\/(anyOf|oneOf|allOf|if|then|else|not)(\/|$)/;
const combinatorKeywords = new Set(['anyOf', 'oneOf', 'if', 'not']);

function settingsProblems(
  plugins: PluginHost,
  toolType: string,
  candidate: Record<string, unknown>,
): string[] {
  const check = plugins.checkSchema('tool provider', toolType, 'credentialSchema', candidate);
  const rules = credentialRules[toolType];
  const fieldName = (path: string): string => `settings${path.replaceAll('/', '.')}`;
  if (check.valid) return (rules?.(candidate) ?? []).map((p) => `settings.${p}`);
  if (rules === undefined) return describeSchemaErrors(check.errors, fieldName);
  const plain = (check.errors ?? []).filter(
    (e) => !combinatorPath.test(e.schemaPath) && !combinatorKeywords.has(e.keyword),
  );
  const problems = [
    ...describeSchemaErrors(plain, fieldName),
    ...rules(candidate).map((p) => `settings.${p}`),
  ];
  return problems.length > 0
    ? [...new Set(problems)]
    : describeSchemaErrors(check.errors, fieldName);
}
