/**
 * Grafana's legacy (dashboard) alerting webhook, Grafana 7 and earlier: one rule per request,
 * `state`, `ruleName`, `evalMatches`, no `alerts[]`.
 */
import {
  fingerprintOf,
  normalizeSeverity,
  payloadError,
  text,
  toStringRecord,
  type AlertStatus,
  type NormalizedAlert,
} from '@akmatori/core';
import { alertTimes } from '../shared/alert-times.js';
import { asObject, defined, firstText, type JsonObject } from '../shared/payload.js';
import { unnamedGrafanaAlert } from './parse-unified.js';

/**
 * Legacy rule states: `ok` ends the alert, and so does `paused` (a paused rule sends nothing
 * more, so an alert left firing would never close); `alerting`, `no_data` and `pending` fire.
 */
const legacyStates: Readonly<Record<string, AlertStatus>> = Object.freeze({
  alerting: 'firing',
  no_data: 'firing',
  pending: 'firing',
  ok: 'resolved',
  paused: 'resolved',
});

/**
 * True for a body in the legacy shape: no `alerts`, a `state` string.
 *
 * @example
 * ```ts
 * isLegacyGrafanaAlert({ state: 'alerting', ruleName: 'CPU' }); // true
 * ```
 */
export function isLegacyGrafanaAlert(body: JsonObject): boolean {
  return body.alerts === undefined && typeof body.state === 'string';
}

/**
 * Reads a legacy notification into one alert, identified by organisation, dashboard, panel
 * and rule. `tags` become labels, `message` the summary, `ruleUrl` the source link;
 * `evalMatches` and `imageUrl` go in `extra`.
 *
 * @example
 * ```ts
 * parseLegacyGrafanaAlert({ state: 'ok', ruleId: 1, ruleName: 'CPU' }, new Date());
 * ```
 */
export function parseLegacyGrafanaAlert(body: JsonObject, receivedAt: Date): NormalizedAlert {
  const state = text(body.state)?.toLowerCase() ?? '';
  const status = legacyStates[state];
  if (status === undefined) {
    throw payloadError(
      `state "${state}" is not a Grafana alert state (alerting, ok, no_data, pending, paused)`,
    );
  }
  const name =
    firstText(body.ruleName, text(body.title)?.replace(/^\[[^\]]*\]\s*/, '')) ??
    unnamedGrafanaAlert;
  const labels = toStringRecord(asObject(body.tags));
  return defined({
    name,
    status,
    ...normalizeSeverity(labels.severity),
    fingerprint: fingerprintOf([
      'grafana-legacy',
      text(body.orgId),
      text(body.dashboardId),
      text(body.panelId),
      text(body.ruleId) ?? name,
    ]),
    summary: firstText(body.message, body.title),
    sourceUrl: text(body.ruleUrl),
    ...alertTimes(status, receivedAt, {}),
    labels,
    annotations: {},
    extra: defined({
      state,
      ruleId: text(body.ruleId),
      dashboardId: text(body.dashboardId),
      panelId: text(body.panelId),
      orgId: text(body.orgId),
      imageURL: text(body.imageUrl),
      evalMatches: Array.isArray(body.evalMatches) ? body.evalMatches : undefined,
    }),
  });
}
