import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdir, readFile, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { jwkThumbprint, sha256Hex, SAME_DEVICE_CLIENT_ID, type EcPublicJwk } from '@keyless/protocol';
import { startFakeSigninServer, type FakeSigninServer, type FakeSigninOptions } from '../testing/fake-signin-server.ts';
import { followAuthorizeRedirect, testContext, withTempHome } from '../testing/test-context.ts';
import { ExitCode } from '../ui/errors.ts';
import { failsWith } from '../testing/cli-error.ts';
import { run, type LoginOptions } from './login.ts';

const NOW = new Date('2026-11-23T20:00:00.000Z');
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:sts::222222222222:assumed-role/Admin/bob';
const posix = process.platform !== 'win32';

let server: FakeSigninServer;
async function startServer(options: Partial<FakeSigninOptions> = {}) {
  await server?.close();
  server = await startFakeSigninServer({ now: () => NOW.getTime() / 1000, ...options });
}
beforeEach(() => startServer());
afterEach(() => server.close());

const paths = (home: string, principal = ALICE) => ({
  config: join(home, '.aws', 'config'),
  cacheDir: join(home, '.aws', 'login', 'cache'),
  cache: join(home, '.aws', 'login', 'cache', `${sha256Hex(principal)}.json`),
});

const services = (name: string, url: string) =>
  `[services ${name}]\nsignin =\n  endpoint_url = ${url}\nsts =\n  endpoint_url = ${url}\niam =\n  endpoint_url = ${url}\ncloudtrail =\n  endpoint_url = ${url}\n`;

