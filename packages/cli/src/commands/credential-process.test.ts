// credential-process as the AWS CLI runs it: separate processes, the built bundle, real HTTP.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isoSeconds, parseLoginCacheFile } from '@keyless/protocol';
import { buildCliBundle, KEYLESS_BIN, runKeyless, runProcess, type Finished } from '../testing/cli-bundle.ts';
import { startFakeSigninServer, type FakeSigninOptions, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { seedSession } from '../testing/seed-session.ts';
import { withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';

const PARALLEL = 50;

let server: FakeSigninServer;
let serverOptions: FakeSigninOptions;
before(() => buildCliBundle());
beforeEach(async () => {
  await server?.close();
  // The processes sign their DPoP proofs with the real clock.
  serverOptions = { now: () => Date.now() / 1000 };
  server = await startFakeSigninServer(serverOptions);
});
after(() => server?.close());

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

/** One line of credential_process JSON on stdout, nothing on stderr, exit 0. */
function processCredentials(result: Finished) {
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.ok(result.stdout.endsWith('}\n') && result.stdout.indexOf('\n') === result.stdout.length - 1, `one line: ${JSON.stringify(result.stdout)}`);
  const json = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  assert.equal(json.Version, 1);
  return json as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
}

describe('keyless credential-process (separate processes)', () => {
  it('prints the cached credentials when they are fresh, without calling the server', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutesFromNow(10) });
      const json = processCredentials(await runKeyless(['credential-process', '--profile', 'p'], home));
      assert.deepEqual(json, {
        Version: 1,
        AccessKeyId: seeded.cache.accessToken.accessKeyId,
        SecretAccessKey: seeded.cache.accessToken.secretAccessKey,
        SessionToken: seeded.cache.accessToken.sessionToken,
        Expiration: seeded.cache.accessToken.expiresAt,
      });
      assert.equal(server.tokenRequests.length, 0);
    }));

  it('takes --endpoint-url, as login and whoami do: the refresh goes there when the profile names no endpoint', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutesFromNow(2), endpointInConfig: false });
      const json = processCredentials(await runKeyless(['credential-process', '--profile', 'p', '--endpoint-url', server.baseUrl], home));
      assert.equal(server.refreshRequests.length, 1);
      assert.equal(json.AccessKeyId, 'ASIAFAKEFAKEFAKE0001');
    }));

  it('loads no node:crypto and no module loader machinery beyond an empty script\'s (its start-up budget, bench/cli-startup.md)', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutesFromNow(10) });
      // Node lists every built-in module it has loaded; a CommonJS preload prints, at exit, the crypto
      // ones and the ES module loader's. What an empty CommonJS script loads on the same Node is the
      // floor: Node 20 loads none of the loader's jobs for it, Node 22 and later load the whole
      // loader for every entry, CommonJS included. Anything beyond that floor is start-up we added.
      const listModules = join(home, 'list-modules.cjs');
      await writeFile(listModules, 'process.on("exit",()=>process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m)=>/crypto|esm\\//.test(m)))))');
      const emptyScript = join(home, 'empty.cjs');
      await writeFile(emptyScript, '');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
      const floor = await runProcess(process.execPath, ['--require', listModules, emptyScript], env);
      const ran = await runProcess(process.execPath, ['--require', listModules, KEYLESS_BIN, 'credential-process', '--profile', 'p'], env);
      assert.equal(ran.code, 0, ran.stderr);
      assert.equal(JSON.parse(ran.stdout).Version, 1);
      const floorModules = new Set<string>(JSON.parse(floor.stderr));
      assert.ok(![...floorModules].some((m) => /crypto/.test(m)), 'an empty script loads no crypto module');
      assert.deepEqual((JSON.parse(ran.stderr) as string[]).filter((m) => !floorModules.has(m)), []);
    }));

  it('anything but the plain form goes to the full program: --help, an unknown flag', () =>
    withTempHome(async (home) => {
      const help = await runKeyless(['credential-process', '--help'], home);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /Usage: keyless credential-process/);
      const typo = await runKeyless(['credential-process', '--profil', 'p'], home);
      assert.equal(typo.code, 2, typo.stderr);
      assert.match(typo.stderr, /unknown option '--profil'/);
    }));

  it(`${PARALLEL} processes at once on expired credentials: one refresh, one new key for all, the session survives`, { timeout: 300_000 }, () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutesFromNow(-1) });
      // A slow token endpoint, so that most processes arrive while the refresh is in flight.
      serverOptions.tokenDelayMs = 300;

      const results = await Promise.all(Array.from({ length: PARALLEL }, () => runKeyless(['credential-process', '--profile', 'p'], home)));

      const outputs = results.map(processCredentials);
      assert.equal(server.refreshRequests.length, 1, 'exactly one refresh reached the server');
      assert.deepEqual(new Set(outputs.map((o) => o.AccessKeyId)), new Set(['ASIAFAKEFAKEFAKE0001']));
      assert.equal(new Set(outputs.map((o) => o.SessionToken)).size, 1, 'the same new credentials for every caller');
      assert.equal(new Set(outputs.map((o) => o.Expiration)).size, 1);
      assert.ok(Date.parse(outputs[0]!.Expiration) > Date.now() + 10 * 60_000);

      // The cache file parses, holds those credentials and the rotated token, and nothing is left behind.
      const cache = parseLoginCacheFile(await readFile(seeded.cachePath, 'utf8'));
      assert.equal(cache.accessToken.sessionToken, outputs[0]!.SessionToken);
      assert.ok(server.liveRefreshTokens.has(cache.refreshToken));
      assert.deepEqual((await readdir(dirname(seeded.cachePath))).filter((name) => !name.endsWith('.json')), []);

      // The session survives: when these expire, the stored refresh token works.
      serverOptions.tokenDelayMs = 0;
      const due = { ...cache, accessToken: { ...cache.accessToken, expiresAt: isoSeconds(minutesFromNow(1)) } };
      await writeFile(seeded.cachePath, JSON.stringify(due));
      const later = processCredentials(await runKeyless(['credential-process', '--profile', 'p'], home));
      assert.equal(later.AccessKeyId, 'ASIAFAKEFAKEFAKE0002');
      assert.equal(server.refreshRequests.length, 2);
      assert.equal(server.refreshRequests[1]?.body.refreshToken, cache.refreshToken);
    }));

  it('breaks a lock left by a process that died, and refreshes', { timeout: 120_000 }, () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutesFromNow(-1) });
      const dead = await runProcess(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { PATH: process.env.PATH ?? '' });
      const lockPath = `${seeded.cachePath}.lock`;
      await writeFile(lockPath, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), nonce: 'crashed', createdAt: Date.now() }));

      const started = Date.now();
      const json = processCredentials(await runKeyless(['credential-process', '--profile', 'p'], home));
      assert.equal(json.AccessKeyId, 'ASIAFAKEFAKEFAKE0001');
      assert.ok(Date.now() - started < 25_000, 'no waiting for the lock to age (60 s)');
      assert.equal(server.refreshRequests.length, 1);
      assert.equal(existsSync(lockPath), false);
    }));

  it('fails with nothing on stdout, the reason on stderr and a non-zero status', () =>
    withTempHome(async (home) => {
      await seedSession({ home, server, expiresAt: minutesFromNow(-1) });
      serverOptions.tokenError = { type: 'AccessDeniedException', code: 'TOKEN_EXPIRED', message: 'gone' };
      const ended = await runKeyless(['credential-process', '--profile', 'p'], home);
      assert.equal(ended.code, ExitCode.Refused);
      assert.equal(ended.stdout, '');
      assert.equal(ended.stderr, 'keyless: Your session has ended; run `keyless login --profile p` to sign in again.\n');

      const missing = await runKeyless(['credential-process', '--profile', 'nobody'], home);
      assert.equal(missing.code, ExitCode.Usage);
      assert.equal(missing.stdout, '');
      assert.match(missing.stderr, /Profile "nobody" is not in/);
    }));

  it('warns on stderr, not stdout, when it hands out still-valid credentials after a failed refresh', () =>
    withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutesFromNow(3) });
      serverOptions.tokenError = { type: 'InternalServerException', code: 'server_error', message: 'down' };
      const result = await runKeyless(['credential-process', '--profile', 'p'], home);
      assert.equal(result.code, 0);
      assert.equal(JSON.parse(result.stdout).AccessKeyId, seeded.cache.accessToken.accessKeyId);
      assert.match(result.stderr, /^warning: Could not refresh the credentials of profile "p"/);
    }));

  // Debian's awscli package is v2; v1 has no `configure export-credentials`.
  const awsV2 = '/usr/bin/aws';
  const awsCanExport = async () =>
    existsSync(awsV2) && (await runProcess(awsV2, ['configure', 'export-credentials', 'help'], { PATH: process.env.PATH ?? '', HOME: '/nonexistent', PAGER: 'cat' })).code === 0;
  it('works as the AWS CLI\'s credential_process, and export-credentials matches `aws configure export-credentials` byte for byte', { timeout: 300_000 }, async (t) => {
    if (!(await awsCanExport())) return t.skip('no AWS CLI v2 with `configure export-credentials` at /usr/bin/aws');
    await withTempHome(async (home) => {
      const seeded = await seedSession({ home, server, expiresAt: minutesFromNow(30) });
      await writeFile(seeded.configPath, `\n[profile viaprocess]\ncredential_process = ${process.execPath} ${KEYLESS_BIN} credential-process --profile p\n`, { flag: 'a' });
      const env = { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
      await Promise.all(
        ['env', 'env-no-export', 'powershell', 'windows-cmd', 'process'].map(async (format) => {
          const [aws, ours] = await Promise.all([
            runProcess(awsV2, ['configure', 'export-credentials', '--profile', 'viaprocess', '--format', format], { PATH: process.env.PATH ?? '', HOME: home, ...env }),
            runKeyless(['export-credentials', '--profile', 'p', '--format', format], home),
          ]);
          assert.equal(aws.code, 0, aws.stderr);
          assert.equal(ours.code, 0, ours.stderr);
          assert.equal(ours.stdout, aws.stdout, format);
        }),
      );
      assert.equal(server.tokenRequests.length, 0);
    });
  });
});
