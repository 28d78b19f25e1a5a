// Issue 3's MFA at the HTTP edge: enrolment from the console, the code step at sign-in, replay
// protection, throttled codes, what the audit trail records, and the administrator's recovery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base32Decode } from '../crypto/base32.ts';
import { hotp, totpStep } from '../crypto/totp.ts';
import { MAX_FAILURES_PER_PRINCIPAL, THROTTLE_WINDOW_MS } from '../console/throttle.ts';
import { createUser, deactivateMfa, findPrincipalOf } from '../directory/directory-admin.ts';
import { ACCOUNT_ID, allowLogin, formFields, newLoginAttempt, postToken, redeemBody, startHarness, type Harness, type ScriptedBrowser } from '../testing/harness.ts';

const codeAt = (secret: Buffer, ms: number, offsetSteps = 0) => hotp(secret, totpStep(ms) + offsetSteps);
const decodeHtml = (text: string) => text.replace(/&amp;/g, '&');
const as = (name: string) => ({ mode: 'iam' as const, username: name, password: `${name}-password-123` });

describe('MFA (TOTP) in the console', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  /** A fresh IAM user, so each test starts without a device. */
  async function newUser(): Promise<string> {
    const name = `mfa-user-${++n}`;
    await createUser(h.service.deps, { accountId: ACCOUNT_ID, userName: name, password: `${name}-password-123` });
    await allowLogin(h.service.deps, ACCOUNT_ID, name);
    return name;
  }

  /** Signs in, opens the MFA page from the console, starts and confirms enrolment; returns the secret. */
  async function enrol(browser: ScriptedBrowser, name: string): Promise<Buffer> {
    assert.equal((await browser.signIn(as(name))).status, 303);
    const home = await browser.request('GET', '/console');
    const link = decodeHtml(new RegExp(`href="(/console/mfa\\?session=[^"]+)">MFA settings<span class="visually-hidden"> for <bdi>${name}<`).exec(home.body)![1]!);
    const intro = await browser.request('GET', link);
    assert.match(intro.body, /<h1>Multi-factor authentication<\/h1>/);
    const started = await browser.request('POST', '/console/mfa/start', formFields(intro.body, '/console/mfa/start'));
    assert.equal(started.status, 303);
    const pending = await browser.request('GET', String(started.headers.location));
    assert.match(pending.body, /<svg class="qr-code"/);
    const secret = base32Decode(/id="mfa-secret" dir="ltr">([^<]+)</.exec(pending.body)![1]!)!;
    assert.equal(secret.length, 20);
    const confirmed = await browser.request('POST', '/console/mfa/confirm', { ...formFields(pending.body, '/console/mfa/confirm'), code: codeAt(secret, h.clock.now()) });
    assert.equal(confirmed.status, 303);
    const on = await browser.request('GET', String(confirmed.headers.location));
    assert.match(on.body, /<h1>MFA is on<\/h1>/);
    assert.doesNotMatch(on.body, /mfa-secret/, 'the secret is never shown again');
    return secret;
  }

  it('enrols with the QR code or key and one code; the secret is stored sealed', async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    const principal = await findPrincipalOf(h.service.deps, ACCOUNT_ID, name);
    const device = await h.service.store.read((rs) => rs.mfaDevices.find(principal.id));
    assert.ok(device?.enabled_at);
    assert.match(device.secret_sealed, /^v1\./);
    assert.ok(!device.secret_sealed.includes(secret.toString('hex')));
  });

  it('enrolment is recorded as IAM records it: CreateVirtualMFADevice, a failed then a successful EnableMFADevice, by the user, with no secret or code', async () => {
    const name = await newUser();
    const browser = h.browser();
    await browser.signIn(as(name));
    const home = await browser.request('GET', '/console');
    const intro = await browser.request('GET', decodeHtml(/href="(\/console\/mfa\?session=[^"]+)"/.exec(home.body)![1]!));
    const pending = await browser.request('GET', String((await browser.request('POST', '/console/mfa/start', formFields(intro.body, '/console/mfa/start'))).headers.location));
    const secretText = /id="mfa-secret" dir="ltr">([^<]+)</.exec(pending.body)![1]!;
    const secret = base32Decode(secretText)!;
    const wrongCode = codeAt(secret, h.clock.now(), 5);
    await browser.request('POST', '/console/mfa/confirm', { ...formFields(pending.body, '/console/mfa/confirm'), code: wrongCode });
    const rightCode = codeAt(secret, h.clock.now());
    assert.equal((await browser.request('POST', '/console/mfa/confirm', { ...formFields(pending.body, '/console/mfa/confirm'), code: rightCode })).status, 303);

    const rows = await h.service.store.read((rs) => rs.audit.list({ username: name }));
    const records = rows.map((row) => JSON.parse(row.record)).filter((r) => r.eventSource === 'iam.amazonaws.com' && r.eventName !== 'CreateUser' && r.eventName !== 'CreateLoginProfile');
    const serialNumber = `arn:aws:iam::${ACCOUNT_ID}:mfa/${name}`;
    assert.deepEqual(
      records.map((r) => `${r.eventName} ${r.errorCode ?? 'ok'}`).sort(),
      ['CreateVirtualMFADevice ok', 'EnableMFADevice InvalidAuthenticationCodeException', 'EnableMFADevice ok'],
    );
    for (const record of records) {
      assert.equal(record.userIdentity.type, 'IAMUser');
      assert.equal(record.userIdentity.userName, name, 'the user made the change, from the console session');
      assert.equal(record.awsRegion, 'us-east-1');
      for (const secretValue of [secretText, secretText.replace(/\s+/g, ''), wrongCode, rightCode]) assert.ok(!JSON.stringify(record).includes(secretValue), `${record.eventName} holds no secret or code`);
    }
    const created = records.find((r) => r.eventName === 'CreateVirtualMFADevice');
    assert.deepEqual(created.requestParameters, { path: '/', virtualMFADeviceName: name });
    assert.deepEqual(created.responseElements, { virtualMFADevice: { serialNumber } });
    const enabled = records.find((r) => r.eventName === 'EnableMFADevice' && !r.errorCode);
    assert.deepEqual(enabled.requestParameters, { userName: name, serialNumber });
    assert.equal(enabled.responseElements, null);
  });

  it('a wrong confirming code leaves MFA off and says so', async () => {
    const name = await newUser();
    const browser = h.browser();
    await browser.signIn(as(name));
    const home = await browser.request('GET', '/console');
    const link = decodeHtml(/href="(\/console\/mfa\?session=[^"]+)"/.exec(home.body)![1]!);
    const intro = await browser.request('GET', link);
    const pending = await browser.request('GET', String((await browser.request('POST', '/console/mfa/start', formFields(intro.body, '/console/mfa/start'))).headers.location));
    const wrong = await browser.request('POST', '/console/mfa/confirm', { ...formFields(pending.body, '/console/mfa/confirm'), code: '000000' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /That code is not correct/);
    assert.match(wrong.body, /<svg class="qr-code"/, 'the QR code is shown again');
    // Signing in still needs only the password.
    assert.equal((await h.browser().signIn(as(name))).status, 303);
  });

  it('then sign-in asks for the code; a wrong one is refused, the right one opens an MFA session', async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    h.clock.advance(30_000);
    const browser = h.browser();
    const step1 = await browser.signIn(as(name), '/console');
    assert.equal(step1.status, 200, 'the password alone opens no session');
    assert.match(step1.body, /<h1>Enter your MFA code<\/h1>/);
    assert.match((await browser.request('GET', '/console')).body, /You are not signed in/);

    const fields = formFields(step1.body, '/console/signin/mfa');
    assert.deepEqual(Object.keys(fields).sort(), ['challenge', 'csrf', 'return_to']);
    const wrong = await browser.request('POST', '/console/signin/mfa', { ...fields, code: codeAt(secret, h.clock.now(), 3) });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /That code is not correct/);
    const right = await browser.request('POST', '/console/signin/mfa', { ...formFields(wrong.body, '/console/signin/mfa'), code: codeAt(secret, h.clock.now()) });
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, '/console');
    assert.match((await browser.request('GET', '/console')).body, /badge-ok">MFA</);

    const events = (await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', username: name }))).map((event) => JSON.parse(event.record));
    const outcomes = events.map((record) => [record.responseElements.ConsoleLogin, record.additionalEventData.MFAUsed]);
    assert.deepEqual(outcomes.filter(([, mfa]) => mfa === 'Yes').sort(), [['Failure', 'Yes'], ['Success', 'Yes']]);
  });

  it('whether MFA was used travels to the login session and the token audit (mfaAuthenticated)', async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    h.clock.advance(30_000);
    const browser = h.browser();
    const step1 = await browser.signIn(as(name));
    await browser.request('POST', '/console/signin/mfa', { ...formFields(step1.body, '/console/signin/mfa'), code: codeAt(secret, h.clock.now()) });
    const attempt = newLoginAttempt();
    const redirect = await browser.authorize(attempt.params);
    const code = new URL(String(redirect.headers.location)).searchParams.get('code')!;
    const token = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(token.status, 200);
    const [event] = await h.service.store.read((rs) => rs.audit.list({ eventName: 'CreateOAuth2Token', username: name }));
    assert.equal(JSON.parse(event!.record).userIdentity.sessionContext.attributes.mfaAuthenticated, 'true');

    // And a password-only user's token says false.
    const plain = h.browser();
    await plain.signIn();
    const other = newLoginAttempt();
    const otherCode = new URL(String((await plain.authorize(other.params)).headers.location)).searchParams.get('code')!;
    await postToken(h, redeemBody(other, otherCode), { key: other.key });
    const [plainEvent] = await h.service.store.read((rs) => rs.audit.list({ eventName: 'CreateOAuth2Token', username: 'alice' }));
    assert.equal(JSON.parse(plainEvent!.record).userIdentity.sessionContext.attributes.mfaAuthenticated, 'false');
    const [login] = await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin', username: 'alice' }));
    assert.equal(JSON.parse(login!.record).additionalEventData.MFAUsed, 'No');
  });

  it('a code is accepted once: the same code again, even in another browser, is refused', async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    const confirming = codeAt(secret, h.clock.now());
    const first = h.browser();
    const step1 = await first.signIn(as(name));
    const replayOfConfirming = await first.request('POST', '/console/signin/mfa', { ...formFields(step1.body, '/console/signin/mfa'), code: confirming });
    assert.equal(replayOfConfirming.status, 401, 'the code that confirmed enrolment is spent');

    h.clock.advance(30_000);
    const code = codeAt(secret, h.clock.now());
    assert.equal((await first.request('POST', '/console/signin/mfa', { ...formFields(step1.body, '/console/signin/mfa'), code })).status, 303);
    const second = h.browser();
    const again = await second.signIn(as(name));
    const replay = await second.request('POST', '/console/signin/mfa', { ...formFields(again.body, '/console/signin/mfa'), code });
    assert.equal(replay.status, 401);
  });

  it(`20 parallel wrong codes: exactly ${MAX_FAILURES_PER_PRINCIPAL} are checked, then even the right code waits for the window`, async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    h.clock.advance(30_000);
    const browser = h.browser();
    const step1 = await browser.signIn(as(name));
    const fields = formFields(step1.body, '/console/signin/mfa');
    const wrongCode = String((Number(codeAt(secret, h.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const pages = await Promise.all(Array.from({ length: 20 }, () => browser.request('POST', '/console/signin/mfa', { ...fields, code: wrongCode })));
    assert.deepEqual(
      pages.map((page) => page.status).sort(),
      [...Array(MAX_FAILURES_PER_PRINCIPAL).fill(401), ...Array(20 - MAX_FAILURES_PER_PRINCIPAL).fill(429)],
    );
    const blocked = await browser.request('POST', '/console/signin/mfa', { ...fields, code: codeAt(secret, h.clock.now()) });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /Too many attempts\. Try again in 15 minutes\./);

    h.clock.advance(THROTTLE_WINDOW_MS);
    const later = await browser.signIn(as(name));
    assert.equal((await browser.request('POST', '/console/signin/mfa', { ...formFields(later.body, '/console/signin/mfa'), code: codeAt(secret, h.clock.now()) })).status, 303);
  });

  it('an enabled device cannot be replaced from the console, only removed by an administrator', async () => {
    const name = await newUser();
    const browser = h.browser();
    const secret = await enrol(browser, name);
    const home = await browser.request('GET', '/console');
    const sessionId = /name="session_id" value="([^"]+)"/.exec(home.body)![1]!;
    const restart = await browser.request('POST', '/console/mfa/start', { csrf: formFields(home.body, '/console/signout').csrf!, session_id: sessionId });
    const after = await browser.request('GET', String(restart.headers.location));
    assert.match(after.body, /<h1>MFA is on<\/h1>/);
    const deps = h.service.deps;
    const principal = await findPrincipalOf(deps, ACCOUNT_ID, name);
    assert.equal(await deactivateMfa(deps, principal), true);
    assert.equal(await deactivateMfa(deps, principal), false);
    assert.equal((await h.browser().signIn(as(name))).status, 303, 'the password alone again');
    assert.ok(secret);
  });

  it('a challenge is bound to its browser and to five minutes', async () => {
    const name = await newUser();
    const secret = await enrol(h.browser(), name);
    h.clock.advance(30_000);
    const browser = h.browser();
    const step1 = await browser.signIn(as(name));
    const fields = formFields(step1.body, '/console/signin/mfa');
    const thief = h.browser();
    const thiefForm = await thief.request('GET', '/console/signin');
    const stolen = await thief.request('POST', '/console/signin/mfa', { ...fields, csrf: formFields(thiefForm.body, '/console/signin').csrf!, code: codeAt(secret, h.clock.now()) });
    assert.equal(stolen.status, 400);
    h.clock.advance(5 * 60_000);
    const late = await browser.request('POST', '/console/signin/mfa', { ...fields, code: codeAt(secret, h.clock.now()) });
    assert.equal(late.status, 400);
    assert.match(late.body, /Sign in again/);
  });

  it('the MFA page belongs to a session of this browser only', async () => {
    const browser = h.browser();
    await browser.signIn();
    const home = await browser.request('GET', '/console');
    const link = decodeHtml(/href="(\/console\/mfa\?session=[^"]+)"/.exec(home.body)![1]!);
    assert.equal((await h.browser().request('GET', link)).status, 404);
  });
});
