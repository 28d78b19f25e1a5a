// ID token validation with the injected clock: the edges of exp, iat and the tolerance, and the
// algorithm allow-list (the HTTP suite attacks the rest through a real provider).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { manualClock } from '../clock.ts';
import { FederationError } from './errors.ts';
import { CLOCK_TOLERANCE_SECONDS, MAX_ID_TOKEN_AGE_SECONDS, verifyIdToken } from './verify-id-token.ts';

const ISSUER = 'https://sso.example.com';
const EXPECTED = { issuer: ISSUER, clientId: 'keyless', nonce: 'n-1' };
const T0 = 1_800_000_000;

describe('verifyIdToken', async () => {
  const rsa = await generateKeyPair('RS256');
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'r1', alg: 'RS256' }] });
  const token = (claims: JWTPayload = {}) =>
    new SignJWT({ iss: ISSUER, aud: 'keyless', sub: 'u1', nonce: 'n-1', iat: T0, exp: T0 + 300, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'r1' }).sign(rsa.privateKey);
  const at = (seconds: number) => manualClock(seconds * 1000);
  const refused = (error: unknown) => error instanceof FederationError && error.code === 'InvalidIdToken';

  it('returns the claims of a good token', async () => {
    const claims = await verifyIdToken(await token({ email: 'a@example.com', azp: 'keyless' }), keys, EXPECTED, at(T0 + 10));
    assert.equal(claims.email, 'a@example.com');
  });

  it('honours exp with the tolerance, by the injected clock', async () => {
    const good = await token();
    await verifyIdToken(good, keys, EXPECTED, at(T0 + 300 + CLOCK_TOLERANCE_SECONDS - 1));
    await assert.rejects(verifyIdToken(good, keys, EXPECTED, at(T0 + 300 + CLOCK_TOLERANCE_SECONDS + 1)), refused);
  });

  it('refuses a token issued in the future or too long ago', async () => {
    await assert.rejects(verifyIdToken(await token({ iat: T0 + 600, exp: T0 + 900 }), keys, EXPECTED, at(T0)), refused);
    const old = await token({ iat: T0, exp: T0 + 7200 });
    await verifyIdToken(old, keys, EXPECTED, at(T0 + MAX_ID_TOKEN_AGE_SECONDS - 1));
    await assert.rejects(verifyIdToken(old, keys, EXPECTED, at(T0 + MAX_ID_TOKEN_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS + 1)), refused);
  });

  it('allows only asymmetric algorithms: HS256 with a shared key is refused even when the key set holds it', async () => {
    const secret = new TextEncoder().encode('the-client-secret-the-client-secret');
    const withOct = createLocalJWKSet({ keys: [{ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'h1', alg: 'HS256' }] });
    const hs = await new SignJWT({ iss: ISSUER, aud: 'keyless', sub: 'u1', nonce: 'n-1', iat: T0, exp: T0 + 300 }).setProtectedHeader({ alg: 'HS256', kid: 'h1' }).sign(secret);
    await assert.rejects(verifyIdToken(hs, withOct, EXPECTED, at(T0)), refused);
  });

  it('refuses an empty sub and a missing nonce', async () => {
    await assert.rejects(verifyIdToken(await token({ sub: '' }), keys, EXPECTED, at(T0)), refused);
    await assert.rejects(verifyIdToken(await token({ nonce: undefined }), keys, EXPECTED, at(T0)), refused);
  });
});