describe('keyless login', () => {
  it('signs in, speaking PROTOCOL.md §1–2, and writes the cache file and profile of §3', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW });
      const options: LoginOptions = { profile: 'dev', region: 'eu-west-1', endpointUrl: `${server.baseUrl}/`, json: true };
      assert.equal(await run(options, ctx), ExitCode.Ok);

      // §1: the authorization request, parameters in order.
      const [query] = server.authorizeRequests;
      assert.ok(query);
      assert.deepEqual([...query.keys()], ['response_type', 'client_id', 'state', 'code_challenge_method', 'code_challenge', 'scope', 'redirect_uri']);
      assert.equal(query.get('response_type'), 'code');
      assert.equal(query.get('client_id'), SAME_DEVICE_CLIENT_ID);
      assert.match(query.get('state') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(query.get('code_challenge_method'), 'SHA-256');
      assert.match(query.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.equal(query.get('scope'), 'openid');
      assert.match(query.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
      assert.deepEqual(ctx.opened, [`${server.baseUrl}/v1/authorize?${query}`]);
      assert.ok(ctx.stderr.text.includes(ctx.opened[0] as string), 'the URL is printed in case the browser does not open');

      // §2: the code redemption (the fake server checked the DPoP proof and the PKCE verifier).
      const [tokenRequest] = server.tokenRequests;
      assert.ok(tokenRequest);
      assert.equal(tokenRequest.headers['content-type'], 'application/json');
      assert.deepEqual(Object.keys(tokenRequest.body), ['clientId', 'grantType', 'code', 'codeVerifier', 'redirectUri']);
      assert.equal(tokenRequest.body.clientId, SAME_DEVICE_CLIENT_ID);
      assert.equal(tokenRequest.body.grantType, 'authorization_code');
      assert.match(tokenRequest.body.codeVerifier as string, /^[A-Za-z0-9\-._~]{64}$/);
      assert.equal(tokenRequest.body.redirectUri, query.get('redirect_uri'));

      // §3: the cache file.
      const p = paths(home);
      const cache = JSON.parse(await readFile(p.cache, 'utf8'));
      const [refreshToken] = [...server.liveRefreshTokens.keys()];
      assert.deepEqual(Object.keys(cache).sort(), ['accessToken', 'clientId', 'dpopKey', 'idToken', 'refreshToken', 'signInRegion', 'tokenType']);
      assert.deepEqual({ ...cache.accessToken, sessionToken: 'x' }, {
        accessKeyId: 'ASIAFAKEFAKEFAKE0001',
        secretAccessKey: 'fake-secret',
        sessionToken: 'x',
        accountId: '111111111111',
        expiresAt: '2026-11-23T20:15:00Z',
      });
      assert.equal(cache.tokenType, 'aws_sigv4');
      assert.equal(cache.clientId, SAME_DEVICE_CLIENT_ID);
      assert.equal(cache.refreshToken, refreshToken);
      assert.equal(cache.signInRegion, 'eu-west-1');
      assert.match(cache.dpopKey, /^-----BEGIN EC PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END EC PRIVATE KEY-----\n$/);
      // The cached key is the one that signed the redemption: the refresh token is bound to it.
      const jwk = createPublicKey(createPrivateKey(cache.dpopKey)).export({ format: 'jwk' }) as unknown as EcPublicJwk;
      assert.equal(jwkThumbprint(jwk), tokenRequest.jkt);
      if (posix) {
        assert.equal((await stat(p.cache)).mode & 0o777, 0o600);
        assert.equal((await stat(p.cacheDir)).mode & 0o777, 0o700);
        assert.equal((await stat(p.config)).mode & 0o777, 0o600);
      }
      assert.deepEqual((await readdir(p.cacheDir)).filter((name) => name.endsWith('.tmp')), []);

      // §3: the profile, with the endpoint saved where the SDKs look for it.
      assert.equal(
        await readFile(p.config, 'utf8'),
        `[profile dev]\nlogin_session = ${ALICE}\nregion = eu-west-1\nservices = keyless-dev\n\n${services('keyless-dev', server.baseUrl)}`,
      );

      // --json: one object on stdout; the human text went to stderr.
      assert.deepEqual(JSON.parse(ctx.stdout.text), {
        loginSession: ALICE,
        accountId: '111111111111',
        profile: 'dev',
        region: 'eu-west-1',
        endpoint: server.baseUrl,
        cacheFile: p.cache,
        configFile: p.config,
        expiresAt: '2026-11-23T20:15:00Z',
      });
      assert.equal(ctx.stdout.text.trim().split('\n').length, 1);
      assert.match(ctx.stderr.text, new RegExp(`Signed in as ${ALICE.replace(/[/]/g, '\\/')}`));
      assert.match(ctx.stderr.text, /aws sts get-caller-identity --profile dev/);
      assert.match(ctx.stderr.text, /AWS_PROFILE=dev/);
      assert.match(ctx.stderr.text, /\[services keyless-dev\]/);
    }));

  it('leaves an already-configured file byte-identical, finding the endpoint in the services section', () =>
    withTempHome(async (home) => {
      const configPath = join(home, 'elsewhere', 'aws-config');
      const before = `# managed by hand\r\n[default]\r\nregion = us-east-2 ; ohio\r\n\r\n[profile dev]\r\nlogin_session = ${ALICE}\r\nservices = kl\r\n\r\n[services kl]\r\nsignin =\r\n  endpoint_url = ${server.baseUrl}\r\n`;
      await mkdir(join(home, 'elsewhere'));
      await writeFile(configPath, before, { mode: 0o644 });
      const cacheDir = join(home, 'custom-cache');
      const ctx = testContext({
        homeDir: home,
        now: NOW,
        interactive: true,
        env: { AWS_CONFIG_FILE: configPath, AWS_LOGIN_CACHE_DIRECTORY: cacheDir, AWS_PROFILE: 'dev', AWS_REGION: 'us-west-2' },
      });
      assert.equal(await run({}, ctx), ExitCode.Ok);
      assert.equal(await readFile(configPath, 'utf8'), before);
      if (posix) assert.equal((await stat(configPath)).mode & 0o777, 0o644);
      assert.equal(JSON.parse(await readFile(join(cacheDir, `${sha256Hex(ALICE)}.json`), 'utf8')).signInRegion, 'us-west-2');
      assert.deepEqual(ctx.asked, []);
      assert.equal(ctx.stdout.text, '');
    }));

  it('adds to an existing default profile without touching the rest of the file', () =>
    withTempHome(async (home) => {
      const p = paths(home);
      await mkdir(join(home, '.aws'));
      const before = '[default]\noutput = json\n\n[profile other]\nrole_arn = arn:aws:iam::1:role/x\n';
      await writeFile(p.config, before);
      const ctx = testContext({ homeDir: home, now: NOW });
      await run({ region: 'us-east-1', endpointUrl: server.baseUrl }, ctx);
      assert.equal(
        await readFile(p.config, 'utf8'),
        `[default]\noutput = json\nlogin_session = ${ALICE}\nregion = us-east-1\nservices = keyless-default\n\n[profile other]\nrole_arn = arn:aws:iam::1:role/x\n\n${services('keyless-default', server.baseUrl)}`,
      );
      // Issue 21: the first hint works with what is installed; the aws one says which version it needs.
      assert.match(ctx.stderr.text, /Try it: {2}keyless whoami\n/);
      assert.match(ctx.stderr.text, /With an AWS CLI that knows login_session \(v2\.32 or later\) or the SDKs: {2}aws sts get-caller-identity\n/);
      assert.match(ctx.stderr.text, /`keyless login --credential-process` also writes a credential_process profile/);
    }));

  it('with --endpoint-url, completes a services section that names only signin and sts (as older versions wrote it)', () =>
    withTempHome(async (home) => {
      const p = paths(home);
      await mkdir(join(home, '.aws'));
      const older = `[profile dev]\nlogin_session = ${ALICE}\nregion = us-east-1\nservices = kl\n\n[services kl]\nsignin =\n  endpoint_url = ${server.baseUrl}\nsts =\n  endpoint_url = ${server.baseUrl}\n`;
      await writeFile(p.config, older);
      await run({ profile: 'dev', endpointUrl: server.baseUrl }, testContext({ homeDir: home, now: NOW }));
      const completed = `[profile dev]\nlogin_session = ${ALICE}\nregion = us-east-1\nservices = kl\n\n${services('kl', server.baseUrl)}`;
      assert.equal(await readFile(p.config, 'utf8'), completed);

      // Once every service resolves to the URL, the same login leaves the file as it is.
      const ctx = testContext({ homeDir: home, now: NOW });
      await run({ profile: 'dev', endpointUrl: server.baseUrl }, ctx);
      assert.equal(await readFile(p.config, 'utf8'), completed);
      assert.doesNotMatch(ctx.stderr.text, /Saved /);
    }));

  it('names the other profiles of the same session: they share the cache file this sign-in replaced', () =>
    withTempHome(async (home) => {
      const p = paths(home);
      await mkdir(join(home, '.aws'));
      await writeFile(p.config, `[profile reg1]\nlogin_session = ${ALICE}\nregion = eu-west-1\n\n[profile other]\nlogin_session = ${BOB}\n\n[profile remote1]\nlogin_session = ${ALICE}\n`);
      const ctx = testContext({ homeDir: home, now: NOW });
      assert.equal(await run({ profile: 'dev', region: 'us-east-1', endpointUrl: server.baseUrl }, ctx), ExitCode.Ok);
      assert.ok(ctx.stderr.text.includes(`Also signed in: reg1, remote1 — same session (${ALICE}), one cache file: this sign-in replaced theirs.`), ctx.stderr.text);
    }));

  it('--credential-process also writes a credential_process profile for older tools: this program written absolute', () =>
    withTempHome(async (home) => {
      const self = { node: '/opt/node 24/bin/node', script: '/opt/keyless/bin/keyless.cjs' };
      const ctx = testContext({ homeDir: home, now: NOW, self });
      assert.equal(await run({ profile: 'dev', region: 'eu-west-1', endpointUrl: server.baseUrl, credentialProcess: true }, ctx), ExitCode.Ok);
      const config = await readFile(paths(home).config, 'utf8');
      assert.ok(
        config.includes(`[profile dev-process]\ncredential_process = "/opt/node 24/bin/node" /opt/keyless/bin/keyless.cjs credential-process --profile dev\nregion = eu-west-1\nservices = keyless-dev\n`),
        config,
      );
      assert.ok(ctx.stderr.text.includes(`aws sts get-caller-identity --profile dev-process --endpoint-url ${server.baseUrl}`), ctx.stderr.text);
    }));

  it('--credential-process NAME writes `keyless credential-process` when PATH finds this very program', () =>
    withTempHome(async (home) => {
      const self = { node: '/usr/bin/node', script: '/opt/keyless/bin/keyless.cjs' };
      const ctx = testContext({ homeDir: home, now: NOW, self, onPath: { keyless: self.script } });
      await run({ profile: 'dev', region: 'eu-west-1', endpointUrl: server.baseUrl, credentialProcess: 'legacy' }, ctx);
      assert.match(await readFile(paths(home).config, 'utf8'), /\[profile legacy\]\ncredential_process = keyless credential-process --profile dev\n/);
    }));

  it('--credential-process refuses a profile that holds other credentials, before the browser', () =>
    withTempHome(async (home) => {
      await mkdir(join(home, '.aws'));
      await writeFile(paths(home).config, '[profile dev-process]\naws_access_key_id = AKIAX\n');
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ profile: 'dev', region: 'us-east-1', endpointUrl: server.baseUrl, credentialProcess: true }, ctx), failsWith('CREDENTIAL_PROCESS_PROFILE', ExitCode.Usage));
      assert.deepEqual(ctx.opened, []);
    }));

  it('refuses a profile that holds other credentials, before opening the browser', () =>
    withTempHome(async (home) => {
      await mkdir(join(home, '.aws'));
      await writeFile(paths(home).config, '[profile dev]\nsso_session = corp\n');
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ profile: 'dev', region: 'us-east-1', endpointUrl: server.baseUrl }, ctx), failsWith('PROFILE_HAS_OTHER_CREDENTIALS', ExitCode.Usage));
      assert.deepEqual(ctx.opened, []);
    }));

  it('asks for the region on a terminal and saves the answer in the profile', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, interactive: true, selectAnswer: 'ap-southeast-2' });
      await run({ profile: 'dev', endpointUrl: server.baseUrl }, ctx);
      assert.deepEqual(ctx.asked, ['AWS region']);
      assert.match(await readFile(paths(home).config, 'utf8'), /^\[profile dev\]\nlogin_session = .*\nregion = ap-southeast-2\n/);
    }));

  it('never prompts without a terminal: no region means an error naming --region', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ profile: 'dev', endpointUrl: server.baseUrl }, ctx), failsWith('REGION_REQUIRED', ExitCode.Usage));
      assert.deepEqual(ctx.opened, []);
    }));

  describe('replacing a different login_session', () => {
    const seed = async (home: string) => {
      await mkdir(join(home, '.aws'));
      const before = `[profile dev]\nlogin_session = ${BOB}\nregion = us-east-1\nservices = kl\n\n[services kl]\nsignin =\n  endpoint_url = ${server.baseUrl}\n`;
      await writeFile(paths(home).config, before);
      return before;
    };

    it('refuses without a terminal unless --yes, and revokes the unused sign-in', () =>
      withTempHome(async (home) => {
        const before = await seed(home);
        const ctx = testContext({ homeDir: home, now: NOW });
        await assert.rejects(run({ profile: 'dev' }, ctx), failsWith('LOGIN_SESSION_CONFLICT', ExitCode.Usage));
        assert.equal(await readFile(paths(home).config, 'utf8'), before);
        await assert.rejects(stat(paths(home).cache), { code: 'ENOENT' });
        assert.equal(server.revokeRequests.length, 1);
        assert.equal(server.liveRefreshTokens.size, 0, 'the new refresh token was revoked with its own key');

        await run({ profile: 'dev', yes: true }, testContext({ homeDir: home, now: NOW }));
        assert.equal(await readFile(paths(home).config, 'utf8'), before.replace(BOB, ALICE));
      }));

    it('asks on a terminal: "no" keeps the profile, "yes" replaces the session', () =>
      withTempHome(async (home) => {
        const before = await seed(home);
        const no = testContext({ homeDir: home, now: NOW, interactive: true, confirmAnswers: [false] });
        await assert.rejects(run({ profile: 'dev' }, no), failsWith('CANCELLED', ExitCode.Cancelled));
        assert.equal(no.asked.length, 1);
        assert.match(no.asked[0] as string, /Replace it with arn:aws:iam::111111111111:user\/alice\?/);
        assert.equal(await readFile(paths(home).config, 'utf8'), before);

        const yes = testContext({ homeDir: home, now: NOW, interactive: true, confirmAnswers: [true] });
        await run({ profile: 'dev' }, yes);
        assert.equal(await readFile(paths(home).config, 'utf8'), before.replace(BOB, ALICE));
      }));
  });

  it('shows a human message per token error code, and writes nothing', () =>
    withTempHome(async (home) => {
      await startServer({ tokenError: { type: 'AccessDeniedException', code: 'AUTHCODE_EXPIRED', message: 'Code expired.' } });
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ region: 'us-east-1', endpointUrl: server.baseUrl }, ctx), (error: unknown) => {
        failsWith('AUTHCODE_EXPIRED', ExitCode.Refused)(error);
        assert.match((error as Error).message, /authorization code expired/);
        return true;
      });
      await assert.rejects(stat(join(home, '.aws')), { code: 'ENOENT' });
    }));

  it('fails when the browser comes back with error=', () =>
    withTempHome(async (home) => {
      await startServer({ authorizeError: 'access_denied' });
      const ctx = testContext({ homeDir: home, now: NOW });
      await assert.rejects(run({ region: 'us-east-1', endpointUrl: server.baseUrl }, ctx), failsWith('AUTHORIZATION_DENIED', ExitCode.Refused));
      assert.equal(server.tokenRequests.length, 0);
    }));

  it('--no-browser only prints the URL', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, browser: () => assert.fail('the browser must not be opened') });
      // The person copies the printed URL into a browser.
      const write = ctx.stderr.write.bind(ctx.stderr);
      ctx.stderr.write = (text: string) => {
        const url = /https?:\/\/\S+\/v1\/authorize\?\S+/.exec(text)?.[0];
        if (url) void followAuthorizeRedirect(url);
        return write(text);
      };
      assert.equal(await run({ region: 'us-east-1', endpointUrl: server.baseUrl, browser: false }, ctx), ExitCode.Ok);
      assert.deepEqual(ctx.opened, []);
      assert.match(ctx.stderr.text, /Open this URL in a browser/);
    }));

  it('times out with a clear error when nobody signs in', () =>
    withTempHome(async (home) => {
      const ctx = testContext({ homeDir: home, now: NOW, browser: async () => {} });
      await assert.rejects(run({ region: 'us-east-1', endpointUrl: server.baseUrl, timeoutMs: 50 }, ctx), failsWith('LOGIN_TIMEOUT', ExitCode.Timeout));
      assert.match(ctx.stderr.text, /Waiting for the browser sign-in/);
    }));
});
