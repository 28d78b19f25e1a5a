// Issue 14, item 3: behind a proxy that appends to X-Forwarded-For (nginx, ALB), a client that
// writes its own `X-Forwarded-For: 10.9.9.9` must not choose its address — not for an
// aws:SourceIp condition, not for the per-address sign-in limit, not in the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { putInlinePolicy } from '../iam/admin/inline-policies.ts';
import { iamDeps, lastEvent, newUser, operator, PASSWORD } from '../testing/iam.ts';
import { newLoginAttempt, startHarness, type Harness } from '../testing/harness.ts';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const PROXY = '127.0.0.1';
const REAL_CLIENT = '203.0.113.7';
const FORGED = '10.9.9.9';
/** What the proxy forwards: the client's own header, then the address the proxy saw. */
const appended = (forged: string, real = REAL_CLIENT) => ({ 'x-forwarded-for': `${forged}, ${real}` });

for (const trust of ['1', PROXY, '127.0.0.0/8']) {
  describe(`KEYLESS_TRUST_PROXY=${trust}, behind a proxy that appends`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ env: { KEYLESS_TRUST_PROXY: trust } });
    });
    after(() => h.close());

    it('records the address the proxy saw, not the forged one, in the audit trail', async () => {
      const signedIn = await h.browser({ ip: PROXY, headers: appended(FORGED) }).signIn();
      assert.equal(signedIn.status, 303);
      assert.equal((await lastEvent(h, 'ConsoleLogin', 'alice')).sourceIPAddress, REAL_CLIENT);
    });

    it('holds aws:SourceIp to the real address: a forged address inside the allowed range is refused', async () => {
      await newUser(h, 'office');
      const onlyFrom = doc({ Effect: 'Allow', Action: 'signin:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.9.9.0/24' } } });
      await putInlinePolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'office', policyName: 'office-only', policyDocument: onlyFrom });
      const approveFrom = async (headers: Record<string, string>) => {
        const browser = h.browser({ ip: PROXY, headers });
        assert.equal((await browser.signIn({ mode: 'iam', username: 'office', password: PASSWORD })).status, 303);
        return browser.authorize(newLoginAttempt().params);
      };
      assert.equal((await approveFrom(appended(FORGED))).status, 403, 'the forged address is not the caller');
      assert.equal((await approveFrom(appended('198.51.100.1', FORGED))).status, 303, 'a caller really at 10.9.9.9 is allowed');
    });

    it('counts sign-in failures against the real address whatever each request forges', async () => {
      // Each guess names another user (so no per-name limit is reached) and forges another address.
      const guess = (i: number) =>
        h.browser({ ip: PROXY, headers: appended(`10.9.${i}.${i}`) }).signIn({ mode: 'iam', username: `nobody-${i}`, password: 'wrong-password' });
      for (let i = 0; i < 20; i++) assert.equal((await guess(i)).status, 401, `guess ${i}`);
      const refused = await guess(20);
      assert.equal(refused.status, 429);
      assert.match(refused.body, /Too many attempts/);
      // Another client behind the same proxy is not affected.
      const other = await h.browser({ ip: PROXY, headers: { 'x-forwarded-for': '198.51.100.9' } }).signIn({ mode: 'iam', username: 'nobody-else', password: 'wrong-password' });
      assert.equal(other.status, 401);
    });
  });
}

describe('proxy trust: hops and addresses', () => {
  const ipSeen = async (trust: string | undefined, remoteAddress: string, forwardedFor: string) => {
    const h = await startHarness({ env: trust === undefined ? {} : { KEYLESS_TRUST_PROXY: trust } });
    try {
      await h.browser({ ip: remoteAddress, headers: { 'x-forwarded-for': forwardedFor } }).signIn();
      return (await lastEvent(h, 'ConsoleLogin', 'alice')).sourceIPAddress as string;
    } finally {
      await h.close();
    }
  };

  it('two hops: the client is the entry the first proxy appended', async () => {
    assert.equal(await ipSeen('2', '10.0.0.2', `${FORGED}, ${REAL_CLIENT}, 10.0.0.1`), REAL_CLIENT);
  });

  it('an address list believes only those proxies: a client reaching Keyless directly is its socket address', async () => {
    assert.equal(await ipSeen(PROXY, '198.51.100.20', FORGED), '198.51.100.20');
  });

  it('unset: X-Forwarded-For is ignored', async () => {
    assert.equal(await ipSeen(undefined, '198.51.100.21', FORGED), '198.51.100.21');
  });
});
