/// <reference lib="dom" />
// Issue 3, MFA end to end with chromium: enrolment from the console (the QR code on the page is
// read back by a QR decoder and holds the key shown as text), then `keyless login` where the
// sign-in asks for the code — a wrong one first — and finally the administrator's recovery.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
// jsqr is CommonJS that also sets exports.default: under Node's ESM interop TypeScript types the
// default import as that exports object, so the function is its `default`.
import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { base32Decode } from '../../packages/server/src/crypto/base32.ts';
import { hotp, totpStep } from '../../packages/server/src/crypto/totp.ts';
import { newAwsHome, startLogin } from './support/aws-home.ts';
import { ensureBuilt } from './support/build.ts';
import { DESKTOP, launchChromium, PHONE } from './support/chromium.ts';
import { cleanUp, e2eTest, runKeyless } from './support/processes.ts';
import { createUser, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { alertText, expectHeading, fillSignIn } from './support/browser/console-pages.ts';
import { clearIssue3Screenshots, shot } from './support/browser/screenshots.ts';

const PASSWORD = 'mfa e2e passphrase 9';
let server: ServerProcess;
let browser: Browser;

before(async () => {
  ensureBuilt();
  clearIssue3Screenshots('mfa-');
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  await createUser(server, { name: 'maria', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await cleanUp();
});

const maria = () => ({ accountId: server.accountId, userName: 'maria', password: PASSWORD });

/**
 * The QR code as a scanner sees it: the inline SVG drawn onto a canvas at a whole number of pixels
 * per module, its pixels decoded by jsQR (the encoder package's own decoder fails on about one
 * valid code in eight: console/views/qr-code.test.ts).
 */
async function scanQrCode(page: Page): Promise<string> {
  const { size, pixels } = await page.evaluate(async () => {
    const svg = document.querySelector<SVGSVGElement>('svg.qr-code')!;
    const size = svg.viewBox.baseVal.width * 8;
    const image = new Image();
    image.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const context = canvas.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0, size, size);
    return { size, pixels: Array.from(context.getImageData(0, 0, size, size).data) };
  });
  const found = jsqr.default(Uint8ClampedArray.from(pixels), size, size);
  assert.ok(found, 'the QR code on the page decodes');
  return found.data;
}

let secret: Buffer;
const codeFor = (step: number) => hotp(secret, step);

e2eTest('an IAM user turns on MFA from the console: QR code and key, confirmed with one code', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/console/signin`, { timeout: 10_000 });
    await fillSignIn(page, maria());
    await expectHeading(page, 'Active sessions');
    await page.getByRole('link', { name: 'MFA settings for maria' }).click();
    await expectHeading(page, 'Multi-factor authentication');
    await shot(page, 'mfa-1-intro');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();

    await page.locator('svg.qr-code').waitFor({ timeout: 10_000 });
    const uri = new URL(await scanQrCode(page));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(decodeURIComponent(uri.href.slice(0, uri.href.indexOf('?'))), `otpauth://totp/Keyless:maria@${server.accountId}`);
    assert.equal(uri.searchParams.get('issuer'), 'Keyless');
    await page.getByText('Can’t scan it? Enter the key by hand').click();
    const shown = ((await page.locator('#mfa-secret').textContent()) ?? '').replace(/\s+/g, '');
    assert.equal(uri.searchParams.get('secret'), shown, 'the QR code holds the key shown as text');
    secret = base32Decode(shown)!;
    await shot(page, 'mfa-2-setup');

    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Turn on MFA' }).click();
    assert.match(await alertText(page), /That code is not correct/);
    await shot(page, 'mfa-3-setup-wrong-code');
    await page.getByLabel('6-digit code').fill(codeFor(totpStep(Date.now())));
    await page.getByRole('button', { name: 'Turn on MFA' }).click();
    await expectHeading(page, 'MFA is on');
    await shot(page, 'mfa-4-on');
  } finally {
    await context.close();
  }
});

e2eTest('keyless login for a user with MFA: password, then the code (a wrong one first), then the session chooser', { timeout: 60_000 }, async () => {
  assert.ok(secret, 'the enrolment test ran first');
  const home = newAwsHome();
  const login = await startLogin(home, { endpointUrl: server.url, profile: 'mfa' });
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    await fillSignIn(page, maria());
    await expectHeading(page, 'Enter your MFA code');
    await shot(page, 'mfa-5-challenge');
    await page.getByLabel('MFA code').fill(codeFor(totpStep(Date.now()) + 5));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    assert.match(await alertText(page), /That code is not correct/);
    await shot(page, 'mfa-6-challenge-wrong-code');
    // The next step's code: the current one was spent confirming the enrolment, if it is still current.
    await page.getByLabel('MFA code').fill(codeFor(totpStep(Date.now()) + 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expectHeading(page, 'Continue with an active session');
    assert.ok(await page.locator('.badge-ok', { hasText: 'MFA' }).isVisible(), 'the session shows that MFA was used');
    await shot(page, 'mfa-7-choose-session');
    await page.getByRole('button', { name: 'Continue as maria' }).click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/, { timeout: 10_000 });
  } finally {
    await context.close();
  }
  const result = await login.finished();
  assert.equal(result.loginSession, `arn:aws:iam::${server.accountId}:user/maria`);
});

e2eTest('a lost device: keyless admin deactivate-mfa, then the password alone signs in', { timeout: 40_000 }, async () => {
  const { stdout } = await runKeyless(['admin', 'deactivate-mfa', '--account', server.accountId, '--user', 'maria', '--json'], { env: server.adminEnv });
  assert.deepEqual(JSON.parse(stdout), { arn: `arn:aws:iam::${server.accountId}:user/maria`, mfaDeactivated: true });
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/console/signin`, { timeout: 10_000 });
    await fillSignIn(page, maria());
    await expectHeading(page, 'Active sessions');
  } finally {
    await context.close();
  }
});
