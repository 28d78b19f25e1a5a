// Issue 3, several console sessions in one browser, end to end with chromium: two sessions on the
// authorize screen (and its Refresh link picking up a session opened in another tab), the CLI
// continuing as the second; then five, a sixth sign-in that asks which one to sign out, and
// signing out one session alone.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { newAwsHome, startLogin } from './support/aws-home.ts';
import { ensureBuilt } from './support/build.ts';
import { DESKTOP, launchChromium } from './support/chromium.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { createUser, ROOT_EMAIL, ROOT_PASSWORD, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { expectHeading, fillSignIn } from './support/browser/console-pages.ts';
import { clearIssue3Screenshots, shot } from './support/browser/screenshots.ts';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const passwordOf = (name: string) => `${name} e2e passphrase 3`;
let server: ServerProcess;
let browser: Browser;

before(async () => {
  ensureBuilt();
  clearIssue3Screenshots('sessions-');
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  for (const name of USERS) await createUser(server, { name, password: passwordOf(name) });
});

after(async () => {
  await browser?.close();
  await cleanUp();
});

const user = (name: string) => ({ accountId: server.accountId, userName: name, password: passwordOf(name) });
/** The principal names listed on the page it is on (authorize chooser, console, sign-out choice). */
const listedNames = async (page: Page) => (await page.locator('.session-name').allTextContents()).map((name) => name.trim());

async function signInOnConsole(page: Page, name: string): Promise<void> {
  await page.goto(`${server.url}/console/signin`, { timeout: 10_000 });
  await fillSignIn(page, user(name));
}

e2eTest('two sessions in one browser: the authorize screen lists both, Refresh finds a third, the CLI continues as root', { timeout: 60_000 }, async () => {
  const home = newAwsHome();
  const login = await startLogin(home, { endpointUrl: server.url, profile: 'second' });
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    await fillSignIn(page, user('alice'));
    await expectHeading(page, 'Continue with an active session');
    await page.getByRole('link', { name: 'Sign in to another session' }).click();
    await expectHeading(page, 'Sign in');
    await fillSignIn(page, { email: ROOT_EMAIL, password: ROOT_PASSWORD });
    await expectHeading(page, 'Continue with an active session');
    assert.deepEqual(await listedNames(page), ['alice', 'Root user']);
    await shot(page, 'sessions-1-two-sessions');

    // Another tab of the same browser opens a third session; Refresh shows it here.
    const other = await context.newPage();
    await signInOnConsole(other, 'bob');
    await expectHeading(other, 'Active sessions');
    await other.close();
    await page.getByRole('link', { name: 'Refresh' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.session-name').length === 3, undefined, { timeout: 10_000 });
    assert.deepEqual(await listedNames(page), ['alice', 'Root user', 'bob']);

    await page.getByRole('button', { name: 'Continue as Root user' }).click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/, { timeout: 10_000 });
  } finally {
    await context.close();
  }
  const result = await login.finished();
  assert.equal(result.loginSession, `arn:aws:iam::${server.accountId}:root`);
});

e2eTest('six sign-ins in one browser: the sixth asks which session to sign out; each session signs out alone', { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    for (const name of USERS.slice(0, 5)) {
      await signInOnConsole(page, name);
      await expectHeading(page, 'Active sessions');
    }
    assert.deepEqual(await listedNames(page), USERS.slice(0, 5));
    assert.ok(await page.getByText('signed in to 5 of at most 5 sessions').isVisible());
    await shot(page, 'sessions-2-five-sessions');

    await signInOnConsole(page, 'frank');
    await expectHeading(page, 'Choose a session to sign out');
    assert.deepEqual(await listedNames(page), USERS.slice(0, 5));
    assert.equal(await page.getByRole('radio').count(), 5);
    await shot(page, 'sessions-3-choose-sign-out');
    await page.locator('li.choice', { hasText: 'user/bob' }).locator('label').click();
    assert.ok(await page.locator('li.choice', { hasText: 'user/bob' }).getByRole('radio').isChecked());
    await page.getByRole('button', { name: 'Sign out of it and continue' }).click();

    await expectHeading(page, 'Active sessions');
    assert.deepEqual(await listedNames(page), ['alice', 'carol', 'dave', 'erin', 'frank']);
    await shot(page, 'sessions-4-after-choice');

    await page.getByRole('button', { name: 'Sign out of carol' }).click();
    await expectHeading(page, 'You are signed out');
    assert.ok(await page.getByText('still signed in to 4 other sessions').isVisible());
    await shot(page, 'sessions-5-signed-out-one');
    await page.getByRole('link', { name: 'Manage sessions' }).click();
    await expectHeading(page, 'Active sessions');
    assert.deepEqual(await listedNames(page), ['alice', 'dave', 'erin', 'frank']);
  } finally {
    await context.close();
  }
});
