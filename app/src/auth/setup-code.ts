import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@akmatori/core';
import type { ResolvedConfig, SecretBox, SettingsRepository } from '@akmatori/host';
import { AppErrors } from '../errors.js';

/** Settings key of the one-time setup code (sealed). */
export const SETUP_CODE_SETTING = 'auth.setup_code';

/** 32 letters and digits nobody misreads: no 0/O, no 1/I. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LENGTH = 12;

/**
 * Whether first-run setup needs the one-time setup code: when the API is reachable from other
 * machines, that is bound to anything but loopback, or behind a reverse proxy
 * (`AKMATORI_TRUSTED_PROXY_HOPS` above 0), which forwards other machines' requests to a
 * loopback bind.
 *
 * @example
 * ```ts
 * setupCodeNeeded({ host: '0.0.0.0', trustedProxyHops: 0 }); // true
 * setupCodeNeeded({ host: '127.0.0.1', trustedProxyHops: 0 }); // false
 * ```
 */
export function setupCodeNeeded(
  config: Pick<ResolvedConfig, 'host' | 'trustedProxyHops'>,
): boolean {
  if (config.trustedProxyHops > 0) return true;
  const host = config.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return !loopback;
}

/**
 * The one-time setup code that first-run setup (`POST /auth/setup`) needs on a server others
 * can reach, so the first visitor of a fresh server cannot claim it. Generated once and stored
 * sealed in settings, so every replica prints and accepts the same code; deleted once setup is
 * done. Formatted `XXXX-XXXX-XXXX` (60 random bits); dashes, spaces and case do not matter when
 * it is entered.
 */
export class SetupCode {
  /** Whether setup needs the code on this server (see {@link setupCodeNeeded}). */
  readonly needed: boolean;
  readonly #settings: SettingsRepository;
  readonly #secretBox: SecretBox;

  constructor(deps: { needed: boolean; settings: SettingsRepository; secretBox: SecretBox }) {
    this.needed = deps.needed;
    this.#settings = deps.settings;
    this.#secretBox = deps.secretBox;
  }

  /**
   * The code to print: the stored one, or a new one stored first (by whichever replica gets
   * there first).
   */
  async issue(): Promise<string> {
    let sealed = await this.#settings.get<string>(SETUP_CODE_SETTING);
    sealed ??= await this.#settings.setIfAbsent(
      SETUP_CODE_SETTING,
      this.#secretBox.seal(generateCode(), SETUP_CODE_SETTING),
    );
    return this.#secretBox.open(sealed, SETUP_CODE_SETTING);
  }

  /**
   * Lets setup go on when no code is needed or `given` is the stored code; otherwise throws
   * `AKM_SETUP_CODE_REQUIRED` (none given) or `AKM_SETUP_CODE_INVALID`.
   */
  async check(given: string | undefined): Promise<void> {
    if (!this.needed) return;
    if (given === undefined || normalize(given) === '') throw AppErrors.AKM_SETUP_CODE_REQUIRED();
    const sealed = await this.#settings.get<string>(SETUP_CODE_SETTING);
    if (sealed === undefined) throw AppErrors.AKM_SETUP_CODE_INVALID();
    const expected = this.#secretBox.open(sealed, SETUP_CODE_SETTING);
    if (!sameCode(given, expected)) throw AppErrors.AKM_SETUP_CODE_INVALID();
  }

  /** Voids the code once setup is done. */
  async retire(): Promise<void> {
    await this.#settings.delete(SETUP_CODE_SETTING);
  }
}

function generateCode(): string {
  // 32 symbols divide 256 evenly, so taking 5 bits of each byte is unbiased.
  const symbols = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]);
  return [0, 4, 8].map((start) => symbols.slice(start, start + 4).join('')).join('-');
}

function normalize(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

function sameCode(given: string, expected: string): boolean {
  const digest = (code: string): Buffer => createHash('sha256').update(normalize(code)).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * At start: when setup is still pending and needs the code, makes sure it exists and writes it
 * to the log (the operator reads it there). Returns it, or undefined when none is needed.
 *
 * @example
 * ```ts
 * await announceSetupCode(setupCode, await admin.setupRequired(), log);
 * ```
 */
export async function announceSetupCode(
  setupCode: SetupCode,
  setupRequired: boolean,
  log: Logger,
): Promise<string | undefined> {
  if (!setupRequired || !setupCode.needed) return undefined;
  const code = await setupCode.issue();
  log.warn(
    `first-run setup is open to anyone who can reach this server, so it needs this one-time setup code: ${code} (POST /auth/setup with {"password": ..., "setup_code": "${code}"}, or set ADMIN_PASSWORD)`,
  );
  return code;
}
