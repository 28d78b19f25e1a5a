// PKCE (RFC 7636) as `aws login` uses it: method `SHA-256` (AWS's spelling) or `S256`, never `plain`.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Base64url } from './encoding.ts';

export const PKCE_METHODS = ['SHA-256', 'S256'] as const;
export type PkceMethod = (typeof PKCE_METHODS)[number];

/** RFC 7636 §4.1 unreserved characters, 43–128 long (model shape `CodeVerifier`). */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
/** base64url(SHA-256(verifier)) without padding is always exactly 43 characters. */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const isPkceMethod = (value: unknown): value is PkceMethod => value === 'SHA-256' || value === 'S256';

const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A 64-character verifier, like the AWS CLI's: uniform over the first 64 symbols (6 bits per character). */
export function createCodeVerifier(length = 64): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += VERIFIER_ALPHABET[byte & 63];
  return out;
}

export const codeChallengeOf = (verifier: string): string => sha256Base64url(verifier);

/** RFC 7636 §4.6, compared in constant time. */
export function verifierMatchesChallenge(verifier: string, challenge: string): boolean {
  const actual = Buffer.from(codeChallengeOf(verifier));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
