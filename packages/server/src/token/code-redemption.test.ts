// Code redemption, and the attacks on it that must fail (PROTOCOL.md §1–2, RFC 6749 §4.1, RFC 7636).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { CROSS_DEVICE_CLIENT_ID, createCodeVerifier } from '@keyless/protocol';
import { newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness, ACCOUNT_ID, USER_NAME, type Harness } from '../testing/harness.ts';

describe('authorization_code grant', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('issues ASIA credentials, a rotating refresh token and a signed id token', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    assert.ok(code.length >= 43, 'a code carries at least 128 bits');
    const response = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(response.status, 200, response.body);
    const body = response.json();
    assert.match(body.accessToken.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(body.accessToken.secretAccessKey.length, 40);
    assert.ok(body.accessToken.sessionToken.length > 100);
    assert.equal(body.tokenType, 'aws_sigv4');
    assert.equal(body.expiresIn, 900);
    assert.match(body.refreshToken, /^ASOR[A-Za-z0-9_-]{43}$/);
    assert.equal(response.headers['cache-control'], 'no-store');

    const jwks = (await h.service.app.inject('/.well-known/jwks.json')).json();
    const { payload, protectedHeader } = await jwtVerify(body.idToken, createLocalJWKSet(jwks), { issuer: h.config.publicUrl, audience: attempt.clientId });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.sub, `arn:aws:iam::${ACCOUNT_ID}:user/${USER_NAME}`);
    assert.match(String(payload.session_arn), /^arn:aws:signin:us-east-1:111111111111:oauth2\/session\//);
    assert.equal(payload.exp! - payload.iat!, 12 * 3600);
  });

  it('refuses a replayed code and revokes what the first redemption issued', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const first = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(first.status, 200);
    const replay = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(replay.status, 400);
    assert.equal(replay.json().error, 'invalid_grant');
    assert.equal(replay.headers['x-amzn-errortype'], 'ValidationException');
    const refresh = await postToken(h, refreshBody(attempt, first.json().refreshToken), { key: attempt.key });
    assert.equal(refresh.status, 401, 'the session the code issued is revoked');
    assert.equal(refresh.json().error, 'TOKEN_EXPIRED');
  });

  it('refuses a wrong verifier, and the code is spent afterwards', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const wrong = await postToken(h, { ...redeemBody(attempt, code), codeVerifier: createCodeVerifier() }, { key: attempt.key });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json().error, 'invalid_grant');
    const right = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(right.status, 400, 'a failed attempt burns the code');
  });

  it('refuses a missing or malformed verifier as a validation error', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const { codeVerifier: _omitted, ...missing } = redeemBody(attempt, code);
    const response = await postToken(h, missing, { key: attempt.key });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json(), { error: 'INVALID_REQUEST', message: 'codeVerifier is required.' });
    const short = await postToken(h, { ...redeemBody(attempt, code), codeVerifier: 'short' }, { key: attempt.key });
    assert.equal(short.json().error, 'INVALID_REQUEST');
  });

  it('refuses a redirect URI or client other than the authorization request named', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const response = await postToken(h, { ...redeemBody(attempt, code), redirectUri: 'http://127.0.0.1:9999/oauth/callback' }, { key: attempt.key });
    assert.equal(response.json().error, 'invalid_grant');
    const other = newLoginAttempt();
    const code2 = await obtainCode(h, other);
    const crossClient = await postToken(h, { ...redeemBody(other, code2), clientId: CROSS_DEVICE_CLIENT_ID }, { key: other.key });
    assert.equal(crossClient.json().error, 'invalid_grant');
  });

  it('answers AUTHCODE_EXPIRED (401) for a code older than five minutes', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    h.clock.advance(5 * 60_000 + 1);
    const response = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(response.status, 401);
    assert.equal(response.json().error, 'AUTHCODE_EXPIRED');
    assert.equal(response.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  it('refuses an unknown code', async () => {
    const attempt = newLoginAttempt();
    const response = await postToken(h, redeemBody(attempt, 'x'.repeat(43)), { key: attempt.key });
    assert.equal(response.json().error, 'invalid_grant');
  });

  it('binds the session to the redeeming DPoP key: another key cannot refresh', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const { refreshToken } = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json();
    const thief = newLoginAttempt();
    const stolen = await postToken(h, refreshBody(attempt, refreshToken), { key: thief.key });
    assert.equal(stolen.status, 400);
    assert.equal(stolen.json().error, 'invalid_grant');
    const owner = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(owner.status, 200, 'the legitimate holder is unaffected');
  });

  it('uses the cross-device client with the confirmation page as redirect URI', async () => {
    const attempt = newLoginAttempt(CROSS_DEVICE_CLIENT_ID, `${h.config.publicUrl}/v1/sessions/confirmation`);
    const code = await obtainCode(h, attempt);
    const response = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(response.status, 200, response.body);
  });
});
