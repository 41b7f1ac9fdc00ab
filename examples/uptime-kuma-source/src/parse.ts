/**
 * Turns one Uptime Kuma webhook delivery into one alert: a monitor's DOWN beat fires the alert
 * `monitor:<id>`, its UP beat resolves it; notifications about no single beat (the "Test"
 * button, certificate and domain expiry) become alerts of their own.
 */
import {
  fingerprintOf,
  normalizeSeverity,
  text,
  type AlertSeverity,
  type AlertSourceContext,
  type NormalizedAlert,
  type WebhookRequest,
} from '@akmatori/core';
import {
  heartbeatStates,
  kumaTime,
  readPayload,
  type UptimeKumaHeartbeat,
  type UptimeKumaMonitor,
} from './payload.js';
import type { UptimeKumaConfig } from './config.js';

/**
 * Reads a delivery into alerts; throws `payloadError` for a body that is not Uptime Kuma's.
 *
 * @example
 * ```ts
 * const [alert] = parseUptimeKuma(request, context); // alert.fingerprint === 'monitor:7'
 * ```
 */
export function parseUptimeKuma(
  request: WebhookRequest,
  context: AlertSourceContext<UptimeKumaConfig>,
): NormalizedAlert[] {
  const payload = readPayload(request.body);
  if (payload.monitor !== null)
    return [monitorAlert(payload.monitor, payload.heartbeat, payload.msg, context)];
  return [messageAlert(payload.msg, payload.heartbeat, context)];
}

function monitorAlert(
  monitor: UptimeKumaMonitor,
  heartbeat: UptimeKumaHeartbeat | null,
  msg: string,
  { config, receivedAt }: AlertSourceContext<UptimeKumaConfig>,
): NormalizedAlert {
  const state = heartbeat?.status ?? heartbeatStates.down;
  const resolved = state === heartbeatStates.up || state === heartbeatStates.maintenance;
  const beatAt = kumaTime(heartbeat?.time) ?? receivedAt;
  const tags = Object.fromEntries(
    (monitor.tags ?? [])
      .filter((tag) => typeof tag?.name === 'string')
      .map((tag) => [`tag_${tag.name}`, text(tag.value) ?? '']),
  );
  const tagged = tags[`tag_${config.severityTag ?? 'severity'}`];
  const fallback: AlertSeverity =
    state === heartbeatStates.pending ? 'warning' : (config.downSeverity ?? 'critical');
  const { severity, rawSeverity } = normalizeSeverity(tagged || undefined, fallback);
  const base = text(config.kumaUrl)?.replace(/\/+$/, '');
  return {
    name: text(monitor.pathName) ?? monitor.name,
    status: resolved ? 'resolved' : 'firing',
    severity,
    ...(rawSeverity === undefined ? {} : { rawSeverity }),
    fingerprint: `monitor:${monitor.id}`,
    ...optional('host', address(monitor)),
    service: monitor.name,
    summary: msg,
    ...optional('description', text(monitor.description)),
    ...optional('sourceUrl', base === undefined ? undefined : `${base}/dashboard/${monitor.id}`),
    startsAt: resolved ? (kumaTime(heartbeat?.lastDownTime) ?? beatAt) : beatAt,
    ...(resolved ? { endsAt: beatAt } : {}),
    labels: {
      monitor_id: String(monitor.id),
      monitor_type: text(monitor.type) ?? 'unknown',
      ...tags,
    },
    annotations: { ...optional('heartbeat_msg', text(heartbeat?.msg)) },
    extra: {
      ...optional('ping_ms', heartbeat?.ping ?? undefined),
      ...optional('retries', heartbeat?.retries),
      ...optional('response', text(heartbeat?.response)),
      ...optional('local_time', text(heartbeat?.localDateTime)),
      ...optional('time_zone', text(heartbeat?.timezone)),
    },
  };
}

const certificateExpiry =
  /^\[(?<name>[^\]]*)\]\[(?<url>[^\]]*)\] (?<type>.+?) certificate (?<cn>.*) will expire in (?<days>-?\d+) days$/;
const domainExpiry = /^Domain name (?<domain>\S+) will expire in (?<days>-?\d+) days$/;

function messageAlert(
  msg: string,
  heartbeat: UptimeKumaHeartbeat | null,
  { receivedAt }: AlertSourceContext<UptimeKumaConfig>,
): NormalizedAlert {
  const at = kumaTime(heartbeat?.time) ?? receivedAt;
  const common = { status: 'firing' as const, summary: msg, startsAt: at, annotations: {} };
  const cert = certificateExpiry.exec(msg)?.groups;
  if (cert !== undefined)
    return {
      ...common,
      name: `Certificate of ${cert.name} expires in ${cert.days} days`,
      severity: Number(cert.days) <= 7 ? 'high' : 'warning',
      fingerprint: `certificate:${fingerprintOf([cert.name, cert.url, cert.type, cert.cn])}`,
      ...optional('host', text(cert.url)),
      service: cert.name ?? 'unknown',
      labels: {
        kind: 'certificate-expiry',
        certificate_type: cert.type ?? '',
        certificate_cn: cert.cn ?? '',
      },
      extra: { days_remaining: Number(cert.days) },
    };
  const domain = domainExpiry.exec(msg)?.groups;
  if (domain !== undefined)
    return {
      ...common,
      name: `Domain ${domain.domain} expires in ${domain.days} days`,
      severity: Number(domain.days) <= 7 ? 'high' : 'warning',
      fingerprint: `domain:${domain.domain}`,
      labels: { kind: 'domain-expiry', domain: domain.domain ?? '' },
      extra: { days_remaining: Number(domain.days) },
    };
  const isTest = msg.endsWith(' Testing');
  return {
    ...common,
    name: isTest ? 'Uptime Kuma test notification' : 'Uptime Kuma notification',
    severity: isTest ? 'info' : 'warning',
    fingerprint: `${isTest ? 'test' : 'message'}:${fingerprintOf([msg])}`,
    labels: { kind: isTest ? 'test' : 'message' },
  };
}

/** Where the monitor checks, as Uptime Kuma's own `extractAddress` shows it. */
function address(monitor: UptimeKumaMonitor): string | undefined {
  const hostname = text(monitor.hostname);
  if (hostname !== undefined) return monitor.port ? `${hostname}:${monitor.port}` : hostname;
  const url = text(monitor.url);
  return url === undefined || url === 'https://' || url === 'http://' ? undefined : url;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
