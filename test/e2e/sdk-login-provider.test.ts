// The official `@aws-sdk/credential-provider-login` against a real Keyless server (issue 2, "How
// it is verified"). The server runs in this process on a real socket, so that one mocked `Date`
// moves both clocks: the SDK's (when to refresh, DPoP `iat`) and the server's (credential and
// session expiry). The cache file it reads is written by the real `keyless login` child process,
// after a sign-in walked over HTTP with a form-submitting browser.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, type TestContext } from 'node:test';
import { fromLoginCredentials } from '@aws-sdk/credential-provider-login';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { newAwsHome, type AwsHome, type LoginResult } from './support/aws-home.ts';
import { useAwsEnvironment } from './support/aws-env.ts';
import { ensureBuilt } from './support/build.ts';
import { loginWithForms } from './support/form-login.ts';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.ts';
import { cleanUp, e2eTest } from './support/processes.ts';
import { createUser } from './support/server-process.ts';

const PROFILE = 'e2e';
const ALICE_PASSWORD = 'alice sdk passphrase 7';
const MINUTE = 60_000;
const SESSION_EXPIRED = 'Your session has expired. Please reauthenticate.';

/** What reached POST /v1/token and what it answered. */
interface TokenExchange {
  grantType?: string;
  refreshTokenDigest?: string;
  status?: number;
  error?: string;
}

let server: InProcessServer;
const exchanges: TokenExchange[] = [];

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

before(async () => {
  ensureBuilt();
  server = await startInProcessServer({
    beforeListen(app) {
      app.addHook('preHandler', async (request) => {
        if (request.url !== '/v1/token' || !Buffer.isBuffer(request.body)) return;
        const body = JSON.parse(request.body.toString('utf8')) as { grantType?: string; refreshToken?: string };
        exchanges.push({ grantType: body.grantType, refreshTokenDigest: body.refreshToken && digest(body.refreshToken) });
      });
      app.addHook('onSend', async (request, reply, payload) => {
        const exchange = request.url === '/v1/token' ? exchanges.at(-1) : undefined;
        if (exchange && exchange.status === undefined) {
          exchange.status = reply.statusCode;
          if (reply.statusCode >= 400) exchange.error = (JSON.parse(String(payload)) as { error: string }).error;
        }
        return payload;
      });
    },
  });
  // The session duration is what (b) runs into.
  await createUser(server, { name: 'alice', password: ALICE_PASSWORD, maxSessionDuration: '1h' });
});

after(async () => {
  await server?.close();
  await cleanUp();
});

