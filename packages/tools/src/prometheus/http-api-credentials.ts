import type { ObjectSchema, SchemaProperty } from '@akmatori/core';

/**
 * The settings of one Prometheus or Alertmanager tool instance (secrets included, as the
 * gateway sees them): where the HTTP API is and how to authenticate to it.
 */
// A type alias, not an interface, so it is assignable to Record<string, unknown>.
export type HttpApiCredentials = {
  /** Base URL, e.g. `https://prometheus.example.com:9090` (with a path prefix if any). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearer_token?: string;
  /** HTTP basic auth user, with `password`. */
  readonly username?: string;
  readonly password?: string;
  /** PEM client certificate for mutual TLS, with `tls_client_key`. */
  readonly tls_client_cert?: string;
  readonly tls_client_key?: string;
  /** PEM CA certificate(s) to trust instead of the system's. */
  readonly tls_ca_cert?: string;
  /** Default true. */
  readonly verify_tls?: boolean;
  /** Default 30. */
  readonly timeout_seconds?: number;
};

/** The settings of a `prometheus` tool instance. */
export type PrometheusCredentials = HttpApiCredentials;
/** The settings of an `alertmanager` tool instance. */
export type AlertmanagerCredentials = HttpApiCredentials;

/** The secrets sent to `url`, so changing where they go needs them again. */
const httpApiSecrets = Object.freeze(['bearer_token', 'password', 'tls_client_key']);

/** The secret fields of {@link HttpApiCredentials}, for scrubbing. */
export const httpApiSecretFields = httpApiSecrets;

function credentialSchema(service: string, example: string): ObjectSchema {
  const properties: Record<string, SchemaProperty> = {
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
  };
  return {
    type: 'object',
    description: `A ${service} server the agent may query, read-only, through its HTTP API.`,
    additionalProperties: false,
    required: ['url'],
    properties,
  };
}

/**
 * Credential schema of the `prometheus` tool type: the base URL and optionally a bearer
 * token, basic auth, a client certificate (mTLS), a CA, TLS verification and a timeout
 * (cross-field rules in {@link httpApiCredentialProblems}).
 */
export const prometheusCredentialSchema: ObjectSchema = credentialSchema(
  'Prometheus',
  'https://prometheus.example.com:9090',
);

/** Credential schema of the `alertmanager` tool type (as {@link prometheusCredentialSchema}). */
export const alertmanagerCredentialSchema: ObjectSchema = credentialSchema(
  'Alertmanager',
  'https://alertmanager.example.com:9093',
);

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
