/**
 * Reading any Grafana webhook: unified alerting, or the legacy shape.
 */
import type { AlertSourceContext, NormalizedAlert, WebhookRequest } from '@akmatori/core';
import { bodyObject } from '../shared/payload.js';
import type { GrafanaConfig } from './config.js';
import { isLegacyGrafanaAlert, parseLegacyGrafanaAlert } from './parse-legacy.js';
import { parseUnifiedGrafanaAlerts } from './parse-unified.js';

/**
 * Unified alerting payloads give one alert per element of `alerts[]`; a legacy payload (no
 * `alerts`, a `state`) gives one alert. Anything else is a payload error.
 *
 * @example
 * ```ts
 * const alerts = parseGrafanaWebhook(request, context);
 * ```
 */
export function parseGrafanaWebhook(
  request: WebhookRequest,
  context: AlertSourceContext<GrafanaConfig>,
): NormalizedAlert[] {
  const body = bodyObject(request.body);
  if (isLegacyGrafanaAlert(body)) return [parseLegacyGrafanaAlert(body, context.receivedAt)];
  return parseUnifiedGrafanaAlerts(body, context.receivedAt);
}
