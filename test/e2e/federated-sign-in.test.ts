// Issue 3, federated sign-in end to end: `oidc-provider` (an independent, certified OpenID
// provider) as the organisation's IdP on 127.0.0.1, Keyless configured with it and with roles
// whose trust policies name it with conditions on its claims, chromium driving `keyless login`
// through "Sign in with …", the IdP's own login and consent pages, the role picker and the
// authorize chooser; then the official STS client with what the CLI wrote.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Browser, Page } from 'playwright-core';
import { newAwsHome, startLogin } from './support/aws-home.ts';
import { useAwsEnvironment } from './support/aws-env.ts';
import { ensureBuilt } from './support/build.ts';
import { DESKTOP, launchChromium, PHONE } from './support/chromium.ts';
import { cleanUp, e2eTest, runKeyless } from './support/processes.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { expectHeading } from './support/browser/console-pages.ts';
import { clearIssue3Screenshots, shot } from './support/browser/screenshots.ts';
import { startIdp, type Idp } from './support/federation/oidc-idp.ts';

const PROVIDER_NAME = 'Example SSO';
let server: ServerProcess;
let browser: Browser;
let idp: Idp;
let providerPath: string;

const ACCOUNTS = {
  ada: { sub: 'ada-0001', email: 'ada@example.com', groups: ['engineering', 'oncall'] },
  mallory: { sub: 'mal-0666', email: 'mallory@elsewhere.example', groups: ['sales'] },
};

const admin = (args: string[], input?: string) => runKeyless(['admin', ...args, '--json'], { env: server.adminEnv, input });

before(async () => {
  ensureBuilt();
  clearIssue3Screenshots('federation-');
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  idp = await startIdp({ redirectUri: `${server.url}/console/federation/callback`, accounts: ACCOUNTS });
  const { stdout } = await admin(['create-oidc-provider', '--account', server.accountId, '--issuer', idp.issuer, '--client-id', idp.clientId, '--name', PROVIDER_NAME, '--client-secret-stdin'], idp.clientSecret);
  const provider = JSON.parse(stdout) as { arn: string };
  providerPath = provider.arn.slice(provider.arn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
  const trust = (condition: object) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider.arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] });
  // Engineers may be developers for two hours; anyone with an example.com address may read.
  await admin(['create-role', '--account', server.accountId, '--name', 'Developer', '--max-session-duration', '2h', '--trust-policy', trust({ 'ForAnyValue:StringEquals': { [`${providerPath}:groups`]: 'engineering' }, StringEquals: { [`${providerPath}:aud`]: idp.clientId } })]);
  await admin(['create-role', '--account', server.accountId, '--name', 'ReadOnly', '--trust-policy', trust({ StringLike: { [`${providerPath}:email`]: '*@example.com' } })]);
  for (const role of ['Developer', 'ReadOnly']) await admin(['attach-policy', '--account', server.accountId, '--role', role, '--policy-arn', 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess']);
});

after(async () => {
  await browser?.close();
  await idp?.stop();
  await cleanUp();
});

/** The IdP's development login page (any password) and its consent page. */
async function signInAtIdp(page: Page, login: string): Promise<void> {
  // `commit`: the dev pages @import a web font, and 'load' waits for a network this machine lacks.
  await page.waitForURL((url) => url.origin === idp.issuer, { timeout: 10_000, waitUntil: 'commit' });
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password at the dev IdP');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await consent.waitFor({ timeout: 10_000 });
  await consent.click();
}

