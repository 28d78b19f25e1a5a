// Refresh: rotation, reuse detection, idempotent retries, session end, password change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDirectoryRepoSetter } from '../testing/passwords.ts';
import { newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness, USER_PASSWORD, type Harness, type LoginAttempt } from '../testing/harness.ts';
import { REFRESH_RETRY_WINDOW_MS } from './deps.ts';

async function login(h: Harness): Promise<{ attempt: LoginAttempt; refreshToken: string }> {
  const attempt = newLoginAttempt();
  const code = await obtainCode(h, attempt);
  const response = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
  assert.equal(response.status, 200, response.body);
  return { attempt, refreshToken: response.json().refreshToken };
}

describe('refresh_token grant', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ userMaxSessionSeconds: 3600 });
  });
  after(() => h.close());

  it('rotates the refresh token and issues new credentials on every use', async () => {
    const { attempt, refreshToken } = await login(h);
    const first = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(first.status, 200, first.body);
    const body = first.json();
    assert.notEqual(body.refreshToken, refreshToken);
    assert.equal(body.idToken, undefined, 'no id token on refresh');
    const second = await postToken(h, refreshBody(attempt, body.refreshToken), { key: attempt.key });
    assert.equal(second.status, 200);
    assert.notEqual(second.json().accessToken.accessKeyId, body.accessToken.accessKeyId);
  });

  it('answers an identical retry within the window with the same response, without forking the session', async () => {
    const { attempt, refreshToken } = await login(h);
    const first = (await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key })).json();
    h.clock.advance(REFRESH_RETRY_WINDOW_MS - 1000);
    const retry = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(retry.status, 200);
    assert.equal(retry.json().refreshToken, first.refreshToken);
    assert.equal(retry.json().accessToken.accessKeyId, first.accessToken.accessKeyId);
    assert.equal(retry.json().expiresIn, 900 - (REFRESH_RETRY_WINDOW_MS - 1000) / 1000);
    const next = await postToken(h, refreshBody(attempt, first.refreshToken), { key: attempt.key });
    assert.equal(next.status, 200, 'the successor still works');
  });

  it('revokes the whole session when a rotated token is reused after the window', async () => {
    const { attempt, refreshToken } = await login(h);
    const first = (await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key })).json();
    h.clock.advance(REFRESH_RETRY_WINDOW_MS + 1000);
    const reuse = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.json().error, 'TOKEN_EXPIRED');
    const successor = await postToken(h, refreshBody(attempt, first.refreshToken), { key: attempt.key });
    assert.equal(successor.status, 401, 'the family is revoked: the successor is dead too');
    assert.equal(successor.json().error, 'TOKEN_EXPIRED');
  });

  it('keeps the session alive when two refreshes of one token race', async () => {
    const { attempt, refreshToken } = await login(h);
    const [a, b] = await Promise.all([
      postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key }),
      postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key }),
    ]);
    assert.equal(a.status, 200, a.body);
    assert.equal(b.status, 200, b.body);
    assert.equal(a.json().refreshToken, b.json().refreshToken, 'one successor, not a fork');
    const next = await postToken(h, refreshBody(attempt, a.json().refreshToken), { key: attempt.key });
    assert.equal(next.status, 200);
  });

  it('shortens expiresIn to the time the session has left, then answers TOKEN_EXPIRED', async () => {
    const { attempt, refreshToken } = await login(h);
    h.clock.advance(3600_000 - 300_000);
    const late = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(late.status, 200);
    assert.equal(late.json().expiresIn, 300);
    h.clock.advance(300_000);
    const over = await postToken(h, refreshBody(attempt, late.json().refreshToken), { key: attempt.key });
    assert.equal(over.status, 401);
    assert.equal(over.json().error, 'TOKEN_EXPIRED');
  });

  it('answers USER_CREDENTIALS_CHANGED (403) after the password changes', async () => {
    const { attempt, refreshToken } = await login(h);
    h.clock.advance(1000);
    await createDirectoryRepoSetter(h)('alice', 'a-brand-new-password');
    const response = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(response.status, 403);
    assert.equal(response.json().error, 'USER_CREDENTIALS_CHANGED');
    assert.equal(response.headers['x-amzn-errortype'], 'AccessDeniedException');
    await createDirectoryRepoSetter(h)('alice', USER_PASSWORD);
  });

  it('refuses an unknown refresh token and one sent by the other client', async () => {
    const { attempt, refreshToken } = await login(h);
    const unknown = await postToken(h, refreshBody(attempt, 'ASOR' + 'A'.repeat(43)), { key: attempt.key });
    assert.equal(unknown.status, 401);
    const other = await postToken(h, { ...refreshBody(attempt, refreshToken), clientId: 'arn:aws:signin:::devtools/cross-device' }, { key: attempt.key });
    assert.equal(other.json().error, 'invalid_grant');
  });
});
