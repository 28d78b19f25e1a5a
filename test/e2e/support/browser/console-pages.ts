// Driving the console pages with playwright the way a person does: by labels, roles and headings.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export async function expectHeading(page: Page, heading: string | RegExp): Promise<void> {
  const h1 = page.getByRole('heading', { level: 1 });
  await h1.waitFor({ timeout: 10_000 });
  const text = (await h1.textContent())?.trim() ?? '';
  if (typeof heading === 'string') assert.equal(text, heading, `h1 on ${page.url()}`);
  else assert.match(text, heading, `h1 on ${page.url()}`);
}

/** Fills the IAM user (or root) form of the sign-in page it is on and submits it. */
export async function fillSignIn(page: Page, who: { accountId: string; userName: string; password: string } | { email: string; password: string }): Promise<void> {
  if ('email' in who) {
    if (new URL(page.url()).searchParams.get('mode') !== 'root') {
      await page.getByRole('link', { name: 'Root user' }).click();
      await page.waitForURL((url) => url.searchParams.get('mode') === 'root', { timeout: 10_000 });
    }
    await page.getByLabel('Email address').fill(who.email);
  } else {
    await page.getByLabel('Account ID or alias').fill(who.accountId);
    await page.getByLabel('User name').fill(who.userName);
  }
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The text of the page's error alert, once it shows. */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  return ((await alert.textContent()) ?? '').trim();
}
