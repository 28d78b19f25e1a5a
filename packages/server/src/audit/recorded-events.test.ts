// Every call the issue names leaves exactly one CloudTrail record, shaped like
// reference/cloudtrail-samples/ (same keys, same order, same constants), with the response's
// x-amzn-requestid as requestID — successes, each refusal of a code or refresh token, sign-out,
// revocation and every administrative change — and no record ever holds a secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deactivateMfa, findPrincipalOf, revokeLoginSession, setMaxSessionDuration, setPassword } from '../directory/directory-admin.ts';
import {
  newLoginAttempt,
  obtainCode,
  postToken,
  redeemBody,
  refreshBody,
  startHarness,
  ROOT_PASSWORD,
  USER_PASSWORD,
  type Harness,
  type InjectResult,
  type LoginAttempt,
} from '../testing/harness.ts';
import { sample } from './golden-samples.ts';

type Json = Record<string, any>;

/** Keys in order, values by JSON kind, recursively: what "the same shape" means. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') return Object.entries(value as object).map(([k, v]) => [k, shape(v)]);
  return typeof value;
}

/** The sample's shape and constant fields, minus userIdentity (Keyless has no roles: compared separately) and tlsDetails (see tls-details.test.ts). */
function assertLikeSample(record: Json, name: 'AuthorizeOAuth2Access' | 'CreateOAuth2Token', failed = false): void {
  const { userIdentity: _u, tlsDetails: _t, ...golden } = sample(name);
  const { userIdentity, errorCode: _c, errorMessage: _m, ...actual } = record;
  if (!failed) assert.deepEqual(shape(actual), shape(golden));
  for (const field of ['eventVersion', 'eventSource', 'eventName', 'eventType', 'managementEvent', 'eventCategory', 'readOnly', 'responseElements']) {
    assert.deepEqual(actual[field], golden[field], field);
  }
  assert.deepEqual(Object.keys(actual.requestParameters), Object.keys(golden.requestParameters));
  assert.deepEqual(Object.keys(actual.additionalEventData), ['success', 'x-amzn-vpce-id']);
  assert.equal(actual.additionalEventData.success, String(!failed));
  assert.equal(actual.recipientAccountId, userIdentity.accountId);
  assert.match(actual.eventID, /^[0-9a-f-]{36}$/);
}

/** The login session an id token names (its sessionArn claim ends with the session id). */
const sessionIdOf = (tokens: Json): string => {
  const claims = JSON.parse(Buffer.from(String(tokens.idToken).split('.')[1]!, 'base64url').toString('utf8')) as Json;
  return String(Object.values(claims).find((v) => typeof v === 'string' && v.includes(':oauth2/session/'))).split('/').pop()!;
};

