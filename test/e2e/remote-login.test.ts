/// <reference lib="dom" />
// Issue 3, `keyless login --remote` end to end: a real server and CLI child process; chromium on a
// phone-sized screen opens the URL the CLI printed, signs in, continues, and copies the
// verification code from the confirmation page; the code is pasted at the CLI's prompt — first a
// bad paste, which gets a message and another try, then the real one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { CROSS_DEVICE_CLIENT_ID, decodeVerificationCode } from '@keyless/protocol';
import { newAwsHome } from './support/aws-home.ts';
import { ensureBuilt } from './support/build.ts';
import { launchChromium, PHONE } from './support/chromium.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { createUser, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { expectHeading, fillSignIn } from './support/browser/console-pages.ts';
import { startRemoteLogin, type RemoteLogin } from './support/browser/remote-login.ts';
import { clearIssue3Screenshots, shot } from './support/browser/screenshots.ts';

const PASSWORD = 'remote e2e passphrase 7';
let server: ServerProcess;
let browser: Browser;
let login: RemoteLogin | undefined;

before(async () => {
  ensureBuilt();
  clearIssue3Screenshots('remote-');
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  await createUser(server, { name: 'alice', password: PASSWORD });
});

after(async () => {
  login?.kill();
  await browser?.close();
  await cleanUp();
});

e2eTest('keyless login --remote: sign in on a phone, paste the verification code into the CLI', { timeout: 60_000 }, async () => {
  const home = newAwsHome();
  login = await startRemoteLogin(home, { endpointUrl: server.url, profile: 'remote' });
  const authorize = new URL(login.authorizeUrl);
  assert.equal(authorize.searchParams.get('client_id'), CROSS_DEVICE_CLIENT_ID);
  assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/v1/sessions/confirmation`);

  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  let code: string;
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    await expectHeading(page, 'Sign in');
    await fillSignIn(page, { accountId: server.accountId, userName: 'alice', password: PASSWORD });

    await expectHeading(page, 'Continue with an active session');
    assert.ok(await page.getByText('A device is asking for credentials').isVisible());
    await shot(page, 'remote-1-choose-session');
    await page.getByRole('button', { name: 'Continue as alice' }).click();

    await page.waitForURL((url) => url.pathname === '/v1/sessions/confirmation', { timeout: 10_000 });
    await expectHeading(page, 'Your verification code');
    code = ((await page.locator('#verification-code').textContent()) ?? '').trim();
    assert.ok(decodeVerificationCode(code), 'the page shows a PROTOCOL.md §1 verification code');
    assert.equal(decodeVerificationCode(code)!.state, authorize.searchParams.get('state'));
    // The Copy button puts exactly the code on the clipboard (127.0.0.1 is a secure context).
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor({ timeout: 5000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    await shot(page, 'remote-2-confirmation');
  } finally {
    await context.close();
  }

  // A bad paste first: a message and the prompt again, not a stack trace.
  login.paste('this-is-not-the-code');
  await login.waitForStderr(/That is not a verification code[^\n]*Try again \(2 tries left\)\.\nVerification code: $/);
  assert.doesNotMatch(login.stderr(), /\n\s+at /, 'no stack trace');
  login.paste(code);
  const { code: exitCode, result } = await login.finished();
  assert.equal(exitCode, 0, login.stderr());
  const arn = `arn:aws:iam::${server.accountId}:user/alice`;
  assert.equal(result!.loginSession, arn);
  const cache = JSON.parse(readFileSync(home.cacheFileOf(arn), 'utf8'));
  assert.equal(cache.clientId, CROSS_DEVICE_CLIENT_ID);
  assert.match(cache.accessToken.accessKeyId, /^ASIA/);
  assert.match(home.readConfig(), /\[profile remote\]\nlogin_session = arn:aws:iam::\d{12}:user\/alice\n/);
  login = undefined;
});
