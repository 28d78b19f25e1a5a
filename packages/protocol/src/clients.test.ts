import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CROSS_DEVICE_CLIENT_ID, SAME_DEVICE_CLIENT_ID, isAllowedRedirectUri } from './clients.ts';
import { codeChallengeOf, createCodeVerifier, verifierMatchesChallenge, CODE_VERIFIER_PATTERN } from './pkce.ts';
import { decodeVerificationCode, encodeVerificationCode } from './verification-code.ts';
import { jwkThumbprint, normalizeHtu } from './dpop.ts';

describe('redirect URIs (RFC 8252 §7.3, PROTOCOL.md §1)', () => {
  const base = 'https://signin.example.com';
  const allowed = ['http://127.0.0.1:53037/oauth/callback', 'http://127.0.0.1:1/oauth/callback', 'http://[::1]:8080/oauth/callback'];
  const refused = [
    'http://localhost:53037/oauth/callback',
    'http://127.0.0.1:53037/oauth/callback/',
    'http://127.0.0.1:53037/oauth/callback?x=1',
    'http://127.0.0.1:53037/oauth/callback#f',
    'http://127.0.0.1:053037/oauth/callback',
    'http://127.0.0.2:53037/oauth/callback',
    'https://127.0.0.1:53037/oauth/callback',
    'http://a@127.0.0.1:53037/oauth/callback',
    'http://127.0.0.1:53037/oauth/%63allback',
    'http://127.0.0.1:53037/oauth/x/../callback',
    `${base}/v1/sessions/confirmation`,
  ];
  for (const uri of allowed) it(`allows ${uri} for the same-device client`, () => assert.equal(isAllowedRedirectUri(SAME_DEVICE_CLIENT_ID, uri, base), true));
  for (const uri of refused) it(`refuses ${uri} for the same-device client`, () => assert.equal(isAllowedRedirectUri(SAME_DEVICE_CLIENT_ID, uri, base), false));
  it('allows only this server\'s confirmation page for the cross-device client', () => {
    assert.equal(isAllowedRedirectUri(CROSS_DEVICE_CLIENT_ID, `${base}/v1/sessions/confirmation`, base), true);
    assert.equal(isAllowedRedirectUri(CROSS_DEVICE_CLIENT_ID, 'https://evil.example/v1/sessions/confirmation', base), false);
    assert.equal(isAllowedRedirectUri(CROSS_DEVICE_CLIENT_ID, allowed[0]!, base), false);
  });
});

describe('PKCE (RFC 7636)', () => {
  it('matches the RFC 7636 appendix B example', () => {
    assert.equal(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('creates 64-character verifiers of the unreserved set', () => {
    const verifier = createCodeVerifier();
    assert.equal(verifier.length, 64);
    assert.match(verifier, CODE_VERIFIER_PATTERN);
    assert.notEqual(verifier, createCodeVerifier());
  });
  it('verifies only the matching verifier', () => {
    const verifier = createCodeVerifier();
    assert.equal(verifierMatchesChallenge(verifier, codeChallengeOf(verifier)), true);
    assert.equal(verifierMatchesChallenge(createCodeVerifier(), codeChallengeOf(verifier)), false);
    assert.equal(verifierMatchesChallenge(verifier, 'short'), false);
  });
});

describe('cross-device verification code (PROTOCOL.md §1)', () => {
  it('is padded standard base64 of code=…&state=…', () => {
    const encoded = encodeVerificationCode('abc', 'st8');
    assert.equal(Buffer.from(encoded, 'base64').toString(), 'code=abc&state=st8');
    assert.deepEqual(decodeVerificationCode(` ${encoded}\n`), { code: 'abc', state: 'st8' });
  });
  it('refuses what is not one', () => {
    assert.equal(decodeVerificationCode('not base64!'), undefined);
    assert.equal(decodeVerificationCode(Buffer.from('code=abc').toString('base64')), undefined);
  });
});

describe('DPoP helpers', () => {
  it('computes the RFC 7638 §3.1 thumbprint shape for EC keys', () => {
    // Member order and no whitespace are what make thumbprints interoperable.
    const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    const again = jwkThumbprint({ ...jwk });
    assert.equal(jwkThumbprint(jwk), again);
    assert.match(again, /^[A-Za-z0-9_-]{43}$/);
  });
  it('normalises htu: case, default port, query and fragment', () => {
    assert.equal(normalizeHtu('HTTPS://Signin.Example.com:443/v1/token?x=1#f'), 'https://signin.example.com/v1/token');
    assert.equal(normalizeHtu('ftp://x/v1/token'), undefined);
  });
});
