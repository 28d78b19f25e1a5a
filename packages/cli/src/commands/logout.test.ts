import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { jwkThumbprint, newDpopKey, sha256Hex, SAME_DEVICE_CLIENT_ID, type EcPublicJwk } from '@keyless/protocol';
import { startFakeSigninServer, unreachableUrl, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { testContext, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';
import { run } from './logout.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/bob';

let server: FakeSigninServer;
beforeEach(async () => {
  server = await startFakeSigninServer({ now: () => NOW.getTime() / 1000 });
});
afterEach(() => server.close());

const thumbprintOf = (pem: string) => jwkThumbprint(createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' }) as unknown as EcPublicJwk);

/** Writes a cache file for `session`, its refresh token live at the fake server and bound to its key. */
async function seedSession(home: string, session: string, keyType: 'sec1' | 'pkcs8' = 'sec1') {
  const key = newDpopKey();
  const dpopKey = key.export({ type: keyType, format: 'pem' }).toString();
  const refreshToken = `rt-${session}`;
  server.liveRefreshTokens.set(refreshToken, thumbprintOf(dpopKey));
  const path = join(home, '.aws', 'login', 'cache', `${sha256Hex(session)}.json`);
  await mkdir(join(home, '.aws', 'login', 'cache'), { recursive: true });
  const cache = {
    accessToken: { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', accountId: '111111111111', expiresAt: '2026-11-23T20:15:00Z' },
    tokenType: 'aws_sigv4',
    clientId: SAME_DEVICE_CLIENT_ID,
    refreshToken,
    dpopKey,
    signInRegion: 'us-east-1',
  };
  await writeFile(path, JSON.stringify(cache), { mode: 0o600 });
  return { path, refreshToken, dpopKey };
}

async function seedConfig(home: string, url = server.baseUrl) {
  const text =
    `[default]\nlogin_session = ${ALICE}\nservices = kl\n\n[profile bob]\nlogin_session = ${BOB}\nservices = kl\n\n` +
    `[services kl]\nsignin =\n  endpoint_url = ${url}\n`;
  await writeFile(join(home, '.aws', 'config'), text);
  return text;
}

describe('keyless logout', () => {
  it('revokes the refresh token with the cached key, deletes the cache file, and keeps login_session', () =>
    withTempHome(async (home) => {
      const alice = await seedSession(home, ALICE);
      const bob = await seedSession(home, BOB);
      const config = await seedConfig(home);
      const ctx = testContext({ homeDir: home, now: NOW });

      assert.equal(await run({}, ctx), ExitCode.Ok);

      const [revoke] = server.revokeRequests;
      assert.ok(revoke);
      assert.equal(server.revokeRequests.length, 1);
      assert.deepEqual(revoke.body, { clientId: SAME_DEVICE_CLIENT_ID, refreshToken: alice.refreshToken });
      assert.equal(revoke.headers['content-type'], 'application/json');
      assert.equal(revoke.jkt, thumbprintOf(alice.dpopKey), 'DPoP proof for /v1/revoke signed with the cache file\'s key');
      assert.equal(server.liveRefreshTokens.has(alice.refreshToken), false);

      await assert.rejects(stat(alice.path), { code: 'ENOENT' });
      await stat(bob.path);
      assert.equal(await readFile(join(home, '.aws', 'config'), 'utf8'), config);
      // Issue 21: the server revoked the session, so it refuses the keys tools hold: said so, not "until they expire".
      assert.ok(ctx.stderr.text.includes(`${server.baseUrl} refuses these credentials from now on`), ctx.stderr.text);
      assert.doesNotMatch(ctx.stderr.text, /until they expire/);
    }));

  it('names every profile it signs out: profiles with the same login_session share the cache file', () =>
    withTempHome(async (home) => {
      const alice = await seedSession(home, ALICE);
      await seedConfig(home);
      await writeFile(
        join(home, '.aws', 'config'),
        `[profile dev]\nlogin_session = ${ALICE}\nservices = kl\n\n[profile reg1]\nlogin_session = ${ALICE}\nregion = eu-west-1\n\n[profile remote1]\nlogin_session = ${ALICE}\nservices = kl\n\n[profile bob]\nlogin_session = ${BOB}\n\n` +
          `[services kl]\nsignin =\n  endpoint_url = ${server.baseUrl}\n`,
      );
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'dev' }, ctx), ExitCode.Ok);
      await assert.rejects(stat(alice.path), { code: 'ENOENT' });
      assert.match(ctx.stderr.text, /Logged out profile "dev"/);
      assert.ok(ctx.stderr.text.includes(`Also signed out: reg1, remote1 — same session (${ALICE}), one cache file.`), ctx.stderr.text);
      assert.doesNotMatch(ctx.stderr.text, /bob/);
    }));

  it('says that credentials from AWS\'s STS stay valid until they expire, with the time', () =>
    withTempHome(async (home) => {
      await seedSession(home, ALICE);
      await writeFile(join(home, '.aws', 'config'), `[default]\nlogin_session = ${ALICE}\nregion = us-east-1\n`);
      const ctx = testContext({ homeDir: home, now: NOW });
      // AWS's sign-in endpoint for us-east-1 accepts the revocation.
      ctx.fetch = async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      assert.equal(await run({}, ctx), ExitCode.Ok);
      assert.match(ctx.stderr.text, /Credentials issued by AWS's STS stay valid until they expire at 2026-11-23T20:15:00Z/);
      assert.doesNotMatch(ctx.stderr.text, /refuses these credentials/);
    }));

  it('reads a PKCS#8 dpopKey too', () =>
    withTempHome(async (home) => {
      const bob = await seedSession(home, BOB, 'pkcs8');
      await seedConfig(home);
      assert.equal(await run({ profile: 'bob' }, testContext({ homeDir: home, now: NOW })), ExitCode.Ok);
      assert.equal(server.revokeRequests[0]?.jkt, thumbprintOf(bob.dpopKey));
      await assert.rejects(stat(bob.path), { code: 'ENOENT' });
    }));

  it('--all removes every cache file holding accessToken.accessKeyId, and revokes each', () =>
    withTempHome(async (home) => {
      const alice = await seedSession(home, ALICE);
      const bob = await seedSession(home, BOB);
      // A session no profile names any more: revoked at AWS's endpoint for its signInRegion — here
      // unreachable, which must not stop the deletion.
      const orphan = await seedSession(home, 'arn:aws:iam::111111111111:user/old');
      await seedConfig(home);
      const cacheDir = join(home, '.aws', 'login', 'cache');
      await writeFile(join(cacheDir, 'not-a-login.json'), '{"startUrl":"https://sso"}');
      await writeFile(join(cacheDir, 'notes.txt'), 'keep');
      const ctx = testContext({ homeDir: home, now: NOW });
      ctx.fetch = (resource, init) => (String(resource).startsWith(server.baseUrl) ? fetch(resource, init) : Promise.reject(new TypeError('fetch failed')));

      assert.equal(await run({ all: true }, ctx), ExitCode.Ok);

      assert.deepEqual((await readdir(cacheDir)).sort(), ['not-a-login.json', 'notes.txt']);
      assert.deepEqual(server.revokeRequests.map((r) => r.body.refreshToken).sort(), [alice.refreshToken, bob.refreshToken].sort());
      assert.ok(orphan.refreshToken);
      assert.match(ctx.stderr.text, /removed 3 cached login credential files/);
      assert.match(ctx.stderr.text, /Signed out: default, bob\./);
      assert.match(ctx.stderr.text, /warning: Could not revoke the refresh token at https:\/\/us-east-1\.signin\.aws\.amazon\.com/);
    }));

  it('still deletes the local file when the server cannot be reached, with a warning', () =>
    withTempHome(async (home) => {
      const alice = await seedSession(home, ALICE);
      const down = await unreachableUrl();
      await seedConfig(home, down);
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({}, ctx), ExitCode.Ok);
      await assert.rejects(stat(alice.path), { code: 'ENOENT' });
      assert.ok(ctx.stderr.text.includes(`warning: Could not revoke the refresh token at ${down}: Could not reach`), ctx.stderr.text);
      assert.match(ctx.stderr.text, /ECONNREFUSED/);
      assert.match(ctx.stderr.text, /Credentials of a session that was not revoked at its server stay valid until they expire at 2026-11-23T20:15:00Z/);
    }));

  it('says so when the profile has no login session or is already logged out', () =>
    withTempHome(async (home) => {
      await mkdir(join(home, '.aws'));
      await seedConfig(home);
      const none = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'nobody' }, none), ExitCode.Ok);
      assert.match(none.stderr.text, /Profile "nobody" has no login session/);

      const gone = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({}, gone), ExitCode.Ok);
      assert.match(gone.stderr.text, /already logged out/);
      assert.equal(server.revokeRequests.length, 0);
    }));
});
