/**
 * The HTTP probe tool provider: read-only tools that GET the URLs an operator listed in the
 * tool instance, and nothing else.
 */
import {
  defineSchema,
  defineToolProvider,
  emptyObjectSchema,
  type SchemaValue,
  type ToolProvider,
} from '@akmatori/core';
import { probeUrl, type ProbeReport } from './probe.js';

const DEFAULT_TIMEOUT_MS = 5000;

/** One tool instance's settings (the credentials the gateway decrypts for each call). */
export const httpProbeCredentialSchema = defineSchema({
  type: 'object',
  required: ['targets'],
  additionalProperties: false,
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', format: 'uri', pattern: '^https?://' },
      destinationOf: ['bearer_token'],
      description: 'The http(s) URLs the tools may request; no other address is reached.',
    },
    bearer_token: {
      type: 'string',
      secret: true,
      description: 'Sent as Authorization: Bearer to every target (optional).',
    },
    ca_certificate: {
      type: 'string',
      destinationOf: ['bearer_token'],
      description: 'PEM CA certificate trusted besides the system roots (optional).',
    },
    timeout_ms: {
      type: 'integer',
      minimum: 100,
      maximum: 30000,
      description: 'How long one probe may take, in ms (default 5000).',
    },
  },
});

/** `{targets, bearer_token?, ca_certificate?, timeout_ms?}`, as the schema says. */
export type HttpProbeCredentials = SchemaValue<typeof httpProbeCredentialSchema>;

function describe(report: ProbeReport): string {
  if (report.error !== undefined) return `${report.url}: DOWN (${report.error})`;
  const tls =
    report.tls === undefined
      ? ''
      : `, certificate ${report.tls.subject} expires ${report.tls.valid_to} (${report.tls.days_left} days)`;
  const location = report.location === undefined ? '' : ` -> ${report.location}`;
  return `${report.url}: ${report.ok ? 'UP' : 'DOWN'} HTTP ${report.status}${location} in ${report.latency_ms} ms${tls}`;
}

/**
 * The provider. Its tools never change anything, so the gateway marks them read-only and they
 * need no approval.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', version: '1.0.0', tools: [httpProbeTools] });
 * ```
 */
export const httpProbeTools: ToolProvider<HttpProbeCredentials> = defineToolProvider({
  id: 'http-probe',
  displayName: 'HTTP probe',
  credentialSchema: httpProbeCredentialSchema,
  tools: [
    {
      name: 'list_targets',
      description: 'Lists the URLs this instance may probe.',
      inputSchema: emptyObjectSchema,
      readOnly: true,
      async execute({ credentials }) {
        return {
          text: credentials.targets.join('\n'),
          structured: { targets: credentials.targets },
        };
      },
    },
    {
      name: 'probe',
      description:
        'GETs one of the allowed URLs (or every one when url is left out) and reports the HTTP status, ' +
        'the time to the response headers and, for HTTPS, when the server certificate expires. ' +
        'Redirects are reported, not followed.',
      inputSchema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { type: 'string', description: 'One of the URLs list_targets returns.' },
        },
      },
      readOnly: true,
      async execute({ credentials, signal, log }, args: { url?: string }) {
        const { targets } = credentials;
        if (args.url !== undefined && !targets.includes(args.url))
          return {
            text: `${args.url} is not one of this instance's targets: ${targets.join(', ')}`,
            isError: true,
            refused: true,
          };
        const options = {
          timeoutMs: credentials.timeout_ms ?? DEFAULT_TIMEOUT_MS,
          signal,
          now: () => new Date(),
          ...(credentials.bearer_token === undefined
            ? {}
            : { bearerToken: credentials.bearer_token }),
          ...(credentials.ca_certificate === undefined ? {} : { ca: credentials.ca_certificate }),
        };
        const reports = await Promise.all(
          (args.url === undefined ? targets : [args.url]).map((url) => probeUrl(url, options)),
        );
        log.debug({ probed: reports.length }, 'probed');
        return { text: reports.map(describe).join('\n'), structured: { reports } };
      },
    },
  ],
});
