// Tasks 3 and 4 of SigV4 (AWS General Reference, "Calculate the signature"):
//
//   kDate = HMAC("AWS4" + secret, Date); kRegion = HMAC(kDate, Region);
//   kService = HMAC(kRegion, Service); kSigning = HMAC(kService, "aws4_request")
//   signature = HexEncode(HMAC(kSigning, StringToSign))
import { createHmac } from 'node:crypto';
import { sha256 } from './sha256.ts';
import { SCOPE_TERMINATOR, type CredentialScope } from './string-to-sign.ts';

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function deriveSigningKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, SCOPE_TERMINATOR);
}

export const calculateSignature = (signingKey: Buffer, stringToSign: string): string =>
  createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');

export type SigningKeyDeriver = (secretAccessKey: string, scope: CredentialScope) => Buffer;

/** One secret's signing key for a scope. */
export type ScopedSigningKey = (scope: CredentialScope) => Buffer;

const sameScope = (a: CredentialScope, b: CredentialScope): boolean =>
  a.date === b.date && a.region === b.region && a.service === b.service;

/**
 * The signing keys of one secret, for a store that keeps the credential in memory: each derived
 * once per scope and kept beside the secret, so a repeat call neither derives nor hashes the
 * secret to find it in a shared memo. A credential signs for few scopes (one region and service,
 * one or two days of its life); a caller naming others evicts the oldest. Callers must not
 * mutate the Buffer.
 */
export function signingKeysOf(secretAccessKey: string, maxScopes = 4): ScopedSigningKey {
  const derived: { scope: CredentialScope; key: Buffer }[] = [];
  return (scope) => {
    for (const entry of derived) if (sameScope(entry.scope, scope)) return entry.key;
    const key = deriveSigningKey(secretAccessKey, scope);
    derived.push({ scope: { date: scope.date, region: scope.region, service: scope.service }, key });
    if (derived.length > maxScopes) derived.shift();
    return key;
  };
}

/**
 * A signing key is valid for one (secret, day, region, service), so a credential that calls
 * many times a day costs four HMACs once. Keyed by a digest of the secret, so the memo's keys
 * do not hold secrets; least recently used entries go first. Callers must not mutate the Buffer.
 */
export function createSigningKeyMemo(maxEntries = 256): SigningKeyDeriver {
  const memo = new Map<string, Buffer>();
  return (secretAccessKey, scope) => {
    const secretDigest = sha256(secretAccessKey, 'base64');
    const key = `${secretDigest}/${scope.date}/${scope.region}/${scope.service}`;
    const found = memo.get(key);
    if (found) {
      memo.delete(key);
      memo.set(key, found);
      return found;
    }
    const derived = deriveSigningKey(secretAccessKey, scope);
    memo.set(key, derived);
    if (memo.size > maxEntries) memo.delete(memo.keys().next().value!);
    return derived;
  };
}

/** The process-wide memo `verifySigV4` uses unless given its own. Pure: same input, same key. */
export const signingKeyFor: SigningKeyDeriver = createSigningKeyMemo();
