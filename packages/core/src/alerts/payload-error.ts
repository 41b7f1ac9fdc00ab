import type { AkmatoriError } from '../errors/akmatori-error.js';
import { CoreErrors } from '../errors/catalog.js';

/**
 * The error an adapter throws for a payload it cannot read; the webhook answers 400 with
 * the reason.
 *
 * @example
 * ```ts
 * if (!Array.isArray(body.alerts)) throw payloadError('alerts must be an array');
 * ```
 */
export function payloadError(reason: string): AkmatoriError {
  return CoreErrors.AKM_PAYLOAD_INVALID({ reason });
}
