// Issue 3, brute force end to end: 20 chromium tabs of one browser submit a wrong password for the
// same user at the same moment against a real server. Exactly five are checked ("not correct"),
// fifteen are refused before argon2 runs ("Too many attempts"), and then even the right password
// waits — with the same words for a user that does not exist.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from './support/build.ts';
import { DESKTOP, launchChromium } from './support/chromium.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { createUser, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { alertText, fillSignIn } from './support/browser/console-pages.ts';
import { clearIssue3Screenshots, shot } from './support/browser/screenshots.ts';

const PASSWORD = 'throttle e2e passphrase 5';
const PARALLEL = 20;
const WRONG = 'The sign-in details are not correct. Check them and try again.';
const TOO_MANY = /^Too many attempts\. Try again in (1[45]|15) minutes\.$/;
let server: ServerProcess;
let browser: Browser;

before(async () => {
  ensureBuilt();
  clearIssue3Screenshots('throttle-');
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  await createUser(server, { name: 'tom', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await cleanUp();
});

/** Opens `count` sign-in tabs of one browser, fills them, and submits them all at once. */
async function guessInParallel(count: number, userName: string): Promise<{ pages: Page[]; alerts: string[] }> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const first = await context.newPage();
  await first.goto(`${server.url}/console/signin`, { timeout: 10_000 }); // sets the browser cookie once
  const pages = [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => context.newPage())))];
  await Promise.all(pages.slice(1).map((page) => page.goto(`${server.url}/console/signin`, { timeout: 15_000 })));
  for (const page of pages) {
    await page.getByLabel('Account ID or alias').fill(server.accountId);
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password').fill('not the password 123');
  }
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Sign in' }).click()));
  const alerts = await Promise.all(pages.map((page) => alertText(page)));
  return { pages, alerts };
}

e2eTest(`${PARALLEL} parallel wrong passwords for one user: 5 checked, 15 refused unchecked, then the right password waits too`, { timeout: 90_000 }, async () => {
  const { pages, alerts } = await guessInParallel(PARALLEL, 'tom');
  assert.equal(alerts.filter((text) => text === WRONG).length, 5, alerts.join('\n'));
  assert.equal(alerts.filter((text) => TOO_MANY.test(text)).length, PARALLEL - 5, alerts.join('\n'));
  await shot(pages[alerts.indexOf(WRONG)]!, 'throttle-1-wrong-password');
  await shot(pages[alerts.findIndex((text) => TOO_MANY.test(text))]!, 'throttle-2-too-many-attempts');

  const page = pages[0]!;
  await page.goto(`${server.url}/console/signin`, { timeout: 10_000 });
  await fillSignIn(page, { accountId: server.accountId, userName: 'tom', password: PASSWORD });
  assert.match(await alertText(page), TOO_MANY, 'the right password is not even checked during the window');
  await page.context().close();
});

e2eTest('a user name that does not exist gets exactly the same answers', { timeout: 90_000 }, async () => {
  const { pages, alerts } = await guessInParallel(8, 'nobody-by-this-name');
  assert.deepEqual(alerts.map((text) => (text === WRONG ? 'wrong' : TOO_MANY.test(text) ? 'too many' : text)).sort(), [...Array(3).fill('too many'), ...Array(5).fill('wrong')]);
  await pages[0]!.context().close();
});
