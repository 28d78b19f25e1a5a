// Identifiers in AWS's shapes, from injected randomness so tests can pin them.
import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

export interface Random {
  bytes(count: number): Buffer;
  uuid(): string;
}

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * CSPRNG bytes drawn from a pool, as Node does for randomUUID: each call into OpenSSL costs
 * microseconds whatever its size, and a refresh needs six small draws (token, key id, secret,
 * session token, two IVs). Every pool is filled once and each of its bytes handed out once.
 */
export function pooledRandomBytes(count: number): Buffer {
  if (count > POOL_BYTES / 8) return randomBytes(count);
  if (used + count > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    used = 0;
  }
  const out = pool.subarray(used, used + count);
  used += count;
  return out;
}

export const systemRandom: Random = { bytes: pooledRandomBytes, uuid: () => randomUUID() };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Uppercase base32, as in AWS key and principal ids. */
function base32(random: Random, length: number): string {
  const bytes = random.bytes(length);
  let out = '';
  for (const byte of bytes) out += BASE32[byte & 31];
  return out;
}

/** The same 32 characters in the order strings compare ('2' < 'A'), for digits that must sort. */
const SORTED_BASE32 = '234567ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `count` characters of `value`'s low 5 × count bits, most significant first, sorting as the number does. */
function sortableBase32(value: number, count: number): string {
  let out = '';
  for (let i = count - 1; i >= 0; i--) out += SORTED_BASE32[Math.floor(value / 2 ** (5 * i)) % 32];
  return out;
}

/**
 * `ASIA` + 16: a temporary access key id, in the order keys are issued: 8 characters of the
 * issuing millisecond (40 bits, so the order wraps every 35 years), then 8 random. Issued in
 * order, key ids join the credentials table and the audit lookup's AccessKeyId index at their
 * ends, where random ids dirtied a random page of each on every refresh (bench/audit-README.md,
 * stop 11). The 40 random bits make two keys of one millisecond collide once in ~10^12 pairs: at
 * 5,000 refreshes a second, one refresh in a few years fails on the credentials' key (and its
 * retry succeeds). A key id is an identifier, not a secret.
 */
export const newAccessKeyId = (random: Random, now: number) => `ASIA${sortableBase32(Math.max(0, Math.floor(now)), 8)}${base32(random, 8)}`;
/** `AIDA` + 17: an IAM user's unique id. */
export const newUserId = (random: Random) => `AIDA${base32(random, 17)}`;
/** 40 characters of base64, like AWS secret access keys. */
export const newSecretAccessKey = (random: Random) => random.bytes(30).toString('base64');
/** An opaque session token; only its digest is kept. */
export const newSessionToken = (random: Random) => `IQoKbGVzcw${random.bytes(96).toString('base64')}`;
/** Refresh tokens carry the `ASOR` prefix of the model's RevocationToken pattern; 256 bits of entropy. */
export const newRefreshToken = (random: Random) => `ASOR${random.bytes(32).toString('base64url')}`;
/** Authorization codes: 256 bits, URL-safe (PROTOCOL.md §1 allows up to 512 characters). */
export const newAuthorizationCode = (random: Random) => random.bytes(32).toString('base64url');
/** 12 digits, not starting with 0. */
export function newAccountId(random: Random): string {
  const digits = [...random.bytes(12)].map((b) => b % 10);
  if (digits[0] === 0) digits[0] = 1;
  return digits.join('');
}
export const newSessionId = (random: Random) => random.bytes(18).toString('base64url');
