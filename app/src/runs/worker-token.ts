import { randomBytes } from 'node:crypto';
import type { SecretBox, SettingsRepository } from '@akmatori/core';

/** Settings key of the generated worker token (sealed). */
export const WORKER_TOKEN_SETTING = 'worker.token';

/**
 * The token workers connect with: `AKMATORI_WORKER_TOKEN` when set, else one generated once
 * and stored sealed, so every API replica accepts the same workers and `serve` can hand it to
 * its embedded worker.
 */
export async function loadWorkerToken(
  configured: string | undefined,
  settings: SettingsRepository,
  secretBox: SecretBox,
): Promise<string> {
  if (configured !== undefined) return configured;
  let sealed = await settings.get<string>(WORKER_TOKEN_SETTING);
  if (sealed === undefined) {
    const fresh = `akw_${randomBytes(32).toString('base64url')}`;
    sealed = await settings.setIfAbsent(
      WORKER_TOKEN_SETTING,
      secretBox.seal(fresh, WORKER_TOKEN_SETTING),
    );
  }
  return secretBox.open(sealed, WORKER_TOKEN_SETTING);
}
