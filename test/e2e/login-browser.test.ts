// End to end with a real browser (issue 2, "How it is verified"): a real `keyless serve` child
// process, the real `keyless login` child process, and Debian's chromium clicking through the
// sign-in page, the session chooser and the CLI's callback page. Then what the CLI left on disk
// is checked against PROTOCOL.md §3, and `keyless logout` against the server.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createDpopProof, SAME_DEVICE_CLIENT_ID } from '@keyless/protocol';
import { newAwsHome, startLogin, type AwsHome, type LoginResult } from './support/aws-home.ts';
import { ensureBuilt } from './support/build.ts';
import { clearScreenshots, DESKTOP, launchChromium, PHONE, snapshot } from './support/chromium.ts';
import { cleanUp, e2eTest, runKeyless } from './support/processes.ts';
import { createUser, ROOT_EMAIL, ROOT_PASSWORD, startServerProcess, type ServerProcess } from './support/server-process.ts';

const ALICE_PASSWORD = 'alice e2e passphrase 42';
const PROFILE = 'e2e';
/** A hand-written config the login must not disturb: a comment, another profile, odd spacing. */
const EXISTING_CONFIG = `# Written by hand. Keyless must keep this line, byte for byte.
[profile other]
region=eu-west-1
;   a comment inside a section
output = json

`;

let server: ServerProcess;
let browser: Browser;

before(async () => {
  ensureBuilt();
  clearScreenshots(['iam-', 'root-']);
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  await createUser(server, { name: 'alice', password: ALICE_PASSWORD });
});

after(async () => {
  await browser?.close();
  await cleanUp();
});

/** The page must be at `pathname` on the server, with an <h1> saying `heading`. */
async function expectPage(page: Page, pathname: string, heading: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === pathname, { timeout: 10_000 });
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent())?.trim(), heading, `h1 on ${page.url()}`);
}

/** After "Continue as …": the CLI's loopback callback page. */
async function expectCallbackPage(page: Page): Promise<void> {
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/, { timeout: 10_000 });
  await page.getByText('return to your terminal').waitFor({ timeout: 10_000 });
  assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /Signed in/);
}

const decodeJwtPayload = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/** PROTOCOL.md §3, field by field. Returns the parsed file. */
function checkCacheFile(home: AwsHome, result: LoginResult, arn: string, loggedInAt: number): Record<string, any> {
  const path = home.cacheFileOf(arn);
  assert.equal(result.cacheFile, path, 'cache file name is sha256_hex(login_session).json in AWS_LOGIN_CACHE_DIRECTORY');
  assert.equal(statSync(path).mode & 0o777, 0o600, 'cache file mode');
  assert.equal(statSync(home.cacheDir).mode & 0o777, 0o700, 'cache directory mode');
  const cache = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(Object.keys(cache).sort(), ['accessToken', 'clientId', 'dpopKey', 'idToken', 'refreshToken', 'signInRegion', 'tokenType']);
  assert.deepEqual(Object.keys(cache.accessToken).sort(), ['accessKeyId', 'accountId', 'expiresAt', 'secretAccessKey', 'sessionToken']);
  assert.match(cache.accessToken.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.ok(cache.accessToken.secretAccessKey.length >= 40, 'secretAccessKey');
  assert.ok(cache.accessToken.sessionToken.length >= 16, 'sessionToken');
  assert.equal(cache.accessToken.accountId, server.accountId);
  assert.match(cache.accessToken.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'expiresAt: ISO-8601 UTC, seconds');
  const lifetime = Date.parse(cache.accessToken.expiresAt) - loggedInAt;
  assert.ok(lifetime > 14 * 60_000 && lifetime <= 15 * 60_000 + 1000, `expiresAt is 15 minutes ahead (got ${lifetime / 1000} s)`);
  assert.equal(result.expiresAt, cache.accessToken.expiresAt);
  assert.equal(cache.tokenType, 'aws_sigv4');
  assert.equal(cache.clientId, SAME_DEVICE_CLIENT_ID);
  assert.ok(typeof cache.refreshToken === 'string' && cache.refreshToken.length >= 32, 'refreshToken');
  assert.equal(decodeJwtPayload(cache.idToken).sub, arn, 'idToken sub is the login session');
  assert.equal(cache.signInRegion, 'us-east-1');
  // SEC1 PEM, 64-character base64 lines, as the AWS CLI writes it; a P-256 private key.
  assert.match(cache.dpopKey, /^-----BEGIN EC PRIVATE KEY-----\n(?:[A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END EC PRIVATE KEY-----\n$/);
  const key = createPrivateKey({ key: cache.dpopKey, format: 'pem', type: 'sec1' });
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  return cache;
}

/** The sections of an INI text as `name -> lines` (comments and blank lines dropped). */
function iniSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) sections.set(header[1]!.trim(), (current = []));
    else if (current && line.trim() && !/^\s*[#;]/.test(line)) current.push(line.replace(/\s+$/, ''));
  }
  return sections;
}

async function refreshWith(cache: Record<string, any>): Promise<Response> {
  const tokenUrl = `${server.url}/v1/token`;
  const dpop = createDpopProof({ privateKey: createPrivateKey(cache.dpopKey), htm: 'POST', htu: tokenUrl, now: Date.now() / 1000 });
  return fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dpop },
    body: JSON.stringify({ clientId: cache.clientId, grantType: 'refresh_token', refreshToken: cache.refreshToken }),
    signal: AbortSignal.timeout(10_000),
  });
}

