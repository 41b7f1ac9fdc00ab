import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mappableFields as apiMappableFields } from 'akmatori';
import { parse } from 'yaml';
import { senderSnippets, type SnippetSource } from '../src/sources/sender-snippets';
import { mappableFields } from '../src/sources/source-types';

const url = 'https://akm.example.com/webhook/alert/6f1c9f3e-0000-4000-8000-000000000001';
const snippet = (source: Partial<SnippetSource> & { type: string }, title: string): string => {
  const found = senderSnippets({ url, authenticated: true, ...source }).find(
    (s) => s.title === title,
  );
  expect(found, `a ${title} snippet for ${source.type}`).toBeDefined();
  return found!.text;
};

/** The arguments bash gives `curl` when it runs the snippet (curl replaced by a printer). */
function curlArguments(text: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${text}`;
  const output = execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH, ...env } });
  return output.toString().split('\0').slice(0, -1);
}

describe('sender snippets', () => {
  it('give Alertmanager a receiver with the URL and the secret as bearer credentials', () => {
    const config = parse(snippet({ type: 'alertmanager', secret: 's3cret: "x"' }, 'Alertmanager'));
    expect(config).toEqual({
      receivers: [
        {
          name: 'akmatori',
          webhook_configs: [
            {
              url,
              send_resolved: true,
              http_config: { authorization: { credentials: 's3cret: "x"' } },
            },
          ],
        },
      ],
    });
  });

  it('leave the secret out as a placeholder when it is not known, and out entirely when none is needed', () => {
    const unknown = parse(snippet({ type: 'alertmanager' }, 'Alertmanager'));
    expect(unknown.receivers[0].webhook_configs[0].http_config.authorization.credentials).toBe(
      '<webhook secret>',
    );
    const open = parse(snippet({ type: 'alertmanager', authenticated: false }, 'Alertmanager'));
    expect(open.receivers[0].webhook_configs[0]).not.toHaveProperty('http_config');
  });

  it('give Grafana a webhook contact point with a bearer authorization', () => {
    const config = parse(snippet({ type: 'grafana', secret: 'g-secret' }, 'Grafana'));
    expect(config.contactPoints[0].receivers[0]).toEqual({
      uid: 'akmatori',
      type: 'webhook',
      settings: {
        url,
        httpMethod: 'POST',
        authorization_scheme: 'Bearer',
        authorization_credentials: 'g-secret',
      },
    });
  });

  it('name the Zabbix media type parameters, the Datadog header and the PagerDuty routing key', () => {
    expect(snippet({ type: 'zabbix', secret: 'z' }, 'Zabbix')).toContain(
      `akmatori_url: ${url}\nakmatori_secret: z`,
    );
    expect(snippet({ type: 'datadog', secret: 'd' }, 'Datadog')).toContain(
      'Custom Headers: {"Authorization":"Bearer d"}',
    );
    const pagerduty = parse(snippet({ type: 'pagerduty', secret: 'p' }, 'PagerDuty'));
    expect(pagerduty.receivers[0].pagerduty_configs[0]).toEqual({ url, routing_key: 'p' });
  });

  it('give every type a curl command that bash runs with the URL, the secret and the sample', () => {
    const payload = { alerts: [{ labels: { alertname: "it's down" } }] };
    for (const type of ['alertmanager', 'grafana', 'zabbix', 'pagerduty', 'datadog', 'custom']) {
      const text = snippet({ type, secret: "pa$s'word", examplePayload: payload }, 'curl');
      const args = curlArguments(text);
      expect(args).toEqual([
        '-sS',
        '-X',
        'POST',
        url,
        '-H',
        'Content-Type: application/json',
        '-H',
        "Authorization: Bearer pa$s'word",
        '--data-binary',
        JSON.stringify(payload),
      ]);
    }
  });

  it('make the curl command read an unknown secret from the environment', () => {
    const text = snippet({ type: 'datadog' }, 'curl');
    const args = curlArguments(text.replace(/^export .*\n/, ''), {
      AKMATORI_WEBHOOK_SECRET: 'from-env',
    });
    expect(args).toContain('Authorization: Bearer from-env');
    expect(text).toContain("export AKMATORI_WEBHOOK_SECRET='<webhook secret>'");
  });
});

describe('field mappings', () => {
  it('offer exactly the fields the API maps', () => {
    expect([...mappableFields]).toEqual([...apiMappableFields]);
  });
});