e2eTest('federated sign-in: Sign in with Example SSO, pick a role, keyless login as the assumed-role session, STS answers as it', { timeout: 90_000 }, async (t) => {
  const home = newAwsHome();
  const login = await startLogin(home, { endpointUrl: server.url, profile: 'fed' });
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    await expectHeading(page, 'Sign in');
    await shot(page, 'federation-1-sign-in');
    await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
    await signInAtIdp(page, 'ada');

    await expectHeading(page, 'Choose a role');
    assert.deepEqual((await page.locator('.session-name').allTextContents()).map((s) => s.trim()), ['Developer', 'ReadOnly']);
    assert.ok(await page.getByText(`arn:aws:sts::${server.accountId}:assumed-role/Developer/ada@example.com`).isVisible());
    assert.ok(await page.getByText('2 h', { exact: true }).isVisible(), 'Developer shows its 2-hour maximum');
    await shot(page, 'federation-2-choose-role');
    await page.locator('li.choice', { hasText: 'Developer' }).locator('label').click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expectHeading(page, 'Continue with an active session');
    await shot(page, 'federation-3-authorize');
    await page.getByRole('button', { name: 'Continue as ada@example.com' }).click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/, { timeout: 10_000 });
  } finally {
    await context.close();
  }
  const sessionArn = `arn:aws:sts::${server.accountId}:assumed-role/Developer/ada@example.com`;
  const result = await login.finished();
  assert.equal(result.loginSession, sessionArn);
  assert.equal(result.accountId, server.accountId);
  assert.match(home.readConfig(), new RegExp(`login_session = ${sessionArn.replace(/[/.+]/g, '\\$&')}`));
  const cache = JSON.parse(readFileSync(home.cacheFileOf(sessionArn), 'utf8')) as { accessToken: { accountId: string; accessKeyId: string }; idToken: string };
  assert.equal(cache.accessToken.accountId, server.accountId);
  assert.equal(JSON.parse(Buffer.from(cache.idToken.split('.')[1]!, 'base64url').toString()).sub, sessionArn);

  // The role allows two hours; the login session ends within them.
  const { stdout } = await admin(['list-sessions']);
  const session = stdout.trim().split('\n').map((line) => JSON.parse(line) as { arn: string; createdAt: string; expiresAt: string }).find((s) => s.arn === sessionArn)!;
  const lasts = Date.parse(session.expiresAt) - Date.parse(session.createdAt);
  assert.ok(lasts <= 2 * 3600_000 && lasts > 2 * 3600_000 - 60_000, `login session lasts ${lasts} ms`);

  useAwsEnvironment(t, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/credentials`, AWS_LOGIN_CACHE_DIRECTORY: home.cacheDir, AWS_PROFILE: 'fed' });
  const sts = new STSClient({});
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, sessionArn);
    assert.equal(identity.Account, server.accountId);
    assert.match(identity.UserId ?? '', /^AROA[A-Z2-7]{17}:ada@example\.com$/);
  } finally {
    sts.destroy();
  }

  // The audit trail names the role session the AWS way.
  const events = await runKeyless(['audit', 'lookup', '--max', '200'], { env: server.adminEnv });
  const records = events.stdout.trim().split('\n').map((line) => JSON.parse(line) as { eventName: string; userIdentity: { type: string; arn: string; principalId: string; sessionContext?: { sessionIssuer?: { arn: string } } } });
  for (const name of ['ConsoleLogin', 'AuthorizeOAuth2Access', 'CreateOAuth2Token']) {
    const record = records.find((r) => r.eventName === name && r.userIdentity.arn === sessionArn);
    assert.ok(record, `${name} by ${sessionArn}`);
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.match(record.userIdentity.principalId, /^AROA[A-Z2-7]{17}:ada@example\.com$/);
    assert.equal(record.userIdentity.sessionContext?.sessionIssuer?.arn, `arn:aws:iam::${server.accountId}:role/Developer`);
  }
});

e2eTest('federated sign-in refusals are pages: claims no trust policy admits, and Cancel at the IdP', { timeout: 60_000 }, async () => {
  for (const step of ['no-role', 'cancel'] as const) {
    // A fresh browser each time: the IdP would otherwise remember the first sign-in and skip its pages.
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/signin`, { timeout: 10_000 });
      await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
      if (step === 'no-role') {
        await signInAtIdp(page, 'mallory');
        await expectHeading(page, 'No role for you here');
        assert.ok(await page.getByText(`no role in Keyless trusts ${PROVIDER_NAME}`).isVisible());
        await shot(page, 'federation-4-no-role');
      } else {
        // The dev login page's Cancel answers error=access_denied (RFC 6749 §4.1.2.1).
        await page.waitForURL((url) => url.origin === idp.issuer, { timeout: 10_000, waitUntil: 'commit' });
        await page.getByRole('link', { name: '[ Cancel ]' }).click();
        await expectHeading(page, `${PROVIDER_NAME} did not sign you in`);
        await shot(page, 'federation-5-idp-refused');
      }
      assert.doesNotMatch(await page.content(), /at \S+ \(|Error:/, 'no stack trace');
    } finally {
      await context.close();
    }
  }
});
