// Issue 14, item 1: session fixation. An attacker who puts a browser-cookie value into the
// victim's browser before the victim signs in (a shared computer, a sibling subdomain, a
// header-injection bug) must hold nothing afterwards: not the victim's sessions, not an
// approval of the attacker's own `aws login`. The server accepts only values it issued and gives
// the browser a new one at every sign-in step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemRandom } from '../crypto/ids.ts';
import { hotp, totpStep } from '../crypto/totp.ts';
import { createUser } from '../directory/directory-admin.ts';
import { enrolMfa, formFields, hidden, newLoginAttempt, startHarness, type Harness, type ScriptedBrowser } from '../testing/harness.ts';

const COOKIE = 'keyless-browser';
const sessionArns = (page: string) => [...page.matchAll(/class="session-arn" dir="ltr">([^<]+)</g)].map((m) => m[1]!.replace(/.*[:/]/, ''));
const sessionIds = (page: string) => [...page.matchAll(/name="session_id" value="([^"]+)"/g)].map((m) => m[1]!).filter((id) => id !== 'all');

describe('session fixation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  /** The attacker's browser, holding a cookie value the server issued to it. */
  async function attackerWithIssuedValue(): Promise<{ attacker: ScriptedBrowser; planted: string }> {
    const attacker = h.browser({ ip: '198.51.100.66' });
    await attacker.request('GET', '/console/signin');
    return { attacker, planted: attacker.cookie(COOKIE)! };
  }

  /** What a browser holding `value` can reach: its console's sessions, and whether it can approve an authorize request with `sessionId`. */
  async function reach(value: string, sessionId: string | undefined) {
    const browser = h.browser({ ip: '198.51.100.66' });
    browser.plantCookie(COOKIE, value);
    const home = await browser.request('GET', '/console');
    const attempt = newLoginAttempt();
    const authorize = await browser.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    // A CSRF token for this value, as any page served to it carries one.
    const csrf = hidden((await browser.request('GET', '/console/signin')).body, 'csrf')!;
    const approval = await browser.request('POST', '/v1/authorize/continue', { ...attempt.params, session_id: sessionId ?? '', csrf });
    return { sessions: sessionArns(home.body), authorize, approval };
  }

  it('ignores and replaces a well-formed value it never issued', async () => {
    const forged = 'A'.repeat(43);
    const browser = h.browser();
    browser.plantCookie(COOKIE, forged);
    const page = await browser.request('GET', '/console/signin');
    assert.match(String(page.headers['set-cookie']), /^keyless-browser=[A-Za-z0-9_-]{43};/);
    assert.notEqual(browser.cookie(COOKIE), forged);
    // Signing in through the form it was given works, under the new value only.
    const signedIn = await browser.request('POST', '/console/signin', { ...formFields(page.body, '/console/signin'), mode: 'iam', account: h.accountId, username: 'alice', password: 'alice-password-123' });
    assert.equal(signedIn.status, 303);
    assert.deepEqual((await reach(forged, undefined)).sessions, []);
  });

  it('a planted issued value holds nothing once the victim signs in: no session, no approval of the attacker’s aws login', async () => {
    const { planted } = await attackerWithIssuedValue();
    const victim = h.browser();
    victim.plantCookie(COOKIE, planted);
    const signedIn = await victim.signIn();
    assert.equal(signedIn.status, 303);
    const renewed = victim.cookie(COOKIE)!;
    assert.notEqual(renewed, planted, 'the password sign-in gave the browser a new value');
    const victimHome = await victim.request('GET', '/console');
    assert.deepEqual(sessionArns(victimHome.body), ['alice']);
    const [victimSession] = sessionIds(victimHome.body);

    // The attacker, who even learned the session id, with the value it planted:
    const stolen = await reach(planted, victimSession);
    assert.deepEqual(stolen.sessions, [], 'the planted value sees no session');
    assert.equal(stolen.authorize.status, 302);
    assert.match(String(stolen.authorize.headers.location), /^\/console\/signin\?/, 'authorize asks it to sign in');
    assert.equal(stolen.approval.status, 303);
    assert.match(String(stolen.approval.headers.location), /^\/v1\/authorize\?/, 'the approval is sent back to authorize, no code');
    assert.doesNotMatch(String(stolen.approval.headers.location), /[?&]code=/);
    assert.equal((await h.service.store.read((rs) => rs.audit.list({ eventName: 'AuthorizeOAuth2Access' }))).length, 0, 'nothing was authorised');

    // The victim's own browser still can.
    const approved = await victim.authorize(newLoginAttempt().params);
    assert.equal(approved.status, 303);
    assert.match(String(approved.headers.location), /[?&]code=/);
  });

  it("every sign-in renews the value and the browser's other sessions move with it; the old value stops at once", async () => {
    const browser = h.browser();
    await browser.signIn();
    const first = browser.cookie(COOKIE)!;
    await browser.signIn({ mode: 'root' });
    const second = browser.cookie(COOKIE)!;
    assert.notEqual(second, first);
    assert.deepEqual(sessionArns((await browser.request('GET', '/console')).body), ['alice', 'root'], 'both sessions are under the new value');
    assert.deepEqual((await reach(first, undefined)).sessions, [], 'the previous value holds nothing');
  });

  it('the password step and the MFA step each give a new value: the value between them holds nothing either', async () => {
    const name = 'mfa-fixation';
    await createUser(h.service.deps, { accountId: h.accountId, userName: name, password: `${name}-password-123` });
    const credentials = { mode: 'iam' as const, username: name, password: `${name}-password-123` };
    const owner = h.browser();
    await owner.signIn(credentials);
    const secret = await enrolMfa(owner, h.clock.now());
    const code = (offset: number) => hotp(secret, totpStep(h.clock.now()) + offset);
    h.clock.advance(30_000);

    const { planted } = await attackerWithIssuedValue();
    const victim = h.browser();
    victim.plantCookie(COOKIE, planted);
    const challenge = await victim.signIn(credentials);
    assert.equal(challenge.status, 200);
    const afterPassword = victim.cookie(COOKIE)!;
    assert.notEqual(afterPassword, planted);
    const done = await victim.request('POST', '/console/signin/mfa', { ...formFields(challenge.body, '/console/signin/mfa'), code: code(0) });
    assert.equal(done.status, 303);
    const afterMfa = victim.cookie(COOKIE)!;
    assert.notEqual(afterMfa, afterPassword);
    assert.deepEqual(sessionArns((await victim.request('GET', '/console')).body), [name]);
    for (const old of [planted, afterPassword]) assert.deepEqual((await reach(old, undefined)).sessions, []);
  });
});
