import { defineSchema, type SchemaValue } from '@akmatori/core';

/** The secrets sent to `url`, so changing where they go needs them again. */
const httpApiSecrets = Object.freeze(['bearer_token', 'password', 'tls_client_key']);

// Not annotated: the schema's literal type is what SchemaValue reads the credential type from.
function credentialSchema(service: string, example: string) {
  return defineSchema({
    type: 'object',
    description: `A ${service} server the agent may query, read-only, through its HTTP API.`,
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: {
        type: 'string',
        destinationOf: httpApiSecrets,
        format: 'uri',
        pattern: '^https?://',
        description: `Base URL of ${service}, e.g. ${example} (include the path prefix when it is served under one).`,
      },
      bearer_token: {
        type: 'string',
        secret: true,
        minLength: 1,
        description:
          'Sent as "Authorization: Bearer <token>" (for a proxy or gateway in front of it).',
      },
      username: {
        type: 'string',
        minLength: 1,
        description: 'HTTP basic auth user, with password.',
      },
      password: {
        type: 'string',
        secret: true,
        minLength: 1,
        description: 'HTTP basic auth password of username.',
      },
      tls_client_cert: {
        type: 'string',
        minLength: 1,
        description: 'Client certificate (PEM) for mutual TLS, with tls_client_key.',
      },
      tls_client_key: {
        type: 'string',
        secret: true,
        minLength: 1,
        description: 'Private key (PEM) of tls_client_cert.',
      },
      tls_ca_cert: {
        type: 'string',
        destinationOf: httpApiSecrets,
        minLength: 1,
        description: `CA certificate(s) (PEM) that sign ${service}'s certificate, when the system's do not.`,
      },
      verify_tls: {
        type: 'boolean',
        destinationOf: httpApiSecrets,
        default: true,
        description: `Check ${service}'s TLS certificate.`,
      },
      timeout_seconds: {
        type: 'integer',
        minimum: 1,
        maximum: 120,
        default: 30,
        description: 'How long one API call may take, in seconds.',
      },
    },
  });
}

/**
 * Credential schema of the `prometheus` tool type: the base URL and optionally a bearer
 * token, basic auth, a client certificate (mTLS), a CA, TLS verification and a timeout
 * (cross-field rules in {@link httpApiCredentialProblems}).
 */
export const prometheusCredentialSchema = credentialSchema(
  'Prometheus',
  'https://prometheus.example.com:9090',
);

/** Credential schema of the `alertmanager` tool type (as {@link prometheusCredentialSchema}). */
export const alertmanagerCredentialSchema = credentialSchema(
  'Alertmanager',
  'https://alertmanager.example.com:9093',
);

/**
 * The settings of one Prometheus or Alertmanager tool instance (secrets included, as the
 * gateway sees them), as the schema says: `url`; optionally `bearer_token`, `username` and
 * `password` (basic auth), `tls_client_cert` and `tls_client_key` (mutual TLS), `tls_ca_cert`,
 * `verify_tls` (default true) and `timeout_seconds` (default 30).
 */
export type HttpApiCredentials = SchemaValue<typeof prometheusCredentialSchema>;
/** The settings of a `prometheus` tool instance. */
export type PrometheusCredentials = HttpApiCredentials;
/** The settings of an `alertmanager` tool instance. */
export type AlertmanagerCredentials = SchemaValue<typeof alertmanagerCredentialSchema>;

/**
 * The cross-field rules of Prometheus and Alertmanager settings: basic auth needs both user
 * and password, a client certificate needs its key, and one kind of `Authorization` header.
 *
 * @example
 * ```ts
 * httpApiCredentialProblems({ url: 'http://p:9090', username: 'u' });
 * // ['username and password go together: set both or neither']
 * ```
 */
export function httpApiCredentialProblems(settings: Readonly<Record<string, unknown>>): string[] {
  const present = (value: unknown): boolean => typeof value === 'string' && value !== '';
  const problems: string[] = [];
  if (present(settings.username) !== present(settings.password))
    problems.push('username and password go together: set both or neither');
  if (present(settings.tls_client_cert) !== present(settings.tls_client_key))
    problems.push('tls_client_cert and tls_client_key go together: set both or neither');
  if (present(settings.bearer_token) && present(settings.username))
    problems.push('set bearer_token or username and password, not both (one Authorization header)');
  return problems;
}