e2eTest('an IAM user signs in with chromium; keyless login writes the cache file and the profile', { timeout: 40_000 }, async () => {
  // `keyless serve` announces the address it really listens on.
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  const home = newAwsHome(EXISTING_CONFIG);
  const login = await startLogin(home, { endpointUrl: server.url, profile: PROFILE });
  assert.equal(new URL(login.authorizeUrl).origin, server.url);

  const context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    // No session in this browser yet: /v1/authorize sends it to the sign-in page, IAM tab first.
    await expectPage(page, '/console/signin', 'Sign in');
    assert.equal((await page.locator('nav.tabs [aria-current="page"]').textContent())?.trim(), 'IAM user');
    await snapshot(page, 'iam-1-sign-in');
    await page.getByLabel('Account ID or alias').fill(server.accountId);
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill(ALICE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expectPage(page, '/v1/authorize', 'Continue with an active session');
    await snapshot(page, 'iam-2-choose-session');
    await page.getByRole('button', { name: 'Continue as alice' }).click();

    await expectCallbackPage(page);
    await snapshot(page, 'iam-3-callback');
  } finally {
    await context.close();
  }

  const result = await login.finished();
  const loggedInAt = Date.now();
  const arn = `arn:aws:iam::${server.accountId}:user/alice`;
  assert.deepEqual(
    { ...result, cacheFile: undefined, expiresAt: undefined },
    { loginSession: arn, accountId: server.accountId, profile: PROFILE, region: 'us-east-1', endpoint: server.url, configFile: home.configFile, cacheFile: undefined, expiresAt: undefined },
  );
  checkCacheFile(home, result, arn, loggedInAt);

  // The config: the hand-written part untouched, the profile pointing at the session and server.
  const config = home.readConfig();
  assert.ok(config.startsWith(EXISTING_CONFIG), `the existing lines survive byte for byte:\n${config}`);
  const sections = iniSections(config);
  const profile = sections.get(`profile ${PROFILE}`);
  assert.ok(profile, `[profile ${PROFILE}] in:\n${config}`);
  assert.ok(profile.includes(`login_session = ${arn}`), `login_session in:\n${config}`);
  assert.ok(profile.includes('region = us-east-1'), `region in:\n${config}`);
  const servicesName = profile.map((line) => /^services\s*=\s*(\S+)$/.exec(line)?.[1]).find(Boolean);
  assert.ok(servicesName, `services = NAME in:\n${config}`);
  const services = sections.get(`services ${servicesName}`)?.join('\n') ?? '';
  for (const service of ['signin', 'sts', 'iam', 'cloudtrail']) {
    assert.match(services, new RegExp(`^${service}\\s*=\\s*\\n\\s+endpoint_url\\s*=\\s*${server.url.replace(/[.:/]/g, '\\$&')}$`, 'm'), `${service} endpoint_url in:\n${config}`);
  }
});

e2eTest('the root user signs in through the Root user tab on a phone; keyless logout deletes the cache and revokes the session', { timeout: 40_000 }, async () => {
  const home = newAwsHome();
  const login = await startLogin(home, { endpointUrl: server.url, profile: PROFILE });

  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await page.goto(login.authorizeUrl, { timeout: 10_000 });
    await expectPage(page, '/console/signin', 'Sign in');
    await page.getByRole('link', { name: 'Root user' }).click();
    await page.waitForURL((url) => url.searchParams.get('mode') === 'root', { timeout: 10_000 });
    assert.ok(new URL(page.url()).searchParams.get('return_to')?.startsWith('/v1/authorize?'), 'the tab keeps return_to');
    await snapshot(page, 'root-1-sign-in', ['phone']);
    await page.getByLabel('Email address').fill(ROOT_EMAIL);
    await page.getByLabel('Password').fill(ROOT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expectPage(page, '/v1/authorize', 'Continue with an active session');
    await snapshot(page, 'root-2-choose-session', ['phone']);
    await page.getByRole('button', { name: 'Continue as Root user' }).click();

    await expectCallbackPage(page);
    await snapshot(page, 'root-3-callback', ['phone']);
  } finally {
    await context.close();
  }

  const result = await login.finished();
  const arn = `arn:aws:iam::${server.accountId}:root`;
  assert.equal(result.loginSession, arn);
  assert.equal(result.accountId, server.accountId);
  const cache = checkCacheFile(home, result, arn, Date.now());
  const sessionsOf = async () =>
    (await runKeyless(['admin', 'list-sessions', '--json'], { env: server.adminEnv })).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { arn: string })
      .filter((session) => session.arn === arn);
  assert.equal((await sessionsOf()).length, 1, 'the server has the root login session');

  const logout = await runKeyless(['logout', '--profile', PROFILE], { env: home.env });
  assert.match(logout.stderr + logout.stdout, /Logged out profile "e2e"/);
  // Issue 21: the server revoked the session, so logout says it refuses the keys (not "until they expire").
  assert.match(logout.stderr + logout.stdout, /refuses these credentials from now on/);
  assert.ok(!existsSync(home.cacheFileOf(arn)), 'logout deleted the cache file');
  assert.match(home.readConfig(), new RegExp(`login_session = ${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the profile keeps login_session, as with the AWS CLI');

  // The server revoked the session: the refresh token from the deleted file is refused.
  const refused = await refreshWith(cache);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.equal(((await refused.json()) as { error: string }).error, 'TOKEN_EXPIRED');
  assert.equal((await sessionsOf()).length, 0, 'the session is no longer active at the server');
});
