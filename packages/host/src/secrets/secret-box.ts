import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { HostErrors } from '../errors/catalog.js';

const FORMAT = 'akm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte AES key with the short id that sealed values carry. */
export interface SecretKey {
  /** Eight hex characters derived from the key; appears in every value it seals. */
  readonly id: string;
  /** The raw key. */
  readonly key: Buffer;
}

/** Derives the key id: the first 8 hex digits of SHA-256 over the key. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Encrypts secrets at rest with AES-256-GCM. A sealed value reads
 * `akm1:<key id>:<base64url(iv | ciphertext | tag)>`; the key id lets old keys keep
 * decrypting during a rotation while new values use the current key. An optional
 * `context` string is bound in as associated data, so a value sealed for one field
 * cannot be pasted into another.
 *
 * @example
 * ```ts
 * const box = new SecretBox(generateSecretKey());
 * const sealed = box.seal('hunter2', 'tool:42:password');
 * box.open(sealed, 'tool:42:password'); // 'hunter2'
 * ```
 */
export class SecretBox {
  readonly #current: SecretKey;
  readonly #byId: ReadonlyMap<string, SecretKey>;

  /** @param current key that seals new values; @param previous keys still accepted when opening. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.#current = toSecretKey(current);
    const keys = [this.#current, ...previous.map(toSecretKey)];
    this.#byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** Id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext`, binding the optional `context`. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return `${FORMAT}:${this.#current.id}:${sealed}`;
  }

  /**
   * Decrypts a sealed value. Throws `AKM_SECRET_TAMPERED` if it was altered or sealed with
   * another context, `AKM_SECRET_UNKNOWN_KEY` if its key is not configured.
   */
  open(sealed: string, context = ''): string {
    const { keyId, payload } = parseSealed(sealed);
    const key = this.#byId.get(keyId);
    if (key === undefined) throw HostErrors.AKM_SECRET_UNKNOWN_KEY({ keyId });
    const iv = payload.subarray(0, IV_BYTES);
    const tag = payload.subarray(payload.length - TAG_BYTES);
    const body = payload.subarray(IV_BYTES, payload.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw HostErrors.AKM_SECRET_TAMPERED(undefined, { cause: error });
    }
  }

  /** True when `sealed` was made with a key other than the current one. */
  needsRotation(sealed: string): boolean {
    return parseSealed(sealed).keyId !== this.#current.id;
  }

  /** Re-seals a value under the current key (a no-op copy when it already uses it). */
  rotate(sealed: string, context = ''): string {
    return this.needsRotation(sealed) ? this.seal(this.open(sealed, context), context) : sealed;
  }

  /** True when `value` looks like a sealed secret. */
  static isSealed(value: string): boolean {
    return value.startsWith(`${FORMAT}:`);
  }
}

/** Makes a fresh random 32-byte key. */
export function generateSecretKey(): Buffer {
  return randomBytes(32);
}

function toSecretKey(key: Buffer): SecretKey {
  if (key.length !== 32) {
    throw HostErrors.AKM_SECRET_KEY_INVALID({
      source: 'SecretBox',
      reason: `AES-256 needs 32 bytes, got ${key.length}`,
    });
  }
  return Object.freeze({ id: secretKeyId(key), key: Buffer.from(key) });
}

function parseSealed(sealed: string): { keyId: string; payload: Buffer } {
  const parts = sealed.split(':');
  const [format, keyId, encoded] = parts;
  if (parts.length !== 3 || format !== FORMAT || keyId === undefined || encoded === undefined) {
    throw HostErrors.AKM_SECRET_MALFORMED();
  }
  const payload = Buffer.from(encoded, 'base64url');
  if (payload.length < IV_BYTES + TAG_BYTES) throw HostErrors.AKM_SECRET_MALFORMED();
  return { keyId, payload };
}
