import type { SecretBox, SettingsRepository } from '@akmatori/host';
import { createRunTokenKeys, type RunTokenKeys } from '@akmatori/gateway';
import type { JWK } from 'jose';
import { GatewaySettingKeys } from './gateway-settings.js';

/**
 * The run token key pair: created once and stored (the private key sealed, the public key in
 * clear for the gateway), so every API replica signs with the same key. When two processes
 * start at once, the first to store wins and both use its key.
 */
export async function loadRunTokenKeys(
  settings: SettingsRepository,
  secretBox: SecretBox,
): Promise<RunTokenKeys> {
  const context = GatewaySettingKeys.runTokenPrivateKey;
  let sealed = await settings.get<string>(context);
  if (sealed === undefined) {
    const fresh = await createRunTokenKeys();
    sealed = await settings.setIfAbsent(
      context,
      secretBox.seal(JSON.stringify(fresh.privateJwk), context),
    );
  }
  const privateJwk = JSON.parse(secretBox.open(sealed, context)) as JWK;
  const publicJwk: JWK = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x };
  const stored = await settings.get<JWK>(GatewaySettingKeys.runTokenPublicKey);
  if (stored?.x !== publicJwk.x)
    await settings.set(GatewaySettingKeys.runTokenPublicKey, publicJwk);
  return { privateJwk, publicJwk };
}
