/** One ready-to-paste piece of a sender's configuration. */
export interface SenderSnippet {
  /** Tab title: where it goes. */
  readonly title: string;
  /** What to do with it, in one or two sentences. */
  readonly hint: string;
  /** The text to paste. */
  readonly text: string;
}

/** What the snippets are built from. */
export interface SnippetSource {
  /** The source's type (`alertmanager`, `grafana`, …). */
  readonly type: string;
  /** The source's webhook URL, as the API gives it. */
  readonly url: string;
  /** False for a source that accepts requests without a secret. */
  readonly authenticated: boolean;
  /** The secret, only right after it was typed here: the API never returns it. */
  readonly secret?: string;
  /** A payload the type reads, for the test command. */
  readonly examplePayload?: unknown;
}

/** Stands for the secret in configuration files when it is not known here. */
export const SECRET_PLACEHOLDER = '<webhook secret>';

/** A string as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A string as a double-quoted YAML scalar. */
const yamlString = (text: string): string => JSON.stringify(text);

/**
 * How to point a sender at a source: the type's own configuration (Alertmanager receiver
 * YAML, Grafana contact point, Zabbix media type, PagerDuty, Datadog), then always a curl
 * command that posts the type's sample payload. The secret appears only when given (right
 * after creation); otherwise a placeholder, or `$AKMATORI_WEBHOOK_SECRET` in the shell.
 *
 * @example
 * ```ts
 * senderSnippets({ type: 'alertmanager', url: 'https://akm/webhook/alert/1', authenticated: true });
 * ```
 */
export function senderSnippets(source: SnippetSource): SenderSnippet[] {
  const secret = source.secret ?? SECRET_PLACEHOLDER;
  const sender = senderSnippet(source, secret);
  return [...(sender === undefined ? [] : [sender]), curlSnippet(source)];
}

function senderSnippet(source: SnippetSource, secret: string): SenderSnippet | undefined {
  const { url, authenticated } = source;
  switch (source.type) {
    case 'alertmanager':
      return {
        title: 'Alertmanager',
        hint: 'Add this receiver to alertmanager.yml and route alerts to it (route.receiver or a child route), then reload Alertmanager.',
        text: [
          'receivers:',
          '  - name: akmatori',
          '    webhook_configs:',
          `      - url: ${yamlString(url)}`,
          '        send_resolved: true',
          ...(authenticated
            ? [
                '        http_config:',
                '          authorization:',
                `            credentials: ${yamlString(secret)}`,
              ]
            : []),
        ].join('\n'),
      };
    case 'grafana':
      return {
        title: 'Grafana',
        hint: 'Alerting → Contact points → New: integration Webhook with these settings (or provision this file), and use it in a notification policy.',
        text: [
          'apiVersion: 1',
          'contactPoints:',
          '  - orgId: 1',
          '    name: akmatori',
          '    receivers:',
          '      - uid: akmatori',
          '        type: webhook',
          '        settings:',
          `          url: ${yamlString(url)}`,
          '          httpMethod: POST',
          ...(authenticated
            ? [
                '          authorization_scheme: Bearer',
                `          authorization_credentials: ${yamlString(secret)}`,
              ]
            : []),
        ].join('\n'),
      };
    case 'zabbix':
      return {
        title: 'Zabbix',
        hint: 'Import the media type, set its parameters as below, add the media to a user and create an action that sends to it.',
        text: [
          'Media type: packages/adapters/src/zabbix/media-type/akmatori_webhook.yaml',
          '  (Alerts → Media types → Import; Zabbix 6.0 or later)',
          `akmatori_url: ${url}`,
          `akmatori_secret: ${authenticated ? secret : '(leave empty: this source needs no secret)'}`,
        ].join('\n'),
      };
    case 'pagerduty':
      return {
        title: 'PagerDuty',
        hint: "A webhook subscription (v3) signs with its own secret: set it as this source's webhook secret. Or send Events API v2 from Alertmanager with the secret as routing key.",
        text: [
          `# Webhook subscription (Integrations → Generic Webhooks v3): URL ${url}`,
          '# Alertmanager sending Events API v2:',
          'receivers:',
          '  - name: akmatori-pagerduty',
          '    pagerduty_configs:',
          `      - url: ${yamlString(url)}`,
          `        routing_key: ${yamlString(secret)}`,
        ].join('\n'),
      };
    case 'datadog':
      return {
        title: 'Datadog',
        hint: 'Integrations → Webhooks → New: this URL and custom headers, then mention @webhook-akmatori in your monitors.',
        text: [
          'Name: akmatori',
          `URL: ${url}`,
          ...(authenticated
            ? [`Custom Headers: ${JSON.stringify({ Authorization: `Bearer ${secret}` })}`]
            : []),
        ].join('\n'),
      };
    default:
      return undefined;
  }
}

function curlSnippet(source: SnippetSource): SenderSnippet {
  const payload = JSON.stringify(source.examplePayload ?? {});
  const lines = [
    ...(source.authenticated && source.secret === undefined
      ? ["export AKMATORI_WEBHOOK_SECRET='<webhook secret>'"]
      : []),
    `curl -sS -X POST ${shellQuote(source.url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    ...(source.authenticated
      ? [
          source.secret === undefined
            ? `  -H "Authorization: Bearer $AKMATORI_WEBHOOK_SECRET" \\`
            : `  -H ${shellQuote(`Authorization: Bearer ${source.secret}`)} \\`,
        ]
      : []),
    `  --data-binary ${shellQuote(payload)}`,
  ];
  return {
    title: 'curl',
    hint: "Sends the type's sample alert: the answer is 202 and it shows among the recent deliveries.",
    text: lines.join('\n'),
  };
}
