// `keyless login --remote` (PROTOCOL.md §1, cross-device): the URL printed, the verification code
// pasted back, decoded, its state checked and redeemed; bad pastes get another try, not a trace.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CROSS_DEVICE_CLIENT_ID, encodeVerificationCode, sha256Hex } from '@keyless/protocol';
import { startFakeSigninServer, type FakeSigninServer } from '../testing/fake-signin-server.ts';
import { testContext, withTempHome, type TestContext } from '../testing/test-context.ts';
import { remoteHint, remoteReason } from '../login/remote-hint.ts';
import { ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { run } from './login.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const ALICE = 'arn:aws:iam::111111111111:user/alice';

let server: FakeSigninServer;
beforeEach(async () => {
  server = await startFakeSigninServer({ now: () => NOW.getTime() / 1000 });
});
afterEach(() => server.close());

/** What the person does on the other device: open the printed URL, sign in, read the code off the page. */
async function signInElsewhere(ctx: TestContext, change: (code: string, state: string) => [string, string] = (c, s) => [c, s]): Promise<string> {
  const url = /^\s*(http:\/\/\S+\/v1\/authorize\?\S+)$/m.exec(ctx.stderr.text)?.[1];
  assert.ok(url, `no URL printed:\n${ctx.stderr.text}`);
  const answer = await fetch(url, { redirect: 'manual' });
  const confirmation = new URL(answer.headers.get('location')!);
  const [code, state] = change(confirmation.searchParams.get('code')!, confirmation.searchParams.get('state')!);
  return encodeVerificationCode(code, state);
}

const remote = (ctx: TestContext) => run({ profile: 'dev', region: 'us-east-1', endpointUrl: server.baseUrl, remote: true, json: true }, ctx);

describe('keyless login --remote', () => {
  it('prints the cross-device authorize URL, redeems the pasted code and writes the cache and profile', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, browser: () => assert.fail('--remote never opens a browser'), lines: [async () => signInElsewhere(ctx)] });
      assert.equal(await remote(ctx), ExitCode.Ok);

      const [query] = server.authorizeRequests;
      assert.equal(query?.get('client_id'), CROSS_DEVICE_CLIENT_ID);
      assert.equal(query?.get('redirect_uri'), `${server.baseUrl}/v1/sessions/confirmation`);
      assert.equal(query?.get('code_challenge_method'), 'SHA-256');
      assert.match(ctx.stderr.text, /Open this URL in a browser on any device/);
      assert.match(ctx.stderr.text, /Verification code: /);

      const [token] = server.tokenRequests;
      assert.deepEqual(Object.keys(token!.body), ['clientId', 'grantType', 'code', 'codeVerifier', 'redirectUri']);
      assert.equal(token!.body.clientId, CROSS_DEVICE_CLIENT_ID);
      assert.equal(token!.body.redirectUri, `${server.baseUrl}/v1/sessions/confirmation`);

      const cache = JSON.parse(await readFile(join(home, '.aws', 'login', 'cache', `${sha256Hex(ALICE)}.json`), 'utf8'));
      assert.equal(cache.clientId, CROSS_DEVICE_CLIENT_ID, 'refreshes use the client the token was issued to');
      assert.match(await readFile(join(home, '.aws', 'config'), 'utf8'), new RegExp(`login_session = ${ALICE.replace(/\//g, '\\/')}`));
      assert.equal(JSON.parse(ctx.stdout.text).loginSession, ALICE);
    }));

  it('a bad paste gets a clear message and another try: not a code, then another sign-in’s code', () =>
    withTempHome(async (home) => {
      const ctx = testContext({
        homeDir: home,
        now: NOW,
        lines: ['  ', 'this is not it', async () => signInElsewhere(ctx, (code) => [code, 'some-other-state']), async () => signInElsewhere(ctx)],
      });
      // Four lines, three tries allowed: the blank line counts as one.
      await assert.rejects(remote(ctx), (error: unknown) => {
        failsWith('VERIFICATION_CODE_INVALID', ExitCode.Usage)(error);
        assert.match((error as Error).message, /^That code belongs to another sign-in.*Giving up after 3 tries: run `keyless login --remote` again\.$/);
        return true;
      });
      assert.match(ctx.stderr.text, /Nothing was pasted\. Try again \(2 tries left\)\./);
      assert.match(ctx.stderr.text, /That is not a verification code: copy the whole code from the browser page.*\(1 try left\)/);
      assert.equal(server.tokenRequests.length, 0, 'nothing with a wrong state is ever sent');
    }));

  it('succeeds on the second try, and whitespace or line breaks around the code do not matter', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, lines: ['Y29kZT1h', async () => `  ${await signInElsewhere(ctx)}\t`] });
      assert.equal(await remote(ctx), ExitCode.Ok);
      assert.match(ctx.stderr.text, /That is not a verification code/);
      assert.match(ctx.stderr.text, /Signed in as arn:aws:iam::111111111111:user\/alice/);
    }));

  it('a code the server does not know (cut short when copying) may be pasted again', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, lines: [async () => signInElsewhere(ctx, (code, state) => [code.slice(0, 10), state]), async () => signInElsewhere(ctx)] });
      assert.equal(await remote(ctx), ExitCode.Ok);
      assert.match(ctx.stderr.text, /The server did not accept that code/);
      assert.equal(server.tokenRequests.length, 2);
    }));

  // Issue 21: the end of input is a failure (exit 1), not an interrupt (130, kept for Ctrl-C).
  it('no input at all (stdin closed) ends with a clear error and a plain failure status', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, lines: [] });
      await assert.rejects(remote(ctx), failsWith('VERIFICATION_CODE_MISSING', ExitCode.Failure));
    }));

  it('Ctrl-C at the code prompt cancels: 130, and nothing is written', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, lines: [() => new Promise(() => {})] });
      setTimeout(() => ctx.interrupt(), 20);
      await assert.rejects(remote(ctx), failsWith('CANCELLED', ExitCode.Cancelled));
      assert.equal(server.tokenRequests.length, 0);
    }));

  it('server refusals other than a damaged code end the login with their message', () =>
    withTempHome(async (home) => {
      await server.close();
      server = await startFakeSigninServer({ now: () => NOW.getTime() / 1000, tokenError: { type: 'AccessDeniedException', code: 'AUTHCODE_EXPIRED', message: 'Code expired.' } });
      const ctx = testContext({ homeDir: home, now: NOW, lines: [async () => signInElsewhere(ctx)] });
      await assert.rejects(remote(ctx), failsWith('AUTHCODE_EXPIRED', ExitCode.Refused));
    }));
});

