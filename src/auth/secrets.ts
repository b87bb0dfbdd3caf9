import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the library's default algorithm) with OWASP's minimum parameters. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Random tokens and API keys carry 256 bits of entropy, so a fast SHA-256 hash is
 * enough to store them safely (unlike passwords, they cannot be guessed).
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_KEY_PREFIX = 'ct_';

/** `ct_<8-char lookup id>_<secret>`: the id finds the row, the whole key is hashed. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = `${API_KEY_PREFIX}${randomBytes(6).toString('base64url')}`;
  return { key: `${prefix}_${randomToken()}`, prefix };
}

export function apiKeyPrefix(key: string): string | undefined {
  const match = /^(ct_[\w-]{8})_[\w-]{43}$/.exec(key);
  return match?.[1];
}
