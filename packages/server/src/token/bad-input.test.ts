// Bad input on the token API: 400 ValidationException with a clear message, never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newLoginAttempt, obtainCode, postToken, redeemBody, startHarness, type Harness, type LoginAttempt } from '../testing/harness.ts';

describe('token API input validation', () => {
  let h: Harness;
  let attempt: LoginAttempt;
  before(async () => {
    h = await startHarness();
    attempt = newLoginAttempt();
  });
  after(() => h.close());

  const cases: Array<[string, string | Record<string, unknown>, string | undefined, RegExp]> = [
    ['malformed JSON', '{"clientId":', undefined, /not valid JSON/],
    ['a JSON array', '[]', undefined, /JSON object/],
    ['wrong content type', 'clientId=x', 'text/plain', /Content-Type/],
    ['unknown client', { clientId: 'arn:aws:signin:::devtools/other', grantType: 'refresh_token', refreshToken: 'x' }, undefined, /clientId must match/],
    ['unknown grant', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'password' }, undefined, /grantType/],
    ['a number where a string belongs', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 5 }, undefined, /must be a string/],
    ['an over-long refresh token', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 'A'.repeat(2049) }, undefined, /1–2048/],
    ['an over-long code', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'authorization_code', code: 'c'.repeat(513), codeVerifier: 'v'.repeat(64), redirectUri: 'http://127.0.0.1:1/oauth/callback' }, undefined, /code must be 1–512/],
    ['a verifier outside the unreserved set', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'authorization_code', code: 'c', codeVerifier: '!'.repeat(64), redirectUri: 'http://127.0.0.1:1/oauth/callback' }, undefined, /codeVerifier must match/],
    ['an unknown member', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 'x', scope: 'admin' }, undefined, /Unknown member/],
    ['refresh fields on a code grant', { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'authorization_code', refreshToken: 'x' }, undefined, /not allowed/],
  ];
  for (const [name, body, contentType, message] of cases) {
    it(`answers 400 INVALID_REQUEST for ${name}`, async () => {
      const response = await postToken(h, body, { key: attempt.key, contentType });
      assert.equal(response.status, 400, response.body);
      assert.equal(response.headers['x-amzn-errortype'], 'ValidationException');
      assert.equal(response.json().error, 'INVALID_REQUEST');
      assert.match(response.json().message, message);
    });
  }

  it('answers 400 for a body over the limit, without reading it all', async () => {
    const response = await postToken(h, JSON.stringify({ pad: 'x'.repeat(100_000) }), { key: attempt.key });
    assert.equal(response.status, 400);
    assert.match(response.json().message, /larger than/);
  });

  it('accepts the form-encoded body the model allows, with OAuth spellings', async () => {
    const code = await obtainCode(h, attempt);
    const body = redeemBody(attempt, code);
    const form = new URLSearchParams({ client_id: body.clientId, grant_type: body.grantType, code, code_verifier: body.codeVerifier, redirect_uri: body.redirectUri });
    const response = await postToken(h, form.toString(), { key: attempt.key, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 200, response.body);
  });

  it('refuses a repeated form field', async () => {
    const response = await postToken(h, 'client_id=a&client_id=b', { key: attempt.key, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 400);
    assert.match(response.json().message, /more than once/);
  });

  it('never answers a GET on the token endpoint with a stack trace', async () => {
    const response = await h.service.app.inject({ method: 'GET', url: '/v1/token' });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500);
    assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
  });
});