describe('the --remote hint', () => {
  it('notices SSH and Linux without a display, not a desktop or WSL', () => {
    assert.equal(remoteReason({ SSH_CONNECTION: '192.0.2.1 5000 192.0.2.2 22', DISPLAY: ':0' }, 'linux'), 'ssh');
    assert.equal(remoteReason({ SSH_TTY: '/dev/pts/0' }, 'darwin'), 'ssh');
    assert.equal(remoteReason({}, 'linux'), 'no-display');
    assert.equal(remoteReason({ DISPLAY: ':0' }, 'linux'), undefined);
    assert.equal(remoteReason({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), undefined);
    assert.equal(remoteReason({ WSL_DISTRO_NAME: 'Debian' }, 'linux'), undefined);
    assert.equal(remoteReason({}, 'darwin'), undefined);
    assert.equal(remoteReason({}, 'win32'), undefined);
  });

  it('names --remote, and the same-device login prints it when it applies', () =>
    withTempHome(async (home) => {
      assert.match(remoteHint('ssh'), /SSH session.*keyless login --remote/);
      const ctx = testContext({ homeDir: home, now: NOW, env: { SSH_CONNECTION: '192.0.2.1 5000 192.0.2.2 22' } });
      await run({ profile: 'dev', region: 'us-east-1', endpointUrl: server.baseUrl }, ctx);
      assert.match(ctx.stderr.text, /This looks like an SSH session: .*keyless login --remote/);
    }));
});
