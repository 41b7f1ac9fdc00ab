import { alertSeverities, type NormalizedAlert } from '../contracts/alert.js';
import { isAkmatoriError, type AkmatoriError } from '../errors/akmatori-error.js';

/**
 * What is wrong with normalized alerts, strictly: each needs a name, a status of `firing` or
 * `resolved`, a known severity, a fingerprint, labels and annotations that are objects of
 * strings, a valid `startsAt`, and an `endsAt` exactly when it is resolved (a valid Date).
 * Returns one sentence per problem, empty when the alerts are sound, so it works with any
 * test runner.
 *
 * @example
 * ```ts
 * expect(alertProblems(parseWith(uptimeAdapter, body))).toEqual([]);
 * ```
 */
export function alertProblems(alerts: readonly NormalizedAlert[]): string[] {
  const problems: string[] = [];
  alerts.forEach((alert, index) => {
    const at = `alert ${index}`;
    if (typeof alert.name !== 'string' || alert.name.trim() === '') {
      problems.push(`${at}: empty name`);
    }
    if (alert.status !== 'firing' && alert.status !== 'resolved') {
      problems.push(`${at}: status ${String(alert.status)}`);
    }
    if (!alertSeverities.includes(alert.severity)) {
      problems.push(`${at}: severity ${String(alert.severity)}`);
    }
    if (typeof alert.fingerprint !== 'string' || alert.fingerprint === '') {
      problems.push(`${at}: empty fingerprint`);
    }
    for (const field of ['labels', 'annotations'] as const) {
      const record: unknown = alert[field];
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        problems.push(`${at}: ${field} must be an object`);
      } else if (Object.values(record).some((value) => typeof value !== 'string')) {
        problems.push(`${at}: ${field} values must be strings`);
      }
    }
    for (const field of ['startsAt', 'endsAt'] as const) {
      const value = alert[field];
      if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
        problems.push(`${at}: ${field} must be a valid Date`);
      }
    }
    if (!(alert.startsAt instanceof Date)) problems.push(`${at}: no startsAt`);
    if (alert.status === 'firing' && alert.endsAt !== undefined) {
      problems.push(`${at}: a firing alert has an endsAt`);
    }
    if (alert.status === 'resolved' && alert.endsAt === undefined) {
      problems.push(`${at}: a resolved alert has no endsAt`);
    }
  });
  return problems;
}

/** True when `error` is Akmatori's payload error (`AKM_PAYLOAD_INVALID`, from `payloadError`). */
export function isPayloadError(error: unknown): error is AkmatoriError {
  return isAkmatoriError(error) && error.code === 'AKM_PAYLOAD_INVALID';
}

/**
 * Runs `parse` and returns the payload error it threw. Throws (failing the test) when the
 * payload was accepted or when something else was thrown, a `TypeError` escaping, say: a
 * plugin must answer bad input with `payloadError(reason)`, never crash on it.
 *
 * @example
 * ```ts
 * expect(payloadErrorOf(() => parseWith(uptimeAdapter, {})).message).toContain('check is missing');
 * ```
 */
export function payloadErrorOf(parse: () => unknown): AkmatoriError {
  try {
    parse();
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw new Error(`expected a payload error (AKM_PAYLOAD_INVALID), got: ${String(error)}`, {
      cause: error,
    });
  }
  throw new Error('expected a payload error, but the payload was accepted');
}
