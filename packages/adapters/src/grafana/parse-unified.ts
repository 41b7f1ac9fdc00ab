/**
 * Grafana unified alerting's webhook (Grafana 8+, `version: "1"`): Alertmanager's format
 * plus per-alert links, values and images.
 */
import { normalizeSeverity, text, toStringRecord, type NormalizedAlert } from '@akmatori/core';
import {
  hostFromLabels,
  readAlertmanagerStyleAlerts,
  runbookFrom,
  serviceFromLabels,
  type AlertmanagerStyleAlert,
} from '../shared/alertmanager-alerts.js';
import { asObject, defined, firstText, type JsonObject } from '../shared/payload.js';
import { withoutStatusPrefix } from '../shared/subject.js';

/** Name of an alert that carries nothing to name it by. */
export const unnamedGrafanaAlert = 'Grafana alert';

/**
 * One normalized alert per element of `alerts[]`. The name is the `alertname` label, else
 * the rule title label, the notification's common `alertname`, its title without the
 * `[FIRING:n]` prefix, the legacy `ruleName`, or `Grafana alert`. The source link is the alert's `generatorURL`
 * (made absolute against `externalURL` when Grafana sent a relative one), else its panel or
 * dashboard link. Grafana's extra links, `values` and `valueString` go in `extra`.
 *
 * @example
 * ```ts
 * parseUnifiedGrafanaAlerts(bodyObject(request.body), context.receivedAt);
 * ```
 */
export function parseUnifiedGrafanaAlerts(body: JsonObject, receivedAt: Date): NormalizedAlert[] {
  const groupKey = text(body.groupKey);
  const externalURL = text(body.externalURL);
  const commonLabels = toStringRecord(asObject(body.commonLabels));
  const fallbackName =
    firstText(commonLabels.alertname, titleName(text(body.title)), body.ruleName) ??
    unnamedGrafanaAlert;
  const notification = defined({
    receiver: text(body.receiver),
    externalURL,
    orgId: text(body.orgId),
    truncatedAlerts: typeof body.truncatedAlerts === 'number' ? body.truncatedAlerts : undefined,
  });
  return readAlertmanagerStyleAlerts(body, receivedAt).map((alert) =>
    defined({
      name: firstText(alert.labels.alertname, alert.labels.__alert_rule_title__) ?? fallbackName,
      status: alert.status,
      ...normalizeSeverity(alert.labels.severity),
      fingerprint: alert.fingerprint,
      groupKey,
      host: hostFromLabels(alert.labels),
      service: serviceFromLabels(alert.labels),
      summary: text(alert.annotations.summary),
      description: text(alert.annotations.description),
      runbookUrl: runbookFrom(alert.annotations, alert.labels),
      sourceUrl: firstText(
        absoluteUrl(alert.generatorURL, externalURL),
        alert.item.panelURL,
        alert.item.dashboardURL,
      ),
      startsAt: alert.startsAt,
      endsAt: alert.endsAt,
      labels: alert.labels,
      annotations: alert.annotations,
      extra: { ...notification, ...grafanaExtras(alert) },
      payloadItem: alert.item,
    }),
  );
}

function grafanaExtras({ item }: AlertmanagerStyleAlert): Record<string, unknown> {
  return defined({
    orgId: text(item.orgId),
    dashboardURL: text(item.dashboardURL),
    panelURL: text(item.panelURL),
    silenceURL: text(item.silenceURL),
    imageURL: text(item.imageURL),
    values: asObject(item.values),
    valueString: text(item.valueString),
  });
}

/**
 * A name from the notification title `[FIRING:1] <group values> (<other common values>)`:
 * without the status prefix, and without the parentheses when that is all there is.
 */
function titleName(title: string | undefined): string | undefined {
  const rest = withoutStatusPrefix(title);
  const only = rest === undefined ? undefined : /^\((.*)\)$/.exec(rest)?.[1];
  return only === undefined ? rest : text(only);
}

/** A URL as sent when absolute; a relative one resolved against Grafana's external URL. */
function absoluteUrl(url: string | undefined, base: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (URL.canParse(url)) return url;
  return base !== undefined && URL.canParse(url, base) ? new URL(url, base).href : undefined;
}
