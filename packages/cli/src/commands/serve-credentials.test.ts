import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { fromContainerMetadata } from '@smithy/credential-provider-imds';
import { startFakeSigninServer, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { seedSession } from '../testing/seed-session.ts';
import { testContext, withTempHome, type TestContext } from '../testing/test-context.ts';
import { CliError, ExitCode } from '../ui/errors.ts';
import { run, type ServeCredentialsOptions } from './serve-credentials.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');

let signin: FakeSigninServer;
beforeEach(async () => {
  signin = await startFakeSigninServer({ now: () => NOW.getTime() / 1000, tokenDelayMs: 30 });
});
afterEach(() => signin.close());

interface Serving {
  ctx: TestContext;
  url: string;
  token: string;
  stop(): Promise<number>;
}

/** Starts the command with --json and waits for the line it prints once listening. */
async function serve(home: string, options: ServeCredentialsOptions = {}): Promise<Serving> {
  const ctx = testContext({ homeDir: home, now: NOW });
  const running = run({ profile: 'p', json: true, ...options }, ctx);
  let failed: unknown;
  running.catch((error: unknown) => (failed = error));
  while (!ctx.stdout.text.includes('\n')) {
    if (failed) throw failed;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const started = JSON.parse(ctx.stdout.text) as { url: string; token: string; env: Record<string, string>; profile: string };
  assert.deepEqual(started.env, { AWS_CONTAINER_CREDENTIALS_FULL_URI: started.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: started.token });
  assert.equal(started.profile, 'p');
  return {
    ctx,
    url: started.url,
    token: started.token,
    stop: async () => {
      ctx.interrupt();
      return running;
    },
  };
}

/** Runs `test` against a running server, and always stops it. */
async function withServing(home: string, test: (serving: Serving) => Promise<void>, options: ServeCredentialsOptions = {}): Promise<void> {
  const serving = await serve(home, options);
  try {
    await test(serving);
  } finally {
    assert.equal(await serving.stop(), ExitCode.Ok);
  }
}

/** Runs `test` with the two variables set, as a container would see them. */
async function withContainerEnv<T>(env: Record<string, string>, test: () => Promise<T>): Promise<T> {
  const names = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await test();
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** A raw GET, for what the SDKs would never send. */
function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('keyless serve-credentials', () => {
  it('serves the SDK\'s container provider (fromHttp, fromContainerMetadata) with the token, on 127.0.0.1', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      await withServing(home, async (serving) => {
        assert.match(serving.url, /^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
        assert.match(serving.token, /^[A-Za-z0-9_-]{43}$/);

        const expected = {
          accessKeyId: seeded.cache.accessToken.accessKeyId,
          secretAccessKey: seeded.cache.accessToken.secretAccessKey,
          sessionToken: seeded.cache.accessToken.sessionToken,
          expiration: new Date('2026-11-23T20:30:00Z'),
        };
        await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: serving.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: serving.token }, async () => {
          const viaHttp = await fromHttp({ maxRetries: 0, timeout: 5_000 })();
          assert.deepEqual({ ...viaHttp, $source: undefined }, { ...expected, $source: undefined });
          // This provider also reads AccountId.
          const viaImds = await fromContainerMetadata({ maxRetries: 0, timeout: 5_000 })();
          assert.deepEqual(viaImds, { ...expected, accountId: '111111111111' });
      });
      assert.equal(signin.tokenRequests.length, 0);
      });
    }));

  it('answers the exact container format, uncached', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      await withServing(home, async (serving) => {
        const response = await fetch(serving.url, { headers: { authorization: serving.token } });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await response.json(), {
          AccessKeyId: seeded.cache.accessToken.accessKeyId,
          SecretAccessKey: seeded.cache.accessToken.secretAccessKey,
          Token: seeded.cache.accessToken.sessionToken,
          Expiration: '2026-11-23T20:30:00Z',
          AccountId: '111111111111',
      });
      });
    }));

  it('refuses a wrong or missing token, a foreign Host, other paths and methods', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      await withServing(home, async (serving) => {
        await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: serving.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: `${serving.token.slice(0, -1)}x` }, async () => {
          await assert.rejects(fromHttp({ maxRetries: 0, timeout: 5_000 })(), /403/);
      });
      assert.equal((await get(serving.url, {})).status, 401);
      assert.equal((await get(serving.url, { authorization: `Bearer ${serving.token}` })).status, 403);
      assert.equal((await get(serving.url, { authorization: serving.token, host: 'attacker.example' })).status, 403);
      assert.equal((await get(serving.url.replace('/credentials', '/other'), { authorization: serving.token })).status, 404);
      assert.equal((await get(serving.url, { authorization: serving.token }, 'POST')).status, 405);
      assert.match(serving.ctx.stderr.text, /wrong authorization token/);
      assert.match(serving.ctx.stderr.text, /no Authorization header/);
      assert.doesNotMatch(serving.ctx.stderr.text, new RegExp(serving.token), 'the token is never logged');
      });
    }));

  it('refreshes when the credentials near expiry, once for concurrent requests', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:10:00Z') });
      await withServing(home, async (serving) => {
        // Fresh when it started; now another tool leaves them four minutes from expiry: due.
        await writeFile(seeded.cachePath, JSON.stringify({ ...seeded.cache, accessToken: { ...seeded.cache.accessToken, expiresAt: '2026-11-23T20:04:00Z' } }));

        const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(serving.url, { headers: { authorization: serving.token } }).then((r) => r.json())));
        assert.deepEqual(new Set(answers.map((a) => (a as { AccessKeyId: string }).AccessKeyId)), new Set(['ASIAFAKEFAKEFAKE0001']));
        assert.equal((answers[0] as { Expiration: string }).Expiration, '2026-11-23T20:15:00Z');
        assert.equal(signin.refreshRequests.length, 1);
        assert.match(serving.ctx.stderr.text, /Refreshed the credentials; valid until 2026-11-23T20:15:00Z/);
      });
    }));

  it('answers 500 with the reason when the session has ended', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:10:00Z') });
      await withServing(home, async (serving) => {
        await rm(dirname(seeded.cachePath), { recursive: true });
        const response = await get(serving.url, { authorization: serving.token });
        assert.equal(response.status, 500);
        assert.equal(JSON.parse(response.body).Code, 'NOT_LOGGED_IN');
      });
    }));

  it('checks the profile before listening, and refuses any address but 127.0.0.1', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ profile: 'nobody' }, ctx), (error: unknown) => error instanceof CliError && error.code === 'NO_LOGIN_SESSION');
      for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost']) {
        await assert.rejects(run({ profile: 'p', host }, ctx), (error: unknown) => error instanceof CliError && error.code === 'HOST_NOT_LOOPBACK' && error.exitCode === ExitCode.Usage);
      }
      assert.equal(ctx.stdout.text, '');
    }));

  it('prints the two variables on stdout for people, the explanation on stderr', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server: signin, expiresAt: new Date('2026-11-23T20:30:00Z') });
      const ctx = testContext({ homeDir: home, now: NOW });
      const running = run({ profile: 'p', port: 0 }, ctx);
      while (!ctx.stdout.text.includes('TOKEN=')) await new Promise((resolve) => setTimeout(resolve, 5));
      // Issue 21: `export` lines, which a shell (and `docker run -e NAME` after it) can use as printed.
      assert.match(ctx.stdout.text, /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/credentials\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=[A-Za-z0-9_-]{43}\n$/);
      assert.match(ctx.stderr.text, /Serving the credentials of profile "p"/);
      ctx.interrupt();
      assert.equal(await running, ExitCode.Ok);
      assert.match(ctx.stderr.text, /Stopped \(SIGINT\)/);
    }));
});
