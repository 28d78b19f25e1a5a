// Issue 3 at the HTTP edge: brute-force throttling (atomic under parallel guesses, per principal,
// per typed name, per address) and the five-session limit with the sixth sign-in's choice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_CONSOLE_SESSIONS } from '../console/open-session.ts';
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_PRINCIPAL, THROTTLE_WINDOW_MS } from '../console/throttle.ts';
import { backends } from '../testing/backends.ts';
import { ACCOUNT_ID, formFields, startHarness, type Harness, type InjectResult } from '../testing/harness.ts';
import { createUser } from '../directory/directory-admin.ts';

/** A browser that already has its cookie, so parallel requests share it. */
async function browserWithCookie(h: Harness, ip: string) {
  const browser = h.browser({ ip });
  await browser.request('GET', '/console/signin');
  return browser;
}

const alertOf = (page: InjectResult) => /role="alert"[^>]*>([\s\S]*?)<\//.exec(page.body)?.[1];
const statuses = (pages: InjectResult[]) => pages.map((page) => page.status).sort();
const failedLogins = async (h: Harness) =>
  (await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin' }))).filter((event) => JSON.parse(event.record).responseElements.ConsoleLogin === 'Failure');

for (const backend of backends()) {
  describe(`brute-force throttle (${backend.name})`, { skip: backend.skip }, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ store: await backend.open() });
    });
    after(() => h.close());

    it(`20 parallel wrong passwords for one user: exactly ${MAX_FAILURES_PER_PRINCIPAL} are checked, the rest refused unchecked`, async () => {
      const browser = await browserWithCookie(h, '198.51.100.1');
      const pages = await Promise.all(Array.from({ length: 20 }, () => browser.signIn({ mode: 'iam', password: 'wrong-password-guess' })));
      // Every 401 is an argon2 check that failed; a 429 is refused before argon2 runs.
      assert.deepEqual(statuses(pages), [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), ...Array(20 - MAX_FAILURES_PER_PRINCIPAL).fill(429)]);
      assert.equal((await failedLogins(h)).length, MAX_FAILURES_PER_PRINCIPAL, 'one ConsoleLogin failure per check');
      const refused = pages.find((page) => page.status === 429)!;
      assert.equal(alertOf(refused), 'Too many attempts. Try again in 15 minutes.');

      // Even the right password waits for the window, from any address.
      const right = await h.browser({ ip: '198.51.100.2' }).signIn({ mode: 'iam' });
      assert.equal(right.status, 429);
      assert.match(alertOf(right)!, /^Too many attempts\. Try again in \d+ minutes?\.$/);

      h.clock.advance(THROTTLE_WINDOW_MS);
      const later = await h.browser({ ip: '198.51.100.2' }).signIn({ mode: 'iam' });
      assert.equal(later.status, 303, 'signs in again after the window');
    });

    it('an unknown user name is throttled the same way: no hint whether it exists', async () => {
      const browser = await browserWithCookie(h, '198.51.100.3');
      const pages = await Promise.all(Array.from({ length: 20 }, () => browser.signIn({ mode: 'iam', username: 'nobody', password: 'wrong-password-guess' })));
      assert.deepEqual(statuses(pages), [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), ...Array(20 - MAX_FAILURES_PER_PRINCIPAL).fill(429)]);
      const other = await browserWithCookie(h, '198.51.100.4');
      const known = await Promise.all(Array.from({ length: 6 }, () => other.signIn({ mode: 'root', password: 'wrong-password-guess' })));
      assert.equal(alertOf(pages.find((page) => page.status === 429)!), alertOf(known.find((page) => page.status === 429)!));
      assert.equal(alertOf(pages.find((page) => page.status === 401)!), alertOf(known.find((page) => page.status === 401)!));
      h.clock.advance(THROTTLE_WINDOW_MS);
    });

    it(`a source address gets ${MAX_FAILURES_PER_ADDRESS} failures across all names, then even a right password waits`, async () => {
      const ip = '203.0.113.7';
      const browser = await browserWithCookie(h, ip);
      for (let name = 0; name < MAX_FAILURES_PER_ADDRESS / 4; name++) {
        const pages = await Promise.all(Array.from({ length: 4 }, () => browser.signIn({ mode: 'iam', username: `guess-${name}`, password: 'wrong-password-guess' })));
        assert.deepEqual(statuses(pages), [401, 401, 401, 401]);
      }
      const blocked = await h.browser({ ip }).signIn({ mode: 'iam' });
      assert.equal(blocked.status, 429);
      assert.equal((await h.browser({ ip: '203.0.113.8' }).signIn({ mode: 'iam' })).status, 303, 'another address is not affected');
      h.clock.advance(THROTTLE_WINDOW_MS);
      assert.equal((await h.browser({ ip }).signIn({ mode: 'iam' })).status, 303);
    });

    it('successful sign-ins do not count: many in a row from one address', async () => {
      for (let i = 0; i < MAX_FAILURES_PER_PRINCIPAL + 2; i++) assert.equal((await h.browser({ ip: '203.0.113.9' }).signIn({ mode: 'root' })).status, 303);
    });
  });
}

