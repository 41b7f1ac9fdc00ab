/**
 * Reading either PagerDuty wire format.
 */
import {
  payloadError,
  type AlertSourceContext,
  type NormalizedAlert,
  type WebhookRequest,
} from '@akmatori/core';
import { bodyObject } from '../shared/payload.js';
import { isEventsApiRequest, parseEventsApiRequest } from './events-api.js';
import { parseWebhookV3 } from './webhook-v3.js';

/**
 * A body with `event` is a v3 webhook; one with `event_action`, `routing_key`, `service_key`
 * or `event_type` is an Events API request. Anything else is a payload error.
 *
 * @example
 * ```ts
 * const alerts = parsePagerDutyRequest(request, context);
 * ```
 */
export function parsePagerDutyRequest(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): NormalizedAlert[] {
  const body = bodyObject(request.body);
  if (body.event !== undefined) return parseWebhookV3(body, context.receivedAt);
  if (isEventsApiRequest(body)) return [parseEventsApiRequest(body, context.receivedAt)];
  throw payloadError(
    'expected a PagerDuty v3 webhook ({"event": {...}}) or an Events API request ' +
      '(event_action with routing_key, or event_type with service_key)',
  );
}
