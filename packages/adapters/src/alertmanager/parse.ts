/**
 * Reading an Alertmanager webhook (`version: "4"`) into normalized alerts.
 */
import {
  normalizeSeverity,
  text,
  type AlertSourceContext,
  type NormalizedAlert,
  type WebhookRequest,
} from '@akmatori/core';
import {
  hostFromLabels,
  readAlertmanagerStyleAlerts,
  runbookFrom,
  serviceFromLabels,
} from '../shared/alertmanager-alerts.js';
import { bodyObject, defined } from '../shared/payload.js';

/**
 * One normalized alert per element of `alerts[]`, each with its own status. The
 * notification's `groupKey` becomes every alert's group key; `receiver`, `externalURL` and
 * `truncatedAlerts` (alerts Alertmanager left out of this notification) go in `extra`.
 *
 * @example
 * ```ts
 * const alerts = parseAlertmanagerWebhook(request, context);
 * ```
 */
export function parseAlertmanagerWebhook(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): NormalizedAlert[] {
  const body = bodyObject(request.body);
  const groupKey = text(body.groupKey);
  const notification = defined({
    receiver: text(body.receiver),
    externalURL: text(body.externalURL),
    truncatedAlerts: typeof body.truncatedAlerts === 'number' ? body.truncatedAlerts : undefined,
  });
  return readAlertmanagerStyleAlerts(body, context.receivedAt).map((alert) =>
    defined({
      name: text(alert.labels.alertname) ?? 'Alertmanager alert',
      status: alert.status,
      ...normalizeSeverity(alert.labels.severity),
      fingerprint: alert.fingerprint,
      groupKey,
      host: hostFromLabels(alert.labels),
      service: serviceFromLabels(alert.labels),
      summary: text(alert.annotations.summary),
      description: text(alert.annotations.description),
      runbookUrl: runbookFrom(alert.annotations, alert.labels),
      sourceUrl: alert.generatorURL,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt,
      labels: alert.labels,
      annotations: alert.annotations,
      extra: notification,
      payloadItem: alert.item,
    }),
  );
}