/** A fresh login by the real CLI, and the SDK's environment pointed at its files and the server. */
async function loginAsAlice(t: TestContext): Promise<{ home: AwsHome; result: LoginResult }> {
  const home = newAwsHome();
  const result = await loginWithForms(home, { endpointUrl: server.url, profile: PROFILE, accountId: server.accountId, userName: 'alice', password: ALICE_PASSWORD });
  // PROTOCOL.md "Endpoints": the SDK refreshes at $AWS_ENDPOINT_URL_SIGNIN/v1/token.
  useAwsEnvironment(t, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/credentials`, AWS_LOGIN_CACHE_DIRECTORY: home.cacheDir, AWS_ENDPOINT_URL_SIGNIN: server.url });
  return { home, result };
}

/** A new provider each call, as a new process would build one. */
const sdkCredentials = (): Promise<AwsCredentialIdentity> => fromLoginCredentials({ profile: PROFILE })();

const readCache = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function assertCredentials(credentials: AwsCredentialIdentity, lifetimeMs: number): void {
  assert.match(credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.ok(credentials.secretAccessKey.length >= 40 && (credentials.sessionToken?.length ?? 0) >= 16, 'secret and session token');
  assert.equal(credentials.accountId, server.accountId);
  // Date is frozen between ticks, so the lifetime the SDK computed is exact to the second.
  const left = credentials.expiration!.getTime() - Date.now();
  assert.ok(Math.abs(left - lifetimeMs) <= 1000, `credentials live ${left / 1000} s, expected ${lifetimeMs / 1000} s`);
}

e2eTest('(a) expired cached credentials: the SDK refreshes at $AWS_ENDPOINT_URL_SIGNIN/v1/token and rewrites the cache file', { timeout: 20_000 }, async (t) => {
  const { result } = await loginAsAlice(t);
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  exchanges.length = 0;
  const written = readCache(result.cacheFile);

  // Fresh from the login: the SDK uses the cached credentials and asks nothing.
  const cached = await sdkCredentials();
  assert.equal(cached.accessKeyId, written.accessToken.accessKeyId);
  assert.equal(exchanges.length, 0);

  writeFileSync(result.cacheFile, JSON.stringify({ ...written, accessToken: { ...written.accessToken, expiresAt: new Date(Date.now() - MINUTE).toISOString() } }));
  const refreshed = await sdkCredentials();
  assert.deepEqual(exchanges, [{ grantType: 'refresh_token', refreshTokenDigest: digest(written.refreshToken), status: 200 }]);
  assert.notEqual(refreshed.accessKeyId, written.accessToken.accessKeyId, 'new credentials');
  assertCredentials(refreshed, 15 * MINUTE);

  const rewritten = readCache(result.cacheFile);
  assert.notEqual(rewritten.refreshToken, written.refreshToken, 'the rotated refresh token is saved');
  assert.equal(rewritten.accessToken.accessKeyId, refreshed.accessKeyId);
  assert.equal(rewritten.accessToken.secretAccessKey, refreshed.secretAccessKey);
  assert.equal(Date.parse(rewritten.accessToken.expiresAt), refreshed.expiration!.getTime());
  for (const kept of ['dpopKey', 'clientId', 'idToken', 'signInRegion', 'tokenType'] as const) assert.equal(rewritten[kept], written[kept], kept);

  // The saved token is the live one: 11 minutes on (4 left, under the SDK's 5), it refreshes again.
  t.mock.timers.tick(11 * MINUTE);
  const again = await sdkCredentials();
  assert.equal(exchanges.length, 2);
  assert.deepEqual(exchanges[1], { grantType: 'refresh_token', refreshTokenDigest: digest(rewritten.refreshToken), status: 200 });
  assert.notEqual(again.accessKeyId, refreshed.accessKeyId);
  assertCredentials(again, 15 * MINUTE);
});

e2eTest('(b) past the user\'s 1 h session duration the SDK reports "session expired"', { timeout: 20_000 }, async (t) => {
  const { result } = await loginAsAlice(t);
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  exchanges.length = 0;
  const sessionEnd = Date.parse(result.expiresAt) - 15 * MINUTE + 60 * MINUTE;

  // 50 minutes in, refreshing still works, but the credentials end with the session, not 15 min later.
  t.mock.timers.tick(50 * MINUTE);
  const last = await sdkCredentials();
  assert.equal(exchanges.at(-1)?.status, 200);
  const left = last.expiration!.getTime() - Date.now();
  assert.ok(left > 9 * MINUTE && left <= 10 * MINUTE, `the last credentials live until the session ends (${left / 1000} s left)`);
  assert.ok(Math.abs(last.expiration!.getTime() - sessionEnd) <= 2000, 'they expire when the 1 h session does');

  // 1 h 1 min in: the session is over; the server answers 401 TOKEN_EXPIRED, the SDK its own text.
  t.mock.timers.tick(11 * MINUTE);
  await assert.rejects(sdkCredentials(), (error: Error) => {
    assert.equal(error.name, 'CredentialsProviderError');
    assert.equal(error.message, SESSION_EXPIRED);
    return true;
  });
  assert.deepEqual(exchanges.at(-1), { grantType: 'refresh_token', refreshTokenDigest: digest(readCache(result.cacheFile).refreshToken), status: 401, error: 'TOKEN_EXPIRED' });
});

e2eTest('(c) two providers refreshing from one cache file at once both get credentials, and the session lives on', { timeout: 20_000 }, async (t) => {
  const { result } = await loginAsAlice(t);
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  t.mock.timers.tick(11 * MINUTE); // 4 minutes left: both must refresh
  exchanges.length = 0;
  const start = readCache(result.cacheFile);

  const [first, second] = await Promise.all([sdkCredentials(), sdkCredentials()]);
  // Both really raced: each sent the same refresh token (as two processes reading one file would).
  assert.deepEqual(exchanges, [
    { grantType: 'refresh_token', refreshTokenDigest: digest(start.refreshToken), status: 200 },
    { grantType: 'refresh_token', refreshTokenDigest: digest(start.refreshToken), status: 200 },
  ]);
  assertCredentials(first, 15 * MINUTE);
  assertCredentials(second, 15 * MINUTE);
  assert.equal(second.accessKeyId, first.accessKeyId, 'the retry within the window gets the same answer (README: refresh rotation)');
  const afterRace = readCache(result.cacheFile);
  assert.notEqual(afterRace.refreshToken, start.refreshToken);
  assert.equal(afterRace.accessToken.accessKeyId, first.accessKeyId);

  // Later (past the 60 s retry window), the session still refreshes from the file the race left.
  t.mock.timers.tick(11 * MINUTE);
  const third = await sdkCredentials();
  assert.deepEqual(exchanges[2], { grantType: 'refresh_token', refreshTokenDigest: digest(afterRace.refreshToken), status: 200 });
  assert.notEqual(third.accessKeyId, first.accessKeyId);
  assertCredentials(third, 15 * MINUTE);
});
