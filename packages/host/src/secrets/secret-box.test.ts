import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAkmatoriError } from '@akmatori/core';
import { HostErrors } from '../errors/catalog.js';
import { generateSecretKey, SecretBox, secretKeyId } from './secret-box.js';
import { decodeSecretKey, openSecretBox, secretKeyFileName } from './secret-keys.js';

const expectCode = (fn: () => unknown, kind: { code: string }): void => {
  try {
    fn();
  } catch (error) {
    expect(isAkmatoriError(error, kind), `expected ${kind.code}, got ${String(error)}`).toBe(true);
    return;
  }
  expect.fail(`expected ${kind.code} to be thrown`);
};

describe('SecretBox', () => {
  it('round-trips a secret, and the sealed form carries the key id but not the plaintext', () => {
    const key = generateSecretKey();
    const box = new SecretBox(key);
    const sealed = box.seal('hunter2 ünïcode 🔑', 'tool:1:password');
    expect(sealed.startsWith(`akm1:${secretKeyId(key)}:`)).toBe(true);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'tool:1:password')).toBe('hunter2 ünïcode 🔑');
  });

  it('seals the same plaintext differently each time (fresh IV)', () => {
    const box = new SecretBox(generateSecretKey());
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('rejects a value whose ciphertext was altered by one bit', () => {
    const box = new SecretBox(generateSecretKey());
    const [format, keyId, payload] = box.seal('top secret').split(':') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 0x01;
    expectCode(
      () => box.open(`${format}:${keyId}:${bytes.toString('base64url')}`),
      HostErrors.AKM_SECRET_TAMPERED,
    );
  });

  it('rejects a value whose authentication tag was altered', () => {
    const box = new SecretBox(generateSecretKey());
    const [format, keyId, payload] = box.seal('top secret').split(':') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x80;
    expectCode(
      () => box.open(`${format}:${keyId}:${bytes.toString('base64url')}`),
      HostErrors.AKM_SECRET_TAMPERED,
    );
  });

  it('rejects a value moved to another field (different context)', () => {
    const box = new SecretBox(generateSecretKey());
    const sealed = box.seal('pw', 'tool:1:password');
    expectCode(() => box.open(sealed, 'tool:2:password'), HostErrors.AKM_SECRET_TAMPERED);
  });

  it('rejects malformed values and values sealed with an unknown key', () => {
    const box = new SecretBox(generateSecretKey());
    expectCode(() => box.open('plaintext'), HostErrors.AKM_SECRET_MALFORMED);
    expectCode(() => box.open('akm1:abcd1234:AAAA'), HostErrors.AKM_SECRET_MALFORMED);
    const other = new SecretBox(generateSecretKey()).seal('x');
    expectCode(() => box.open(other), HostErrors.AKM_SECRET_UNKNOWN_KEY);
  });

  it('rotates: old values still open with the previous key, and rotate() re-seals under the new one', () => {
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const sealedOld = new SecretBox(oldKey).seal('db-password', 'ctx');
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(sealedOld, 'ctx')).toBe('db-password');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const resealed = rotated.rotate(sealedOld, 'ctx');
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(resealed.split(':')[1]).toBe(secretKeyId(newKey));
    expect(new SecretBox(newKey).open(resealed, 'ctx')).toBe('db-password');
    expect(rotated.rotate(resealed, 'ctx')).toBe(resealed);
  });

  it('refuses keys that are not 32 bytes', () => {
    expectCode(() => new SecretBox(Buffer.alloc(16)), HostErrors.AKM_SECRET_KEY_INVALID);
  });
});

describe('secret keys', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'akm-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('decodes a key written as hex, base64 or base64url', () => {
    const key = generateSecretKey();
    expect(decodeSecretKey(key.toString('hex'), 'test')).toEqual(key);
    expect(decodeSecretKey(key.toString('base64'), 'test')).toEqual(key);
    expect(decodeSecretKey(` ${key.toString('base64url')}\n`, 'test')).toEqual(key);
  });

  it('explains what a valid key looks like when given a passphrase', () => {
    expect(() => decodeSecretKey('correct horse battery staple', 'AKMATORI_SECRET_KEY')).toThrow(
      /AKMATORI_SECRET_KEY.*openssl rand -base64 32/,
    );
  });

  it('uses AKMATORI_SECRET_KEY when set and writes no key file', () => {
    const dir = tempDir();
    const key = generateSecretKey();
    const box = openSecretBox({
      secretKey: key.toString('base64'),
      previousSecretKeys: [],
      dataDir: dir,
    });
    expect(box.currentKeyId).toBe(secretKeyId(key));
    expect(() => statSync(path.join(dir, secretKeyFileName))).toThrow();
  });

  it('creates a key file with mode 0600 on first start and reuses it afterwards', () => {
    const dir = tempDir();
    const first = openSecretBox({ secretKey: undefined, previousSecretKeys: [], dataDir: dir });
    const file = path.join(dir, secretKeyFileName);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = first.seal('persisted');
    const second = openSecretBox({ secretKey: undefined, previousSecretKeys: [], dataDir: dir });
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(second.open(sealed)).toBe('persisted');
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
  });

  it.each([0o644, 0o640, 0o604, 0o620, 0o602, 0o610])(
    'refuses a key file with mode %o and says which chmod to run',
    (mode) => {
      const dir = tempDir();
      const file = path.join(dir, secretKeyFileName);
      writeFileSync(file, generateSecretKey().toString('base64'));
      chmodSync(file, mode);
      expect(() =>
        openSecretBox({ secretKey: undefined, previousSecretKeys: [], dataDir: dir }),
      ).toThrow(
        expect.objectContaining({
          code: 'AKM_SECRET_KEY_FILE_EXPOSED',
          message: expect.stringContaining(`run: chmod 600 ${file}`),
        }),
      );
    },
  );

  it('quotes a key file path with spaces in the chmod it suggests', () => {
    const dir = path.join(tempDir(), "data dir's");
    mkdirSync(dir);
    const file = path.join(dir, secretKeyFileName);
    writeFileSync(file, generateSecretKey().toString('base64'), { mode: 0o640 });
    chmodSync(file, 0o640);
    expect(() =>
      openSecretBox({ secretKey: undefined, previousSecretKeys: [], dataDir: dir }),
    ).toThrow(`run: chmod 600 '${file.replace("'", `'\\''`)}'`);
  });

  it('reads a key file only its owner can read (0400 too)', () => {
    const dir = tempDir();
    const file = path.join(dir, secretKeyFileName);
    const key = generateSecretKey();
    writeFileSync(file, key.toString('base64'));
    chmodSync(file, 0o400);
    const box = openSecretBox({ secretKey: undefined, previousSecretKeys: [], dataDir: dir });
    expect(box.currentKeyId).toBe(secretKeyId(key));
  });

  it('accepts previous keys for decryption during rotation', () => {
    const oldKey = generateSecretKey();
    const sealed = new SecretBox(oldKey).seal('old');
    const box = openSecretBox({
      secretKey: generateSecretKey().toString('hex'),
      previousSecretKeys: [oldKey.toString('base64')],
      dataDir: tempDir(),
    });
    expect(box.open(sealed)).toBe('old');
  });
});
