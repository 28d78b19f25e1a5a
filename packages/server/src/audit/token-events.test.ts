// Every token call leaves a CloudTrail record shaped like reference/cloudtrail-samples/, and no
// record holds a code, verifier, refresh token, session token or secret key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness, type Harness } from '../testing/harness.ts';

const SAMPLES = new URL('../../../../../shared/reference/cloudtrail-samples/', import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, SAMPLES), 'utf8')) as Record<string, unknown>;

/** The shape of a value: keys and JSON kinds, recursively. Identity-specific parts are compared separately. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

describe('audit records of the token flow', () => {
  let h: Harness;
  const secrets: string[] = [];
  const requestIds: string[] = [];
  before(async () => {
    h = await startHarness();
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const redeemResponse = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    const redeemed = redeemResponse.json();
    const refreshResponse = await postToken(h, refreshBody(attempt, redeemed.refreshToken), { key: attempt.key });
    const refreshed = refreshResponse.json();
    requestIds.push(String(refreshResponse.headers['x-amzn-requestid']), String(redeemResponse.headers['x-amzn-requestid']));
    secrets.push(code, attempt.verifier, redeemed.refreshToken, refreshed.refreshToken);
    for (const r of [redeemed, refreshed]) secrets.push(r.accessToken.secretAccessKey, r.accessToken.sessionToken);
  });
  after(() => h.close());

  const records = async (eventName: string) =>
    (await h.service.store.audit.list({ eventName, limit: 50 })).map((row) => JSON.parse(row.record) as Record<string, any>);

  it('records AuthorizeOAuth2Access with the sample shape (minus the role-only sessionIssuer)', async () => {
    const [record] = await records('AuthorizeOAuth2Access');
    assert.ok(record);
    const expected = sample('AuthorizeOAuth2Access');
    const { userIdentity: _a, tlsDetails: _t, ...rest } = expected;
    const { userIdentity, ...actual } = record;
    assert.deepEqual(shape(actual), shape(rest));
    assert.equal(userIdentity.type, 'IAMUser');
    assert.equal(userIdentity.userName, 'alice');
    assert.match(userIdentity.principalId, /^AIDA/);
    assert.deepEqual(Object.keys(record.requestParameters), ['scope', 'redirect_uri', 'code_challenge_method', 'client_id']);
    assert.equal(record.additionalEventData.success, 'true');
  });

  it('records each CreateOAuth2Token, with the request id the response carried', async () => {
    const list = await records('CreateOAuth2Token');
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((r) => r.requestID), requestIds, 'newest first, each with its response\'s x-amzn-requestid');
    const { userIdentity: _u, tlsDetails: _t, ...rest } = sample('CreateOAuth2Token');
    for (const record of list) {
      const { userIdentity, ...actual } = record;
      assert.deepEqual(shape(actual), shape(rest));
      assert.deepEqual(record.requestParameters, { client_id: 'arn:aws:signin:::devtools/same-device' });
      assert.match(userIdentity.accessKeyId, /^ASIA/);
      assert.equal(record.recipientAccountId, h.accountId);
    }
  });

  it('records a failed refresh as a failure', async () => {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt);
    const { refreshToken } = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json();
    await postToken(h, refreshBody(attempt, refreshToken), { key: newLoginAttempt().key });
    const [failure] = await records('CreateOAuth2Token');
    assert.equal(failure!.additionalEventData.success, 'false');
    assert.equal(failure!.errorCode, 'invalid_grant');
  });

  it('never stores a secret in any record', async () => {
    const all = await h.service.store.audit.list({ limit: 1000 });
    assert.ok(all.length >= 4);
    for (const row of all) for (const secret of secrets) assert.ok(!row.record.includes(secret), `record ${row.event_name} leaks a secret`);
  });
});
