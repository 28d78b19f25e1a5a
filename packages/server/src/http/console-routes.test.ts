// The browser half as attacks that must fail: bad authorize links, CSRF, open redirects,
// reflected input, cookie flags, and sign-in that does not tell who exists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newLoginAttempt, startHarness, ACCOUNT_ID, type Harness } from '../testing/harness.ts';

describe('console and /v1/authorize', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('shows an error page, never a redirect, for an unknown client', async () => {
    const params = { ...newLoginAttempt().params, client_id: 'arn:aws:signin:::devtools/evil' };
    const response = await h.browser().request('GET', `/v1/authorize?${new URLSearchParams(params)}`);
    assert.equal(response.status, 400);
    assert.equal(response.headers.location, undefined);
    assert.match(response.body, /Unknown application/);
  });

  for (const uri of ['http://evil.example/oauth/callback', 'http://localhost:5000/oauth/callback', 'http://127.0.0.1:5000/other', 'http://127.0.0.1:5000/oauth/callback?x=1', 'https://127.0.0.1:5000/oauth/callback', 'http://user@127.0.0.1:5000/oauth/callback']) {
    it(`refuses the redirect URI ${uri} with a page`, async () => {
      const params = { ...newLoginAttempt().params, redirect_uri: uri };
      const response = await h.browser().request('GET', `/v1/authorize?${new URLSearchParams(params)}`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.location, undefined);
    });
  }

  it('accepts any loopback port, and [::1]', async () => {
    for (const uri of ['http://127.0.0.1:1/oauth/callback', 'http://[::1]:65535/oauth/callback']) {
      const params = { ...newLoginAttempt().params, redirect_uri: uri };
      const response = await h.browser().request('GET', `/v1/authorize?${new URLSearchParams(params)}`);
      assert.equal(response.status, 302, uri);
      assert.match(String(response.headers.location), /^\/console\/signin\?/);
    }
  });

  const redirectError = async (change: Record<string, string | undefined>, error: string) => {
    const attempt = newLoginAttempt();
    const params = Object.fromEntries(Object.entries({ ...attempt.params, ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const response = await h.browser().request('GET', `/v1/authorize?${new URLSearchParams(params)}`);
    assert.equal(response.status, 302);
    const location = new URL(String(response.headers.location));
    assert.equal(location.origin + location.pathname, attempt.redirectUri);
    assert.equal(location.searchParams.get('error'), error);
    if (params.state) assert.equal(location.searchParams.get('state'), params.state);
    assert.equal(location.searchParams.get('code'), null);
  };
  it('redirects code_challenge_method=plain back with invalid_request', () => redirectError({ code_challenge_method: 'plain' }, 'invalid_request'));
  it('redirects a malformed challenge back with invalid_request', () => redirectError({ code_challenge: 'short' }, 'invalid_request'));
  it('redirects a wrong response_type back', () => redirectError({ response_type: 'token' }, 'unsupported_response_type'));
  it('redirects a missing openid scope back', () => redirectError({ scope: 'profile' }, 'invalid_scope'));
  it('redirects a missing state back', () => redirectError({ state: undefined }, 'invalid_request'));
  it('refuses a repeated parameter', async () => {
    const attempt = newLoginAttempt();
    const query = `${new URLSearchParams(attempt.params)}&code_challenge=${attempt.params.code_challenge}`;
    const response = await h.browser().request('GET', `/v1/authorize?${query}`);
    assert.equal(new URL(String(response.headers.location)).searchParams.get('error'), 'invalid_request');
  });

  it('sets the browser cookie HttpOnly and SameSite=Lax, and sends a strict CSP', async () => {
    const response = await h.browser().request('GET', '/console/signin');
    assert.match(String(response.headers['set-cookie']), /^keyless-browser=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
  });

  it('refuses a sign-in form without the CSRF token, or from a foreign origin', async () => {
    const browser = h.browser();
    await browser.request('GET', '/console/signin');
    const missing = await browser.request('POST', '/console/signin', { mode: 'iam', account: ACCOUNT_ID, username: 'alice', password: 'alice-password-123' });
    assert.equal(missing.status, 403);
    const page = await browser.request('GET', '/console/signin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const foreign = await browser.request('POST', '/console/signin', { mode: 'iam', account: ACCOUNT_ID, username: 'alice', password: 'alice-password-123', csrf }, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    const other = h.browser();
    await other.request('GET', '/console/signin');
    const stolen = await other.request('POST', '/console/signin', { mode: 'iam', account: ACCOUNT_ID, username: 'alice', password: 'alice-password-123', csrf });
    assert.equal(stolen.status, 403, "another browser's token is worthless");
  });

  it('gives the same answer for a wrong password and an unknown user, and records the failure', async () => {
    const wrong = await h.browser().signIn({ mode: 'iam', password: 'not-the-password' });
    const unknown = await h.browser().signIn({ mode: 'iam', username: 'mallory', password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const message = (body: string) => /role="alert"[^>]*>([\s\S]*?)<\//.exec(body)?.[1];
    assert.ok(message(wrong.body));
    assert.equal(message(wrong.body), message(unknown.body));
    assert.doesNotMatch(wrong.body, /not-the-password/, 'the password is never re-rendered');
    const [event] = await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin' }));
    const record = JSON.parse(event!.record);
    assert.equal(record.eventType, 'AwsConsoleSignIn');
    assert.deepEqual(record.responseElements, { ConsoleLogin: 'Failure' });
  });

  it('signs in by account alias and records ConsoleLogin success', async () => {
    const response = await h.browser().signIn({ mode: 'iam', account: 'example' });
    assert.equal(response.status, 303);
    const [event] = await h.service.store.read((rs) => rs.audit.list({ eventName: 'ConsoleLogin' }));
    assert.deepEqual(JSON.parse(event!.record).responseElements, { ConsoleLogin: 'Success' });
  });

  it('follows return_to only back into /v1/authorize', async () => {
    const evil = await h.browser().signIn({ mode: 'root' }, 'https://evil.example/');
    assert.equal(evil.headers.location, '/console');
    const protocolRelative = await h.browser().signIn({ mode: 'root' }, '//evil.example/v1/authorize?x');
    assert.equal(protocolRelative.headers.location, '/console');
    const good = await h.browser().signIn({ mode: 'root' }, '/v1/authorize?client_id=x');
    assert.equal(good.headers.location, '/v1/authorize?client_id=x');
  });

  it('escapes whatever it reflects', async () => {
    const response = await h.browser().signIn({ mode: 'iam', username: '"><script>alert(1)</script>', password: 'x' });
    assert.doesNotMatch(response.body, /<script>alert/);
    assert.match(response.body, /&lt;script&gt;/);
  });

  it('continues only with a session of this browser', async () => {
    const alice = h.browser();
    await alice.signIn();
    const attempt = newLoginAttempt();
    const page = await alice.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    const sessionId = /name="session_id" value="([^"]+)"/.exec(page.body)![1]!;
    const mallory = h.browser();
    await mallory.signIn({ mode: 'root' });
    const malloryPage = await mallory.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(malloryPage.body)![1]!;
    const response = await mallory.request('POST', '/v1/authorize/continue', { ...attempt.params, session_id: sessionId, csrf });
    assert.equal(response.status, 303);
    assert.match(String(response.headers.location), /^\/v1\/authorize\?/, 'back to the chooser, no code');
  });

  it('returns an IPv6 loopback client by a page that navigates there (CSP form-action cannot name [::1])', async () => {
    const browser = h.browser();
    await browser.signIn();
    const attempt = newLoginAttempt(undefined, 'http://[::1]:53037/oauth/callback');
    const response = await browser.authorize(attempt.params);
    assert.equal(response.status, 200);
    assert.equal(response.headers.location, undefined);
    assert.match(response.body, /<meta http-equiv="refresh" content="0;url=http:\/\/\[::1\]:53037\/oauth\/callback\?code=[A-Za-z0-9_-]{43}&amp;state=/);
  });

  it('denies with access_denied and the state', async () => {
    const browser = h.browser();
    await browser.signIn();
    const attempt = newLoginAttempt();
    const page = await browser.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const response = await browser.request('POST', '/v1/authorize/deny', { ...attempt.params, csrf });
    const location = new URL(String(response.headers.location));
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), attempt.state);
  });

  it('signs out one session and then no code can be issued for it', async () => {
    const browser = h.browser();
    await browser.signIn();
    const home = await browser.request('GET', '/console');
    const csrf = /name="csrf" value="([^"]+)"/.exec(home.body)![1]!;
    const sessionId = /name="session_id" value="([^"]+)"/.exec(home.body)![1]!;
    const out = await browser.request('POST', '/console/signout', { session_id: sessionId, csrf });
    assert.equal(out.status, 200);
    const attempt = newLoginAttempt();
    const after = await browser.request('GET', `/v1/authorize?${new URLSearchParams(attempt.params)}`);
    assert.equal(after.status, 302, 'no session left: off to sign in');
    assert.match(String(after.headers.location), /^\/console\/signin/);
  });

  it('shows the cross-device verification code on the confirmation page', async () => {
    const response = await h.browser().request('GET', '/v1/sessions/confirmation?code=abc&state=xyz');
    assert.equal(response.status, 200);
    assert.ok(response.body.includes(Buffer.from('code=abc&state=xyz').toString('base64')));
  });
});
