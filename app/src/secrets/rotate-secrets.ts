import type { Database, SecretBox } from '@akmatori/host';
import { sealedValueLocations, type SealedValueLocation } from './sealed-values.js';

/** What a rotation did, per kind of stored secret. */
export interface RotationReport {
  readonly what: string;
  /** Values re-sealed under the current key. */
  readonly rotated: number;
  /** Values already under the current key. */
  readonly current: number;
}

/**
 * Re-seals every stored secret under the secret box's current key, in one transaction: all
 * values move to the new key, or none does. Values sealed with a key that is neither current
 * nor listed as previous make it fail (`AKM_SECRET_UNKNOWN_KEY`) before anything is written.
 *
 * @example
 * ```ts
 * // AKMATORI_SECRET_KEY=<new key> AKMATORI_SECRET_KEY_PREVIOUS=<old key>
 * await rotateSecrets(database, openSecretBox(config));
 * ```
 */
export async function rotateSecrets(
  database: Database,
  secretBox: SecretBox,
  locations: readonly SealedValueLocation[] = sealedValueLocations,
): Promise<RotationReport[]> {
  return database.transaction(async (sql) => {
    const reports: RotationReport[] = [];
    for (const location of locations) {
      let rotated = 0;
      let current = 0;
      for (const value of await location.read(sql)) {
        if (!secretBox.needsRotation(value.sealed)) {
          current += 1;
          continue;
        }
        await location.write(sql, value.id, secretBox.rotate(value.sealed, value.context));
        rotated += 1;
      }
      reports.push({ what: location.what, rotated, current });
    }
    return reports;
  });
}