describe('five console sessions per browser', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const deps = h.service.deps;
    for (const name of ['bob', 'carol', 'dave', 'erin', 'frank', 'grace']) await createUser(deps, { accountId: ACCOUNT_ID, userName: name, password: `${name}-password-123` });
  });
  after(() => h.close());

  const signInAs = (browser: ReturnType<Harness['browser']>, name: string, returnTo?: string) =>
    browser.signIn(name === 'root' ? { mode: 'root' } : { mode: 'iam', username: name, password: name === 'alice' ? undefined : `${name}-password-123` }, returnTo);
  const activeArns = async (browser: ReturnType<Harness['browser']>) => {
    const home = await browser.request('GET', '/console');
    return [...home.body.matchAll(/class="session-arn" dir="ltr">([^<]+)</g)].map((m) => m[1]!.replace(/.*[:/]/, ''));
  };

  it('two sessions side by side: both listed, each signs out alone', async () => {
    const browser = h.browser();
    assert.equal((await signInAs(browser, 'alice')).status, 303);
    assert.equal((await signInAs(browser, 'root')).status, 303);
    assert.deepEqual(await activeArns(browser), ['alice', 'root']);
    const home = await browser.request('GET', '/console');
    const aliceForm = formFields(home.body, '/console/signout');
    await browser.request('POST', '/console/signout', aliceForm);
    assert.deepEqual(await activeArns(browser), ['root']);
  });

  it('a sixth sign-in asks which session to sign out, then ends that one and opens the new one', async () => {
    const browser = h.browser();
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) assert.equal((await signInAs(browser, name)).status, 303);
    const sixth = await signInAs(browser, 'frank', '/console');
    assert.equal(sixth.status, 200);
    assert.match(sixth.body, /<h1>Choose a session to sign out<\/h1>/);
    assert.equal([...sixth.body.matchAll(/type="radio"/g)].length, MAX_CONSOLE_SESSIONS);
    assert.deepEqual(await activeArns(browser), ['alice', 'bob', 'carol', 'dave', 'erin'], 'nothing changed yet');

    const choices = [...sixth.body.matchAll(/<li class="choice">[\s\S]*?<\/li>/g)].map((m) => m[0]);
    const bobId = /value="([^"]+)"/.exec(choices.find((choice) => choice.includes('user/bob'))!)?.[1];
    assert.ok(bobId);
    const chosen = await browser.request('POST', '/console/signin/replace', { ...formFields(sixth.body, '/console/signin/replace'), session_id: bobId });
    assert.equal(chosen.status, 303);
    assert.equal(chosen.headers.location, '/console');
    assert.deepEqual(await activeArns(browser), ['alice', 'carol', 'dave', 'erin', 'frank']);
    const events = await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', username: 'frank' }));
    assert.equal(events.length, 1, 'ConsoleLogin is recorded once, when the session opens');
  });

  it('two tabs choosing at once still leave five, and a stale choice asks again', async () => {
    const browser = h.browser();
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) await signInAs(browser, name);
    const [tab1, tab2] = [await signInAs(browser, 'frank'), await signInAs(browser, 'grace')];
    // Both tabs pick "alice", the first choice: only one of them can use that room.
    const [first, second] = await Promise.all([
      browser.request('POST', '/console/signin/replace', formFields(tab1.body, '/console/signin/replace')),
      browser.request('POST', '/console/signin/replace', formFields(tab2.body, '/console/signin/replace')),
    ]);
    assert.deepEqual([first.status, second.status].sort(), [200, 303]);
    const loser = first.status === 200 ? first : second;
    assert.match(loser.body, /Choose a session to sign out/, 'asked again, with the current five');
    assert.equal((await activeArns(browser)).length, MAX_CONSOLE_SESSIONS);
  });

  it('eight tabs signing in at once into a browser with four sessions: five sessions, the rest asked to choose', async () => {
    const browser = h.browser();
    for (const name of ['alice', 'bob', 'carol', 'dave']) await signInAs(browser, name);
    // (The browser has its cookie from these sign-ins, so the parallel ones share it.)
    const names = ['erin', 'frank', 'grace', 'root', 'erin', 'frank', 'grace', 'root'];
    const pages = await Promise.all(names.map((name) => signInAs(browser, name)));
    assert.deepEqual(statuses(pages), [200, 200, 200, 200, 200, 200, 200, 303]);
    assert.equal((await activeArns(browser)).length, MAX_CONSOLE_SESSIONS);
  });

  it('refuses a pending sign-in from another browser, or after five minutes', async () => {
    const browser = h.browser();
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) await signInAs(browser, name);
    const sixth = await signInAs(browser, 'frank');
    const fields = formFields(sixth.body, '/console/signin/replace');
    const thief = h.browser();
    const thiefPage = await thief.request('GET', '/console/signin');
    const stolen = await thief.request('POST', '/console/signin/replace', { ...fields, csrf: formFields(thiefPage.body, '/console/signin').csrf! });
    assert.equal(stolen.status, 400);
    assert.match(stolen.body, /Sign in again/);
    h.clock.advance(5 * 60_000);
    const late = await browser.request('POST', '/console/signin/replace', fields);
    assert.equal(late.status, 400);
    assert.deepEqual(await activeArns(browser), ['alice', 'bob', 'carol', 'dave', 'erin']);
  });
});