describe('the events Keyless records', () => {
  let h: Harness;
  const secrets = new Set<string>();
  const deps = () => h.service.deps;

  before(async () => {
    h = await startHarness();
    for (const password of [ROOT_PASSWORD, USER_PASSWORD]) secrets.add(password);
  });
  after(() => h.close());

  const records = async (eventName: string, limit = 1000): Promise<Json[]> =>
    (await h.service.store.read((rs) => rs.audit.list({ eventName, limit }))).map((row) => JSON.parse(row.record) as Json);
  const latest = async (eventName: string): Promise<Json> => (await records(eventName, 1))[0]!;
  const count = async (eventName?: string) => (await h.service.store.read((rs) => rs.audit.list({ eventName, limit: 100_000 }))).length;

  /** A redeemed login: the attempt, the code, the token response, and the responses' request ids. */
  async function login(browser = h.browser()): Promise<{ attempt: LoginAttempt; code: string; tokens: Json; redeem: InjectResult }> {
    const attempt = newLoginAttempt();
    const code = await obtainCode(h, attempt, browser);
    const redeem = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(redeem.status, 200, redeem.body);
    const tokens = redeem.json();
    for (const secret of [code, attempt.verifier, tokens.refreshToken, tokens.idToken, tokens.accessToken.secretAccessKey, tokens.accessToken.sessionToken]) secrets.add(secret);
    return { attempt, code, tokens, redeem };
  }

  const remember = (response: InjectResult) => {
    if (response.status === 200) {
      const body = response.json();
      for (const secret of [body.refreshToken, body.accessToken?.secretAccessKey, body.accessToken?.sessionToken]) if (secret) secrets.add(secret);
    }
    return response;
  };

  it('AuthorizeOAuth2Access: the sample\'s shape, with the approving response\'s request id', async () => {
    const browser = h.browser();
    await browser.signIn();
    const attempt = newLoginAttempt();
    const approved = await browser.authorize(attempt.params);
    secrets.add(new URL(String(approved.headers.location)).searchParams.get('code')!);
    const record = await latest('AuthorizeOAuth2Access');
    assertLikeSample(record, 'AuthorizeOAuth2Access');
    assert.equal(record.requestID, approved.headers['x-amzn-requestid']);
    assert.deepEqual(record.requestParameters, {
      scope: 'openid',
      redirect_uri: attempt.redirectUri,
      code_challenge_method: 'SHA-256',
      client_id: attempt.clientId,
    });
    assert.equal(record.userAgent, 'Mozilla/5.0 (test)');
    assert.equal(record.sourceIPAddress, '127.0.0.1');
    assert.equal(record.userIdentity.type, 'IAMUser');
    assert.equal(record.userIdentity.userName, 'alice');
    assert.match(record.userIdentity.principalId, /^AIDA/);
    assert.equal(record.userIdentity.sessionContext.attributes.mfaAuthenticated, 'false');
  });

  it('CreateOAuth2Token for redemption and refresh: the sample\'s shape, each with its response\'s request id and the key it issued', async () => {
    const { attempt, tokens, redeem } = await login();
    const refresh = remember(await postToken(h, refreshBody(attempt, tokens.refreshToken), { key: attempt.key }));
    const [refreshed, redeemed] = await records('CreateOAuth2Token', 2);
    for (const [record, response] of [[redeemed!, redeem], [refreshed!, refresh]] as const) {
      assertLikeSample(record, 'CreateOAuth2Token');
      assert.equal(record.requestID, response.headers['x-amzn-requestid']);
      assert.deepEqual(record.requestParameters, { client_id: attempt.clientId });
      assert.equal(record.userIdentity.accessKeyId, response.json().accessToken.accessKeyId);
    }
  });

  describe('each refused code redemption, against the principal who approved the code', () => {
    const refusals: Array<[string, (l: { attempt: LoginAttempt; code: string }) => Promise<InjectResult>, string]> = [
      ['a wrong verifier', ({ attempt, code }) => postToken(h, { ...redeemBody(attempt, code), codeVerifier: 'x'.repeat(64) }, { key: attempt.key }), 'invalid_grant'],
      ['another redirect URI', ({ attempt, code }) => postToken(h, { ...redeemBody(attempt, code), redirectUri: 'http://127.0.0.1:1/oauth/callback' }, { key: attempt.key }), 'invalid_grant'],
      ['another client', ({ attempt, code }) => postToken(h, { ...redeemBody(attempt, code), clientId: 'arn:aws:signin:::devtools/cross-device' }, { key: attempt.key }), 'invalid_grant'],
      [
        'an expired code',
        ({ attempt, code }) => {
          h.clock.advance(5 * 60_000 + 1000);
          return postToken(h, redeemBody(attempt, code), { key: attempt.key });
        },
        'AUTHCODE_EXPIRED',
      ],
    ];
    for (const [what, redeem, errorCode] of refusals) {
      it(what, async () => {
        const attempt = newLoginAttempt();
        const code = await obtainCode(h, attempt);
        secrets.add(code);
        const before = await count('CreateOAuth2Token');
        const response = await redeem({ attempt, code });
        assert.notEqual(response.status, 200);
        assert.equal(await count('CreateOAuth2Token'), before + 1, 'one event');
        const record = await latest('CreateOAuth2Token');
        assertLikeSample(record, 'CreateOAuth2Token', true);
        assert.equal(record.errorCode, errorCode);
        assert.equal(record.requestID, response.headers['x-amzn-requestid']);
        assert.equal(record.userIdentity.userName, 'alice');
        assert.equal('accessKeyId' in record.userIdentity, false, 'nothing was issued');
      });
    }

    it('a code whose console session has signed out', async () => {
      const browser = h.browser();
      const attempt = newLoginAttempt();
      const code = await obtainCode(h, attempt, browser);
      secrets.add(code);
      const home = await browser.request('GET', '/console');
      await browser.request('POST', '/console/signout', { session_id: 'all', csrf: /name="csrf" value="([^"]+)"/.exec(home.body)![1]! });
      const response = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
      assert.equal(response.status, 400);
      assert.equal((await latest('CreateOAuth2Token')).errorMessage, 'The console session that approved this login has ended.');
    });

    it('a code presented again: the first replay revokes what it issued, every replay is recorded', async () => {
      const { attempt, code } = await login();
      const before = await count('CreateOAuth2Token');
      for (let i = 0; i < 2; i++) assert.equal((await postToken(h, redeemBody(attempt, code), { key: attempt.key })).status, 400);
      assert.equal(await count('CreateOAuth2Token'), before + 2);
      const [second, first] = await records('CreateOAuth2Token', 2);
      assert.equal(first!.errorMessage, 'Authorization code replayed; session revoked.');
      assert.equal(second!.errorMessage, 'The authorization code was already used.');
    });

    it('a code never issued names no one, and is not recorded (there is no account to record it in)', async () => {
      const attempt = newLoginAttempt();
      const before = await count();
      assert.equal((await postToken(h, redeemBody(attempt, 'A'.repeat(43)), { key: attempt.key })).status, 400);
      assert.equal(await count(), before);
    });
  });

  describe('each refused refresh', () => {
    it('another DPoP key, another client, a revoked session, a password change, a reused token', async () => {
      const wrongKey = await login();
      const wrongClient = await login();
      const reused = await login();
      const cases: Array<[() => Promise<InjectResult>, string]> = [
        [() => postToken(h, refreshBody(wrongKey.attempt, wrongKey.tokens.refreshToken), { key: newLoginAttempt().key }), 'invalid_grant'],
        [() => postToken(h, { ...refreshBody(wrongClient.attempt, wrongClient.tokens.refreshToken), clientId: 'arn:aws:signin:::devtools/cross-device' }, { key: wrongClient.attempt.key }), 'invalid_grant'],
        [
          async () => {
            const revoked = await login();
            await revokeLoginSession(deps(), sessionIdOf(revoked.tokens));
            return postToken(h, refreshBody(revoked.attempt, revoked.tokens.refreshToken), { key: revoked.attempt.key });
          },
          'TOKEN_EXPIRED',
        ],
        [
          async () => {
            remember(await postToken(h, refreshBody(reused.attempt, reused.tokens.refreshToken), { key: reused.attempt.key }));
            h.clock.advance(61_000);
            return postToken(h, refreshBody(reused.attempt, reused.tokens.refreshToken), { key: reused.attempt.key });
          },
          'TOKEN_EXPIRED',
        ],
      ];
      for (const [refresh, errorCode] of cases) {
        const response = await refresh();
        assert.notEqual(response.status, 200, response.body);
        const record = await latest('CreateOAuth2Token');
        assert.equal(record.errorCode, errorCode, record.errorMessage);
        assert.equal(record.requestID, response.headers['x-amzn-requestid']);
        assertLikeSample(record, 'CreateOAuth2Token', true);
      }
    });

    it('a password changed since the login: USER_CREDENTIALS_CHANGED, and the change itself is UpdateLoginProfile', async () => {
      const { attempt, tokens } = await login();
      const principal = await findPrincipalOf(deps(), h.accountId, 'alice');
      secrets.add('a-new-password-for-alice');
      await setPassword(deps(), principal, 'a-new-password-for-alice');
      const change = await latest('UpdateLoginProfile');
      assert.equal(change.eventSource, 'iam.amazonaws.com');
      assert.deepEqual(change.requestParameters, { userName: 'alice', passwordResetRequired: false });
      const response = await postToken(h, refreshBody(attempt, tokens.refreshToken), { key: attempt.key });
      assert.equal((await latest('CreateOAuth2Token')).errorCode, 'USER_CREDENTIALS_CHANGED', response.body);
      await setPassword(deps(), principal, USER_PASSWORD);
    });

    it('an unknown refresh token names no one, and is not recorded', async () => {
      const before = await count();
      const attempt = newLoginAttempt();
      assert.equal((await postToken(h, refreshBody(attempt, 'ASOR' + 'x'.repeat(43)), { key: attempt.key })).status, 401);
      assert.equal(await count(), before);
    });
  });

  it('ConsoleLogin: success and failure, AwsConsoleSignIn, responseElements.ConsoleLogin, MFAUsed', async () => {
    const browser = h.browser();
    await browser.signIn({ mode: 'iam', password: 'not-the-password' });
    const failure = await latest('ConsoleLogin');
    await browser.signIn();
    const success = await latest('ConsoleLogin');
    assert.deepEqual([failure.responseElements, success.responseElements], [{ ConsoleLogin: 'Failure' }, { ConsoleLogin: 'Success' }]);
    assert.equal(failure.errorMessage, 'Failed authentication');
    for (const record of [failure, success]) {
      assert.equal(record.eventType, 'AwsConsoleSignIn');
      assert.equal(record.additionalEventData.MFAUsed, 'No');
      assert.equal(record.userIdentity.userName, 'alice');
    }
  });

  it('Cancel on the chooser: AuthorizeOAuth2Access fails with access_denied for the one session', async () => {
    const browser = h.browser();
    await browser.signIn();
    const attempt = newLoginAttempt();
    const page = await browser.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const denied = await browser.request('POST', '/v1/authorize/deny', { ...attempt.params, csrf });
    const record = await latest('AuthorizeOAuth2Access');
    assertLikeSample(record, 'AuthorizeOAuth2Access', true);
    assert.equal(record.errorCode, 'access_denied');
    assert.equal(record.requestID, denied.headers['x-amzn-requestid']);
  });

  it('sign-out: one ConsoleLogout per session ended, with the sign-out\'s request id', async () => {
    const browser = h.browser();
    await browser.signIn();
    await browser.signIn({ mode: 'root' });
    const home = await browser.request('GET', '/console');
    const out = await browser.request('POST', '/console/signout', { session_id: 'all', csrf: /name="csrf" value="([^"]+)"/.exec(home.body)![1]! });
    const [a, b] = await records('ConsoleLogout', 2);
    assert.deepEqual([a!.userIdentity.type, b!.userIdentity.type].sort(), ['IAMUser', 'Root']);
    for (const record of [a!, b!]) {
      assert.equal(record.requestID, out.headers['x-amzn-requestid']);
      assert.deepEqual(record.responseElements, { ConsoleLogout: 'Success' });
      assert.equal(record.eventType, 'AwsConsoleSignIn');
    }
  });

  it('token revocation (/v1/revoke, keyless logout) and session revocation (keyless admin revoke-session)', async () => {
    const { attempt, tokens } = await login();
    const { createDpopProof } = await import('@keyless/protocol');
    const dpop = createDpopProof({ privateKey: attempt.key, htm: 'POST', htu: `${h.config.publicUrl}/v1/revoke`, now: h.clock.now() / 1000 });
    const revoke = await h.service.app.inject({ method: 'POST', url: '/v1/revoke', headers: { 'content-type': 'application/json', dpop }, payload: { clientId: attempt.clientId, refreshToken: tokens.refreshToken } });
    assert.equal(revoke.statusCode, 200, revoke.body);
    const byClient = await latest('RevokeOAuth2Token');
    assert.equal(byClient.requestID, revoke.headers['x-amzn-requestid']);
    assert.equal(byClient.userIdentity.userName, 'alice');

    const session = (await h.service.store.read(async (rs) => rs.loginSessions.find(sessionIdOf((await login()).tokens))))!;
    assert.equal(await revokeLoginSession(deps(), session!.id), true);
    assert.equal(await revokeLoginSession(deps(), session!.id), false);
    const byAdmin = await records('RevokeOAuth2TokenWithIAM');
    assert.equal(byAdmin.filter((r) => r.requestParameters.sessionArn.endsWith(`/${session!.id}`)).length, 1, 'once');
    assert.deepEqual(byAdmin[0]!.userIdentity, { type: 'AWSService', invokedBy: 'keyless admin' });
    assert.equal(byAdmin[0]!.recipientAccountId, h.accountId);
    assert.equal(byAdmin[0]!.requestParameters.principalArn, session!.arn);
  });

  it('administrative changes: CreateAccount, CreateUser with CreateLoginProfile, UpdateUser, DeactivateMFADevice — by the operator, with resources', async () => {
    const [account] = await records('CreateAccount');
    assert.equal(account!.eventSource, 'organizations.amazonaws.com');
    assert.equal(account!.recipientAccountId, h.accountId);
    assert.deepEqual(account!.requestParameters, { accountName: 'HIDDEN_DUE_TO_SECURITY_REASONS', email: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    const [user] = await records('CreateUser');
    assert.equal(user!.requestParameters.userName, 'alice');
    assert.match(user!.responseElements.user.userId, /^AIDA/);
    assert.equal((await records('CreateLoginProfile'))[0]!.requestParameters.userName, 'alice');
    const alice = await findPrincipalOf(deps(), h.accountId, 'alice');
    await setMaxSessionDuration(deps(), alice, 3600);
    assert.deepEqual((await latest('UpdateUser')).requestParameters, { userName: 'alice', maxSessionDuration: 3600 });
    assert.equal(await deactivateMfa(deps(), alice), false);
    assert.equal(await count('DeactivateMFADevice'), 0, 'nothing changed, nothing recorded');
    const [row] = await h.service.store.read((rs) => rs.audit.lookup({ accountId: h.accountId, attribute: { key: 'ResourceName', value: 'alice' }, start: 0, end: h.clock.now() + 1, limit: 1 }));
    assert.equal(row!.event_name, 'UpdateUser');
    assert.deepEqual(row!.resources, [{ type: 'AWS::IAM::User', name: 'alice' }]);
    for (const record of [account!, user!]) {
      assert.deepEqual(record.userIdentity, { type: 'AWSService', invokedBy: 'keyless admin' });
      assert.equal(record.awsRegion, 'us-east-1');
      assert.equal(record.readOnly, false);
    }
  });

  it('no record holds a password, code, verifier, refresh token, id token, secret key or session token', async () => {
    const rows = await h.service.store.read((rs) => rs.audit.list({ limit: 100_000 }));
    assert.ok(rows.length > 40, `${rows.length} records scanned`);
    assert.ok(secrets.size > 40, `${secrets.size} secrets looked for`);
    for (const row of rows) {
      for (const secret of secrets) assert.ok(!row.record.includes(secret), `${row.event_name} holds a secret`);
      assert.doesNotMatch(row.record, /ASOR[A-Za-z0-9_-]{20}|"(password|code|codeVerifier|refreshToken|secretAccessKey|sessionToken)"/i);
    }
  });
});
