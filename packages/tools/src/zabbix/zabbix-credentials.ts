import { defineSchema, type SchemaValue } from '@akmatori/core';

/** The secrets sent to `api_url`, so changing it or `verify_tls` needs them again. */
const zabbixSecrets = Object.freeze(['api_token', 'password']);

/**
 * Credential schema of the `zabbix` tool type: an API URL and either an API token or a
 * username and password (also checked by {@link zabbixCredentialProblems}). The URL and
 * `verify_tls` are destinations of the token and the password (`destinationOf`).
 */
export const zabbixCredentialSchema = defineSchema({
  type: 'object',
  description: 'A Zabbix server the agent may query through its JSON-RPC API.',
  additionalProperties: false,
  required: ['api_url'],
  // `properties: {x: true}` beside `required` keeps ajv's strictRequired satisfied.
  anyOf: [
    { properties: { api_token: true }, required: ['api_token'] },
    { properties: { username: true, password: true }, required: ['username', 'password'] },
  ],
  properties: {
    api_url: {
      type: 'string',
      destinationOf: zabbixSecrets,
      format: 'uri',
      pattern: '^https?://',
      description: 'URL of the API, e.g. https://zabbix.example.com/api_jsonrpc.php.',
    },
    api_token: {
      type: 'string',
      description: 'API token (Zabbix 5.4+). This or username and password is required.',
      secret: true,
      minLength: 1,
    },
    username: {
      type: 'string',
      description: 'User to log in as, with password, when no api_token is given.',
      minLength: 1,
    },
    password: {
      type: 'string',
      description: 'Password of username.',
      secret: true,
      minLength: 1,
    },
    verify_tls: {
      type: 'boolean',
      destinationOf: zabbixSecrets,
      description: "Check the server's TLS certificate.",
      default: true,
    },
  },
});

/**
 * The settings of one Zabbix tool instance (secrets included, as the gateway sees them), as
 * {@link zabbixCredentialSchema} says: `api_url`, `verify_tls` (default true), and an API token
 * or a username with a password (a union of the two cases).
 */
export type ZabbixCredentials = SchemaValue<typeof zabbixCredentialSchema>;

/**
 * The cross-field rules of Zabbix settings: an API token, or a username with a password.
 *
 * @example
 * ```ts
 * zabbixCredentialProblems({ api_url: 'https://z/api_jsonrpc.php', username: 'u' });
 * // ['api_token, or username and password, is required']
 * ```
 */
export function zabbixCredentialProblems(settings: Readonly<Record<string, unknown>>): string[] {
  const present = (value: unknown): boolean => typeof value === 'string' && value !== '';
  if (present(settings.api_token)) return [];
  if (present(settings.username) && present(settings.password)) return [];
  return ['api_token, or username and password, is required'];
}
