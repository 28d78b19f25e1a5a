// The log an operator acts on (issue 20): security events as warn lines naming the session, the
// principal, the source address and the request — never a token —, and an access line that
// carries the wire error code and the request id (and a trusted proxy's X-Request-Id beside it).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createDpopProof } from '@keyless/protocol';
import { operatorRequest } from '../audit/iam-events.ts';
import { detachPolicy } from '../iam/admin/attachments.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../iam/policy/index.ts';
import { allowLogin, ACCOUNT_ID, newLoginAttempt, obtainCode, postToken, redeemBody, refreshBody, startHarness, USER_NAME, type Harness, type LoginAttempt } from '../testing/harness.ts';
import { REFRESH_RETRY_WINDOW_MS } from '../token/deps.ts';

type Line = Record<string, unknown> & { level: number; msg: string };
const WARN = 40;

describe('what the log tells an operator', () => {
  let h: Harness;
  let lines: string[];
  const logged = (): Line[] => lines.map((line) => JSON.parse(line) as Line);
  const accessLineOf = (reqId: unknown) => logged().find((line) => line.msg === 'request' && line.reqId === reqId);

  before(async () => {
    lines = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    h = await startHarness({ logger, env: { KEYLESS_TRUST_PROXY: '1' } });
  });
  after(() => h.close());

  async function login(): Promise<{ attempt: LoginAttempt; refreshToken: string; sessionArn: string }> {
    const attempt = newLoginAttempt();
    const response = await postToken(h, redeemBody(attempt, await obtainCode(h, attempt)), { key: attempt.key });
    assert.equal(response.status, 200, response.body);
    return { attempt, refreshToken: response.json().refreshToken, sessionArn: `arn:aws:iam::${ACCOUNT_ID}:user/${USER_NAME}` };
  }

  it('a reused refresh token: a warn line with the session, the principal, the address and the request id; the access line names the error code', async () => {
    const { attempt, refreshToken, sessionArn } = await login();
    assert.equal((await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key })).status, 200);
    h.clock.advance(REFRESH_RETRY_WINDOW_MS + 1000);
    lines.length = 0;
    const reuse = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
    assert.equal(reuse.status, 401);
    const warn = logged().find((line) => line.security === 'refresh-token-reused');
    assert.ok(warn, lines.join(''));
    assert.equal(warn.level, WARN);
    assert.match(String(warn.sessionId), /\S/);
    assert.equal(warn.principalArn, sessionArn);
    assert.equal(warn.outcome, 'session revoked');
    assert.equal(warn.sourceIp, '127.0.0.1');
    assert.equal(warn.reqId, reuse.headers['x-amzn-requestid']);
    assert.deepEqual(
      { errorCode: accessLineOf(warn.reqId)?.errorCode, status: accessLineOf(warn.reqId)?.status },
      { errorCode: 'TOKEN_EXPIRED', status: 401 },
    );
    assert.ok(!lines.join('').includes(refreshToken), 'the token itself is never logged');
  });

  it('a replayed DPoP proof: a warn line, and the access line names invalid_dpop_proof', async () => {
    const { attempt, refreshToken } = await login();
    const dpop = createDpopProof({ privateKey: attempt.key, htm: 'POST', htu: h.tokenUrl, now: h.clock.now() / 1000 });
    assert.equal((await postToken(h, refreshBody(attempt, refreshToken), { dpop })).status, 200);
    lines.length = 0;
    const replay = await postToken(h, refreshBody(attempt, refreshToken), { dpop });
    assert.equal(replay.status, 400);
    const warn = logged().find((line) => line.security === 'dpop-proof-replayed');
    assert.ok(warn, lines.join(''));
    assert.equal(warn.level, WARN);
    assert.equal(accessLineOf(warn.reqId)?.errorCode, 'invalid_dpop_proof');
    assert.ok(!lines.join('').includes(dpop), 'the proof is never logged');
  });

  it('a refresh a policy refuses: a warn line; the token stays unspent', async () => {
    const { attempt, refreshToken, sessionArn } = await login();
    const deps = h.service.deps;
    await detachPolicy(deps, operatorRequest(deps.random, 'detach-user-policy'), { kind: 'user', accountId: ACCOUNT_ID, name: USER_NAME, policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    try {
      lines.length = 0;
      const refused = await postToken(h, refreshBody(attempt, refreshToken), { key: attempt.key });
      assert.equal(refused.status, 403);
      const warn = logged().find((line) => line.security === 'refresh-denied');
      assert.ok(warn, lines.join(''));
      assert.deepEqual([warn.principalArn, warn.outcome], [sessionArn, 'token left unspent']);
      assert.equal(accessLineOf(warn.reqId)?.errorCode, 'INSUFFICIENT_PERMISSIONS');
    } finally {
      await allowLogin(deps, ACCOUNT_ID, USER_NAME);
    }
  });

  it('a lock-out: a warn line with the address; the wrong passwords themselves are never logged', async () => {
    lines.length = 0;
    const attacker = h.browser({ ip: '198.51.100.7' });
    let status = 0;
    for (let i = 0; i < 8 && status !== 429; i++) status = (await attacker.signIn({ mode: 'iam', password: `wrong-guess-${i}` })).status;
    assert.equal(status, 429);
    const warn = logged().find((line) => line.security === 'sign-in-locked-out');
    assert.ok(warn, lines.join(''));
    assert.deepEqual([warn.level, warn.sourceIp], [WARN, '198.51.100.7']);
    assert.ok(!lines.join('').includes('wrong-guess-'), 'no password in the log');
  });

  it("an X-Request-Id from a trusted proxy is logged beside Keyless's own id and returned; a malformed one is neither", async () => {
    const ok = await h.service.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-7f3a:91' } });
    assert.equal(ok.headers['x-request-id'], 'lb-7f3a:91');
    const line = accessLineOf(ok.headers['x-amzn-requestid']);
    assert.deepEqual([line?.proxyRequestId, line?.status, line?.sourceIp], ['lb-7f3a:91', 200, '127.0.0.1']);
    const odd = await h.service.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'x'.repeat(129) } });
    assert.equal(odd.headers['x-request-id'], undefined);
    assert.equal(accessLineOf(odd.headers['x-amzn-requestid'])?.proxyRequestId, undefined);
  });
});
