import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const DEFAULT_COST: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>> = { N: 2 ** 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: typeof DEFAULT_COST): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes passwords with scrypt (Node's built-in memory-hard KDF). A hash reads
 * `scrypt$N$r$p$<salt b64>$<key b64>`, so the cost can rise later without breaking old hashes.
 */
export class PasswordHasher {
  readonly #cost: typeof DEFAULT_COST;
  #dummy: Promise<string> | undefined;

  /** @param cost scrypt parameters; the default costs ~32 MiB and tens of milliseconds. */
  constructor(cost: typeof DEFAULT_COST = DEFAULT_COST) {
    this.#cost = cost;
  }

  /** Hashes a password with a fresh random salt. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.#cost);
    const { N, r, p } = this.#cost;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** True when `password` matches `hash`. Compares in constant time. */
  async verify(password: string, hash: string): Promise<boolean> {
    const [scheme, N, r, p, salt, key] = hash.split('$');
    if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), {
      N: Number(N),
      r: Number(r),
      p: Number(p),
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash('akmatori-timing-equalizer');
    await this.verify(password, await this.#dummy);
    return false;
  }
}
