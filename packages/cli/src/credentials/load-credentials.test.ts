import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parseLoginCacheFile, SAME_DEVICE_CLIENT_ID, type LoginCacheFile } from '@keyless/protocol';
import { startFakeSigninServer, unreachableUrl, type FakeSigninOptions, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { seedSession, thumbprintOf } from '../testing/seed-session.ts';
import { testContext, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { loadCredentials } from './load-credentials.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

let server: FakeSigninServer;
let serverOptions: FakeSigninOptions;
beforeEach(async () => {
  serverOptions = { now: () => NOW.getTime() / 1000 };
  server = await startFakeSigninServer(serverOptions);
});
afterEach(() => server.close());

function load(home: string, options: { env?: Record<string, string>; profile?: string } = {}) {
  const ctx = testContext({ homeDir: home, now: NOW, env: options.env });
  const warnings: string[] = [];
  const result = loadCredentials({ ctx, profile: options.profile ?? 'p', warn: (line) => warnings.push(line), lock: { timeoutMs: 3_000 } });
  return { ctx, warnings, result };
}

const readCache = async (path: string): Promise<LoginCacheFile> => parseLoginCacheFile(await readFile(path, 'utf8'));

describe('loadCredentials', () => {
  it('hands out credentials with five minutes or more left as they are: no refresh, no write', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(5) });
      const before = await stat(seeded.cachePath);
      const { result, warnings } = load(home);
      const loaded = await result;
      assert.equal(loaded.refreshed, false);
      assert.deepEqual(loaded.cache, seeded.cache);
      assert.equal(loaded.profile, 'p');
      assert.equal(server.refreshRequests.length, 0);
      assert.equal((await stat(seeded.cachePath)).mtimeMs, before.mtimeMs);
      assert.deepEqual(warnings, []);
    }));

  it('with less than five minutes left, refreshes once and rewrites the cache atomically, 0600', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(4.99) });
      const before = await stat(seeded.cachePath);
      const loaded = await load(home).result;

      // PROTOCOL.md §2: the refresh request, with a DPoP proof from the cache's own key.
      assert.equal(server.refreshRequests.length, 1);
      const [refresh] = server.refreshRequests;
      assert.deepEqual(refresh?.body, { clientId: SAME_DEVICE_CLIENT_ID, grantType: 'refresh_token', refreshToken: seeded.cache.refreshToken });
      assert.equal(refresh?.jkt, thumbprintOf(seeded.cache.dpopKey));

      // §3: new credentials and refresh token; everything else kept.
      const written = await readCache(seeded.cachePath);
      assert.equal(loaded.refreshed, true);
      assert.deepEqual(loaded.cache, written);
      assert.equal(written.accessToken.accessKeyId, 'ASIAFAKEFAKEFAKE0001');
      assert.equal(written.accessToken.secretAccessKey, 'fake-secret');
      assert.match(written.accessToken.sessionToken, /^fake-session-/);
      assert.equal(written.accessToken.expiresAt, '2026-11-23T20:15:00Z');
      assert.equal(written.accessToken.accountId, '111111111111');
      assert.notEqual(written.refreshToken, seeded.cache.refreshToken);
      assert.ok(server.liveRefreshTokens.has(written.refreshToken), 'the stored refresh token is the live one');
      for (const key of ['idToken', 'dpopKey', 'signInRegion', 'clientId', 'tokenType'] as const) assert.equal(written[key], seeded.cache[key], key);

      const after = await stat(seeded.cachePath);
      assert.notEqual(after.ino, before.ino, 'replaced by rename, never rewritten in place');
      if (process.platform !== 'win32') assert.equal(after.mode & 0o777, 0o600);
      assert.deepEqual((await readdir(dirname(seeded.cachePath))).filter((name) => !name.endsWith('.json')), [], 'no lock or temp file left');
    }));

  it('refreshes expired credentials too, and the next refresh uses the stored, rotated token', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(-60) });
      const first = await load(home).result;
      assert.equal(first.cache.accessToken.accessKeyId, 'ASIAFAKEFAKEFAKE0001');
      // Twelve minutes later the new credentials are due too: the rotated token must work.
      serverOptions.now = () => minutes(12).getTime() / 1000;
      const again = await loadCredentials({ ctx: testContext({ homeDir: home, now: minutes(12) }), profile: 'p', warn: () => {} });
      assert.equal(again.cache.accessToken.accessKeyId, 'ASIAFAKEFAKEFAKE0002');
      assert.equal(again.cache.accessToken.expiresAt, '2026-11-23T20:27:00Z');
      assert.deepEqual(server.refreshRequests.map((r) => r.body.refreshToken), [seeded.cache.refreshToken, first.cache.refreshToken]);
    }));

  it('refreshes once for many concurrent callers in one process', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(1) });
      serverOptions.tokenDelayMs = 50;
      const results = await Promise.all(Array.from({ length: 10 }, () => load(home).result));
      assert.equal(server.refreshRequests.length, 1);
      assert.deepEqual(new Set(results.map((r) => r.cache.accessToken.accessKeyId)), new Set(['ASIAFAKEFAKEFAKE0001']));
      assert.equal(results.filter((r) => r.refreshed).length, 1);
    }));

  it('uses what another process wrote while it waited for the lock, without refreshing', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(1) });
      const lockPath = `${seeded.cachePath}.lock`;
      await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'other', createdAt: Date.now() }));
      const fresh = { ...seeded.cache, accessToken: { ...seeded.cache.accessToken, accessKeyId: 'ASIAOTHERPROCESS0001', expiresAt: '2026-11-23T20:15:00Z' } };
      setTimeout(() => void writeFile(seeded.cachePath, JSON.stringify(fresh)), 100);
      const started = Date.now();
      const loaded = await load(home).result;
      assert.ok(Date.now() - started < 2_000, 'noticed while waiting, not after the 3 s lock timeout');
      assert.equal(loaded.cache.accessToken.accessKeyId, 'ASIAOTHERPROCESS0001');
      assert.equal(loaded.refreshed, false);
      assert.equal(server.refreshRequests.length, 0);
    }));

  it('keeps still-valid credentials, with a warning, when the refresh fails', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(2) });
      serverOptions.tokenError = { type: 'InternalServerException', code: 'server_error', message: 'db down' };
      const { result, warnings } = load(home);
      const loaded = await result;
      assert.deepEqual(loaded.cache, seeded.cache);
      assert.equal(loaded.refreshed, false);
      assert.equal(server.refreshRequests.length, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] as string, /Could not refresh the credentials of profile "p": The sign-in server failed \(db down\)[\s\S]*valid until 2026-11-23T20:02:00Z/);
      assert.deepEqual(await readCache(seeded.cachePath), seeded.cache, 'the cache file is untouched');
    }));

  it('keeps still-valid credentials when the endpoint cannot be reached', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(3) });
      const { result, warnings } = load(home, { env: { AWS_ENDPOINT_URL_SIGNIN: await unreachableUrl() } });
      assert.equal((await result).cache.accessToken.accessKeyId, 'ASIASEEDSEEDSEED0000');
      assert.match(warnings[0] as string, /Could not reach the sign-in endpoint .*ECONNREFUSED/);
    }));

  it('fails when the refresh fails and the credentials have expired', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(-1) });
      serverOptions.tokenError = { type: 'InternalServerException', code: 'server_error', message: 'db down' };
      await assert.rejects(load(home).result, failsWith('server_error', ExitCode.Failure, /sign-in server failed/));
    }));

  for (const [what, expiresAt] of [['still valid', minutes(2)], ['expired', minutes(-2)]] as const) {
    it(`says the session has ended on TOKEN_EXPIRED (credentials ${what}), and writes nothing`, () =>
      withTempHome(async (home) => {
        const seeded = await seedSession({ home, server, expiresAt });
        serverOptions.tokenError = { type: 'AccessDeniedException', code: 'TOKEN_EXPIRED', message: 'Refresh token invalid.' };
        const { result, warnings } = load(home);
        await assert.rejects(result, failsWith('TOKEN_EXPIRED', ExitCode.Refused, /^Your session has ended; run `keyless login --profile p` to sign in again\.$/));
        assert.deepEqual(warnings, []);
        assert.deepEqual(await readCache(seeded.cachePath), seeded.cache);
      }));
  }

  it('names the profile in the other session-over messages', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(2), profile: 'dev' });
      serverOptions.tokenError = { type: 'AccessDeniedException', code: 'USER_CREDENTIALS_CHANGED', message: 'x' };
      await assert.rejects(load(home, { profile: 'dev' }).result, failsWith('USER_CREDENTIALS_CHANGED', ExitCode.Refused, /password changed.*`keyless login --profile dev`/));
    }));

  it('refreshes at the endpoint env names, else AWS\'s for the cache\'s signInRegion', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(2), endpointInConfig: false, signInRegion: 'eu-west-1' });
      const viaEnv = await load(home, { env: { AWS_ENDPOINT_URL_SIGNIN: server.baseUrl } }).result;
      assert.equal(viaEnv.refreshed, true);

      // No endpoint anywhere: https://{signInRegion}.signin.aws.amazon.com (not contacted for real).
      await seedSession({ home, server, expiresAt: minutes(2), endpointInConfig: false, signInRegion: 'eu-west-1', profile: 'q', principal: 'arn:aws:iam::111111111111:user/q' });
      const ctx = testContext({ homeDir: home, now: NOW });
      const warnings: string[] = [];
      const urls: string[] = [];
      ctx.fetch = async (url) => {
        urls.push(String(url));
        throw new TypeError('fetch failed');
      };
      await loadCredentials({ ctx, profile: 'q', warn: (line) => warnings.push(line) });
      assert.deepEqual(urls, ['https://eu-west-1.signin.aws.amazon.com/v1/token']);
      assert.equal(warnings.length, 1);
    }));

  it('tells a profile without a session, and a logged-out one, what to run', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutes(30) });
      await writeFile(seeded.configPath, '\n[profile keys]\naws_access_key_id = AKIA\n', { flag: 'a' });
      await assert.rejects(load(home, { profile: 'nobody' }).result, failsWith('NO_LOGIN_SESSION', ExitCode.Usage, /"nobody" is not in ~\/\.aws\/config\. Run `keyless login --profile nobody`/));
      await assert.rejects(load(home, { profile: 'keys' }).result, failsWith('NO_LOGIN_SESSION', ExitCode.Usage, /"keys" has no login_session/));
      await writeFile(seeded.cachePath, '');
      await assert.rejects(load(home).result, failsWith('CACHE_FILE_INVALID', ExitCode.Failure));
      const { unlink } = await import('node:fs/promises');
      await unlink(seeded.cachePath);
      await assert.rejects(load(home).result, failsWith('NOT_LOGGED_IN', ExitCode.Usage, /logged out.*keyless login --profile p/));
    }));

  it('uses AWS_PROFILE when no profile is given', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutes(30), profile: 'fromenv' });
      const ctx = testContext({ homeDir: home, now: NOW, env: { AWS_PROFILE: 'fromenv' } });
      assert.equal((await loadCredentials({ ctx, warn: () => {} })).profile, 'fromenv');
    }));
});
