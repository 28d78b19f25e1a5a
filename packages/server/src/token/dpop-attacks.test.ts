// RFC 9449 §4.3 checks, as attacks on the token endpoint that must fail.
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createDpopProof, newDpopKey } from '@keyless/protocol';
import { newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness, type Harness, type LoginAttempt } from '../testing/harness.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A hand-made proof, so each test can break exactly one thing. */
function forgeProof(attempt: LoginAttempt, overrides: { header?: Record<string, unknown>; claims?: Record<string, unknown> }, h: Harness): string {
  const jwk = attempt.key.export({ format: 'jwk' });
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, ...overrides.header };
  const claims = { jti: crypto.randomUUID(), htm: 'POST', htu: h.tokenUrl, iat: Math.floor(h.clock.now() / 1000), ...overrides.claims };
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: attempt.key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe('DPoP proof checks on /v1/token', () => {
  let h: Harness;
  let attempt: LoginAttempt;
  let refreshToken: string;
  before(async () => {
    h = await startHarness();
    attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    refreshToken = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().refreshToken;
  });
  after(() => h.close());

  const refused = async (dpop: string | null, pattern: RegExp) => {
    const response = await postToken(h, refreshBody(attempt, refreshToken), { dpop });
    assert.equal(response.status, 400, response.body);
    assert.equal(response.json().error, 'invalid_dpop_proof');
    assert.match(response.json().message, pattern);
  };

  it('requires a proof', () => refused(null, /DPoP header is required/));
  it('refuses a proof for another URL (htu)', () => refused(forgeProof(attempt, { claims: { htu: 'https://evil.example/v1/token' } }, h), /htu/));
  it('refuses a proof for another path of this server', () => refused(forgeProof(attempt, { claims: { htu: `${h.config.publicUrl}/v1/revoke` } }, h), /htu/));
  it('refuses a proof for another method (htm)', () => refused(forgeProof(attempt, { claims: { htm: 'GET' } }, h), /htm/));
  it('refuses a stale proof (iat 10 minutes ago)', () => refused(forgeProof(attempt, { claims: { iat: Math.floor(h.clock.now() / 1000) - 600 } }, h), /too old/));
  it('refuses a proof from the future', () => refused(forgeProof(attempt, { claims: { iat: Math.floor(h.clock.now() / 1000) + 600 } }, h), /future/));
  it('refuses typ other than dpop+jwt', () => refused(forgeProof(attempt, { header: { typ: 'JWT' } }, h), /typ/));
  it('refuses alg none and symmetric algs', async () => {
    await refused(forgeProof(attempt, { header: { alg: 'none' } }, h), /alg/);
    await refused(forgeProof(attempt, { header: { alg: 'HS256' } }, h), /alg/);
  });
  it('refuses a jwk that carries the private key', () => {
    const jwk = attempt.key.export({ format: 'jwk' });
    return refused(forgeProof(attempt, { header: { jwk } }, h), /private/);
  });
  it('refuses a signature by a key other than the header jwk', () => {
    const other = newDpopKey().export({ format: 'jwk' });
    return refused(forgeProof(attempt, { header: { jwk: { kty: 'EC', crv: 'P-256', x: other.x, y: other.y } } }, h), /signature/);
  });
  it('refuses a missing jti', () => refused(forgeProof(attempt, { claims: { jti: undefined } }, h), /jti/));
  it('refuses garbage', () => refused('not.a.jwt', /not a compact JWS|JSON/));

  it('refuses a replayed jti, even with a valid body', async () => {
    const proof = createDpopProof({ privateKey: attempt.key, htm: 'POST', htu: h.tokenUrl, now: h.clock.now() / 1000 });
    const first = await postToken(h, refreshBody(attempt, refreshToken), { dpop: proof });
    assert.equal(first.status, 200, first.body);
    refreshToken = first.json().refreshToken;
    const replay = await postToken(h, refreshBody(attempt, refreshToken), { dpop: proof });
    assert.equal(replay.status, 400);
    assert.match(replay.json().message, /jti replay/);
  });

  it('accepts the localhost spelling of this origin as htu', async () => {
    const proof = createDpopProof({ privateKey: attempt.key, htm: 'POST', htu: 'http://localhost:4466/v1/token?x=1', now: h.clock.now() / 1000 });
    const response = await postToken(h, refreshBody(attempt, refreshToken), { dpop: proof });
    assert.equal(response.status, 200, response.body);
    refreshToken = response.json().refreshToken;
  });
});
