import {
  constants,
  openSync,
  readFileSync,
  statSync,
  writeSync,
  closeSync,
  mkdirSync,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import { HostErrors } from '../errors/catalog.js';
import { generateSecretKey, SecretBox } from './secret-box.js';

/** File name of the generated key inside the data directory. */
export const secretKeyFileName = 'secret.key';

/**
 * Decodes a configured key: 32 bytes written as 64 hex digits or as base64/base64url.
 * `source` names where it came from, for the error message.
 */
export function decodeSecretKey(text: string, source: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64')
      : undefined;
  if (key === undefined || key.length !== 32) {
    throw HostErrors.AKM_SECRET_KEY_INVALID({
      source,
      reason:
        'expected 32 random bytes as 64 hex digits or 44 base64 characters (try: openssl rand -base64 32)',
    });
  }
  return key;
}

/** Where the secret box's keys come from. */
export interface SecretKeySettings {
  /** Key from the environment (`AKMATORI_SECRET_KEY`), if set. */
  readonly secretKey: string | undefined;
  /** Older keys still accepted for decryption. */
  readonly previousSecretKeys: readonly string[];
  /** Data directory holding the generated key file when no key is configured. */
  readonly dataDir: string;
}

/**
 * Builds the secret box. The key is `AKMATORI_SECRET_KEY` when set; otherwise the key file
 * in the data directory, created with mode 0600 on first start. A key file any group or
 * other permission bit is set on (readable, writable or executable by others) is refused
 * with `AKM_SECRET_KEY_FILE_EXPOSED`, whose message gives the `chmod 600` to run.
 */
export function openSecretBox(settings: SecretKeySettings, log?: Logger): SecretBox {
  const previous = settings.previousSecretKeys.map((key, index) =>
    decodeSecretKey(key, `AKMATORI_SECRET_KEY_PREVIOUS[${index}]`),
  );
  if (settings.secretKey !== undefined) {
    return new SecretBox(decodeSecretKey(settings.secretKey, 'AKMATORI_SECRET_KEY'), previous);
  }
  return new SecretBox(
    readOrCreateKeyFile(path.join(settings.dataDir, secretKeyFileName), log),
    previous,
  );
}

function readOrCreateKeyFile(file: string, log: Logger | undefined): Buffer {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const key = generateSecretKey();
    try {
      writeSync(fd, `${key.toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
    log?.warn(
      { file },
      'generated a new secret key; back it up: encrypted settings cannot be read without it',
    );
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const absolute = path.resolve(file);
    throw HostErrors.AKM_SECRET_KEY_FILE_EXPOSED({
      path: absolute,
      mode: mode.toString(8).padStart(4, '0'),
      chmod: `chmod 600 ${shellWord(absolute)}`,
    });
  }
  return decodeSecretKey(readFileSync(file, 'utf8'), file);
}

/** `text` as one POSIX shell word: as it is when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
