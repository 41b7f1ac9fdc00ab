import {
  httpApiCredentialProblems,
  sshCredentialProblems,
  zabbixCredentialProblems,
} from '@akmatori/tools';

/** Checks settings for rules a JSON Schema states poorly; returns sentences naming fields. */
export type CredentialRules = (settings: Readonly<Record<string, unknown>>) => string[];

/**
 * The cross-field rules of the built-in tool types, by tool type name. Tool types from other
 * plugins are checked against their `credentialSchema` only.
 */
export const credentialRules: Readonly<Record<string, CredentialRules>> = Object.freeze({
  ssh: sshCredentialProblems,
  zabbix: zabbixCredentialProblems,
  prometheus: httpApiCredentialProblems,
  alertmanager: httpApiCredentialProblems,
});

/** The sealing context of one secret field of one tool instance. */
export const toolSecretContext = (id: string, field: string): string => `tool:${id}:${field}`;
