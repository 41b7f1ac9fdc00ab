import type { HostFault } from '../fault.js';
import { LIBFAKETIME, requireFile } from '../binaries.js';
import { EvalErrors } from '../../../errors.js';

/** `clock-skew`: the host's clock is off, by `offset_seconds` or set to run from `at`. */
export interface ClockSkewFault {
  readonly kind: 'clock-skew';
  /** Seconds the host's clock is ahead (positive) or behind (negative). */
  readonly offset_seconds?: number;
  /** A date the host's clock shows when it is built (ISO 8601), ticking on from there. */
  readonly at?: string;
}

/**
 * Skews the clock of every process of the host, with libfaketime (LD_PRELOAD, a relative
 * FAKETIME offset, monotonic clocks left real): `date` and every log timestamp on the host are
 * off; the machine's real clock is not touched. Statically linked programs see the real time.
 *
 * @example
 * ```ts
 * await clockSkew.prepare({ kind: 'clock-skew', offset_seconds: -5400 }, context);
 * ```
 */
export const clockSkew: HostFault<ClockSkewFault> = {
  kind: 'clock-skew',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    oneOf: [{ required: ['offset_seconds'] }, { required: ['at'] }],
    properties: {
      kind: { const: 'clock-skew' },
      offset_seconds: { type: 'integer', minimum: -315360000, maximum: 315360000 },
      at: { type: 'string', format: 'date-time' },
    },
  },
  prepare(spec) {
    requireFile(LIBFAKETIME, 'libfaketime');
    const offset =
      spec.offset_seconds ?? Math.round((Date.parse(spec.at ?? '') - Date.now()) / 1000);
    if (!Number.isFinite(offset))
      throw EvalErrors.AKM_EVAL_STORY_INVALID({
        problem: 'clock-skew: not a date',
        value: spec.at ?? '',
      });
    return Promise.resolve({
      script: [],
      environment: {
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME: `${offset >= 0 ? '+' : '-'}${Math.abs(offset)}`,
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        FAKETIME_DONT_RESET: '1',
      },
    });
  },
};
