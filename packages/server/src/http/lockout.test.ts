// Issue 14, item 6: lock-out as a weapon. Five wrong passwords from strangers used to lock a
// principal (root included) out everywhere for 15 minutes. Now a browser that has signed in as the
// principal before (its device cookie) is counted apart: the strangers' failures do not stop it,
// and the strangers still get no more than the limit of guesses between them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_FAILURES_PER_PRINCIPAL, THROTTLE_WINDOW_MS } from '../console/throttle.ts';
import { systemRandom } from '../crypto/ids.ts';
import { hotp, totpStep } from '../crypto/totp.ts';
import { createUser } from '../directory/directory-admin.ts';
import { PASSWORD } from '../testing/iam.ts';
import { enrolMfa, formFields, ROOT_EMAIL, startHarness, type Harness, type InjectResult, type ScriptedBrowser } from '../testing/harness.ts';

type Who = { mode: 'iam'; username?: string; password?: string } | { mode: 'root'; email?: string; password?: string };
const wrong = (who: Who): Who => ({ ...who, password: 'not-the-password' });
const statuses = (pages: InjectResult[]) => pages.map((page) => page.status).sort();

for (const [label, who] of [['an IAM user', { mode: 'iam' }], ['root', { mode: 'root', email: ROOT_EMAIL }]] as Array<[string, Who]>) {
  describe(`lock-out of ${label}`, () => {
    let h: Harness;
    let known: ScriptedBrowser;
    before(async () => {
      h = await startHarness();
      // The user's own browser signs in once, and signs out: it is known from now on.
      known = h.browser({ ip: '192.0.2.10' });
      assert.equal((await known.signIn(who)).status, 303);
      assert.ok(known.cookie('keyless-device'), 'a completed sign-in leaves a device cookie');
      const home = await known.request('GET', '/console');
      const csrf = /name="csrf" value="([^"]+)"/.exec(home.body)![1]!;
      assert.equal((await known.request('POST', '/console/signout', { session_id: 'all', csrf })).status, 200);
    });
    after(() => h.close());

    it("strangers' wrong passwords, from many addresses, do not lock out the user's known browser", async () => {
      // 20 guesses from 20 addresses, each a fresh browser: exactly the limit is checked.
      const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => h.browser({ ip: `203.0.113.${i + 1}` }).signIn(wrong(who))));
      assert.deepEqual(statuses(guesses), [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), ...Array(20 - MAX_FAILURES_PER_PRINCIPAL).fill(429)]);
      // A stranger with the right password now waits too: the attacker got no more than the limit.
      assert.equal((await h.browser({ ip: '203.0.113.99' }).signIn(who)).status, 429);
      // The known browser signs in.
      assert.equal((await known.signIn(who)).status, 303);
    });

    it('the known browser has its own limit: after five wrong passwords from it, it waits as well', async () => {
      h.clock.advance(THROTTLE_WINDOW_MS);
      const own = await Promise.all(Array.from({ length: 8 }, () => known.signIn(wrong(who))));
      assert.deepEqual(statuses(own), [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), 429, 429, 429]);
      assert.equal((await known.signIn(who)).status, 429);
      // …which does not lock strangers' counter (a stranger with the password signs in).
      assert.equal((await h.browser({ ip: '203.0.113.50' }).signIn(who)).status, 303);
    });

    it('a device cookie counts only for the principals it signed in as, and cannot be forged', async () => {
      h.clock.advance(THROTTLE_WINDOW_MS);
      const other: Who = who.mode === 'root' ? { mode: 'iam' } : { mode: 'root', email: ROOT_EMAIL };
      for (let i = 0; i < MAX_FAILURES_PER_PRINCIPAL; i++) assert.equal((await h.browser({ ip: `198.51.100.${i + 1}` }).signIn(wrong(other))).status, 401);
      assert.equal((await known.signIn(other)).status, 429, 'known for one principal, a stranger for another');
      const forger = h.browser({ ip: '198.51.100.77' });
      const sealed = known.cookie('keyless-device')!;
      const at = sealed.length - 10; // inside the ciphertext, clear of the last character's padding bits
      forger.plantCookie('keyless-device', `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`);
      for (let i = 0; i < MAX_FAILURES_PER_PRINCIPAL; i++) await h.browser({ ip: `198.51.100.${i + 10}` }).signIn(wrong(who));
      assert.equal((await forger.signIn(who)).status, 429, 'an edited device cookie is a stranger');
      assert.equal((await known.signIn(who)).status, 303);
    });
  });
}

describe('lock-out at the MFA step', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("strangers who know the password cannot lock the user's known browser out with wrong codes; they get five", async () => {
    const name = 'mfa-lockout';
    await createUser(h.service.deps, { accountId: h.accountId, userName: name, password: PASSWORD });
    const who: Who = { mode: 'iam', username: name, password: PASSWORD };
    const known = h.browser({ ip: '192.0.2.40' });
    await known.signIn(who);
    const secret = await enrolMfa(known, h.clock.now());
    h.clock.advance(30_000);
    const code = (offset = 0) => hotp(secret, totpStep(h.clock.now()) + offset);

    const strangerGuess = async (i: number) => {
      const stranger = h.browser({ ip: `203.0.113.${i + 1}` });
      const challenge = await stranger.signIn(who);
      assert.equal(challenge.status, 200, 'the password is right: the code is asked for');
      return stranger.request('POST', '/console/signin/mfa', { ...formFields(challenge.body, '/console/signin/mfa'), code: code(100) });
    };
    const guesses = [];
    for (let i = 0; i < 8; i++) guesses.push(await strangerGuess(i));
    assert.deepEqual(statuses(guesses), [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), 429, 429, 429]);

    const challenge = await known.signIn(who);
    const done = await known.request('POST', '/console/signin/mfa', { ...formFields(challenge.body, '/console/signin/mfa'), code: code() });
    assert.equal(done.status, 303, 'the known browser signs in with the right code');
  });
});
