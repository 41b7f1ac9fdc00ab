/** Alertmanager-shaped alerts for the ingest benchmark: 4 per request, as a group notification carries. */

export const ALERTS_PER_REQUEST = 4;

/** How fingerprints repeat across requests. */
export type FingerprintMode = 'distinct' | 'repeating';

const REPEATING_POOL = 1000;

/** One alert's labels and annotations, shared by the Akmatori and the Alertmanager payloads. */
function alert(n: number): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
} {
  return {
    labels: {
      alertname: 'HighLatency',
      instance: `web-${n}:9100`,
      job: 'node',
      severity: n % 5 === 0 ? 'critical' : 'warning',
      cluster: 'eu-1',
    },
    annotations: {
      summary: `p99 latency above 500ms on web-${n}`,
      description: 'The 5m p99 of http_request_duration_seconds is above 0.5',
      runbook_url: 'https://runbooks.example.com/latency',
    },
    fingerprint: `bench${n.toString(16).padStart(12, '0')}`,
  };
}

/** Makes the n-th request's alert numbers. */
function alertNumbers(request: number, mode: FingerprintMode): number[] {
  return Array.from({ length: ALERTS_PER_REQUEST }, (_, k) => {
    const n = request * ALERTS_PER_REQUEST + k;
    return mode === 'distinct' ? n : n % REPEATING_POOL;
  });
}

/** A webhook body as Alertmanager 0.25 sends it (`version: "4"`), about 2.2 KB. */
export function alertmanagerWebhookBody(
  request: number,
  mode: FingerprintMode,
  startsAt: string,
): string {
  const alerts = alertNumbers(request, mode).map((n) => {
    const { labels, annotations, fingerprint } = alert(n);
    return {
      status: 'firing',
      labels,
      annotations,
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
      fingerprint,
    };
  });
  return JSON.stringify({
    receiver: 'akmatori',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency', job: 'node', cluster: 'eu-1' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
  });
}

/** The same alerts as `POST /api/v2/alerts` takes them. */
export function alertmanagerApiBody(
  request: number,
  mode: FingerprintMode,
  startsAt: string,
): string {
  return JSON.stringify(
    alertNumbers(request, mode).map((n) => {
      const { labels, annotations } = alert(n);
      return {
        labels,
        annotations,
        startsAt,
        generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
      };
    }),
  );
}
