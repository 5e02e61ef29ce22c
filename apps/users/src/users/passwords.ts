import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { unboundedSlots, type HashSlots } from './hash-slots';

/**
 * Passwords are kept only as scrypt hashes (node:crypto; memory-hard, salted per user). The
 * stored form names its own parameters, `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, so the cost can be
 * raised later without invalidating existing hashes.
 */
const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

const derive = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const scryptOptions = (cost: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** cost,
  r,
  p,
  // scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is exactly that at cost 15.
  maxmem: 256 * 2 ** cost * r,
});

/** Every hash and check runs in one of `slots` (see hashSlots). */
export function passwordHasher(cost: number, slots: HashSlots = unboundedSlots) {
  return {
    hash: async (password: string): Promise<string> => {
      const salt = randomBytes(16);
      const key = await slots.run(() => derive(password, salt, scryptOptions(cost, BLOCK_SIZE, PARALLELISM)));
      return ['scrypt', cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
    },

    /** Constant-time comparison; an empty or malformed stored hash never matches. */
    verify: async (password: string, stored: string): Promise<boolean> => {
      const [scheme, storedCost, r, p, salt, key] = stored.split('$');
      if (scheme !== 'scrypt' || !salt || !key) return false;
      const expected = Buffer.from(key, 'base64');
      const actual = await slots.run(() => derive(password, Buffer.from(salt, 'base64'), scryptOptions(Number(storedCost), Number(r), Number(p))));
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

export type PasswordHasher = ReturnType<typeof passwordHasher>;
