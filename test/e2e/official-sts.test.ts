// STS GetCallerIdentity (PROTOCOL.md §4) with the official clients against a real Keyless server:
// `@aws-sdk/client-sts` configured by nothing but the profile `keyless login` wrote, the AWS CLI
// (botocore's signer) through `credential_process = keyless credential-process`, and the SDK's
// signer meeting Keyless's SigV4 errors. The server runs in this process so a mocked Date can
// move both clocks (ExpiredToken).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { AWS_CLI, awsCliV1, awsCliVersion, pathOutsideNpm } from './support/aws-cli.ts';
import { newAwsHome, type AwsHome, type LoginResult } from './support/aws-home.ts';
import { useAwsEnvironment } from './support/aws-env.ts';
import { ensureBuilt, KEYLESS_BIN } from './support/build.ts';
import { loginWithForms } from './support/form-login.ts';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.ts';
import { cleanUp, e2eTest, runKeyless, startProcess } from './support/processes.ts';
import { createUser, type CreatedUser } from './support/server-process.ts';

const PROFILE = 'e2e';
const ALICE_PASSWORD = 'alice sts passphrase 3';
const MINUTE = 60_000;

let server: InProcessServer;
let alice: CreatedUser;

before(async () => {
  ensureBuilt();
  server = await startInProcessServer();
  alice = await createUser(server, { name: 'alice', password: ALICE_PASSWORD });
});

after(async () => {
  await server?.close();
  await cleanUp();
});

async function loginAsAlice(): Promise<{ home: AwsHome; result: LoginResult; cache: { accessToken: Record<string, string> } }> {
  const home = newAwsHome();
  const result = await loginWithForms(home, { endpointUrl: server.url, profile: PROFILE, accountId: server.accountId, userName: 'alice', password: ALICE_PASSWORD });
  return { home, result, cache: JSON.parse(readFileSync(result.cacheFile, 'utf8')) };
}

/** The environment of a shell where only the files `keyless login` wrote say anything. */
function useHome(t: TestContext, home: AwsHome, extra: Record<string, string> = {}): void {
  useAwsEnvironment(t, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/credentials`, AWS_LOGIN_CACHE_DIRECTORY: home.cacheDir, ...extra });
}

async function callerIdentity(config: STSClientConfig) {
  const client = new STSClient(config);
  try {
    return await client.send(new GetCallerIdentityCommand({}));
  } finally {
    client.destroy();
  }
}

/** The SDK with the cached credentials as static ones, so a test can alter them. */
const withCredentials = (cache: { accessToken: Record<string, string> }, change: Partial<Record<'secretAccessKey' | 'sessionToken', string>> = {}, more: STSClientConfig = {}): STSClientConfig => ({
  region: 'us-east-1',
  endpoint: server.url,
  maxAttempts: 1,
  credentials: { accessKeyId: cache.accessToken.accessKeyId!, secretAccessKey: cache.accessToken.secretAccessKey!, sessionToken: cache.accessToken.sessionToken!, ...change },
  ...more,
});

const expectError = (name: string, status: number) => (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(error.name, name, error.message);
  assert.equal(error.$metadata?.httpStatusCode, status);
  return true;
};

e2eTest('@aws-sdk/client-sts finds everything in the profile keyless login wrote: login_session, region, services endpoint', { timeout: 20_000 }, async (t) => {
  const { home } = await loginAsAlice();
  useHome(t, home, { AWS_PROFILE: PROFILE });
  // No region, endpoint or credentials given: the default chain reads login_session from the
  // profile, the cache file, and the sts endpoint_url from the profile's services section.
  const identity = await callerIdentity({});
  assert.deepEqual({ Arn: identity.Arn, UserId: identity.UserId, Account: identity.Account }, { Arn: alice.arn, UserId: alice.userId, Account: server.accountId });
  assert.match(identity.UserId!, /^AIDA[A-Z0-9]{16,}$/);
  assert.match(identity.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
});

const awsCli = awsCliVersion;

e2eTest(`the AWS CLI signs with credential_process = keyless credential-process (${awsCli ?? 'aws not installed'})`, { timeout: 30_000 }, async (t) => {
  if (!awsCli) return t.skip('the aws command is not installed');
  const { home } = await loginAsAlice();
  // A second profile that gets the first one's credentials the way tools without the login provider do.
  appendFileSync(home.configFile, `\n[profile e2e-process]\nregion = us-east-1\ncredential_process = ${process.execPath} ${KEYLESS_BIN} credential-process --profile ${PROFILE}\n`);
  const proc = startProcess('aws sts get-caller-identity', ['sts', 'get-caller-identity', '--profile', 'e2e-process', '--endpoint-url', server.url, '--output', 'json'], {
    env: { ...home.env, AWS_PAGER: '' },
    command: AWS_CLI,
  });
  const exit = await proc.exited(25_000);
  // Until `keyless credential-process` exists, this test has nothing to test.
  if (exit.code !== 0 && /credential-process: not implemented yet/.test(proc.stderr())) return t.skip('keyless credential-process is not implemented yet');
  assert.equal(exit.code, 0, proc.stderr());
  const identity = JSON.parse(proc.stdout()) as { Arn: string; UserId: string; Account: string };
  assert.deepEqual(identity, { UserId: alice.userId, Account: server.accountId, Arn: alice.arn });
});

// `credential_process = keyless credential-process` as a developer writes it: the bare command,
// found through PATH by a CLI started outside npm, so the system's `node` runs it (Node 20 on these
// machines), not the Node.js 24 that npm scripts put first. The client has no native modules and is
// bundled for Node 20 and later (scripts/build.mjs), which is what this holds it to.
const systemNode = spawnSync('node', ['--version'], { encoding: 'utf8', env: { PATH: pathOutsideNpm() } }).stdout.trim() || 'no node on PATH';
const outsideNpmClis = [
  ...(awsCli ? [{ command: AWS_CLI, version: awsCli }] : []),
  ...(awsCliV1 ? [awsCliV1] : []),
];
for (const cli of outsideNpmClis) {
  e2eTest(`${cli.version.split(' ')[0]} finds keyless credential-process through PATH and runs it under the system's node (${systemNode})`, { timeout: 30_000 }, async () => {
    const { home } = await loginAsAlice();
    const binDir = join(home.dir, 'bin');
    mkdirSync(binDir);
    symlinkSync(KEYLESS_BIN, join(binDir, 'keyless'));
    appendFileSync(home.configFile, `\n[profile e2e-path]\nregion = us-east-1\ncredential_process = keyless credential-process --profile ${PROFILE}\n`);
    const proc = startProcess('aws sts get-caller-identity', ['sts', 'get-caller-identity', '--profile', 'e2e-path', '--endpoint-url', server.url, '--output', 'json'], {
      env: { ...home.env, AWS_PAGER: '', PATH: pathOutsideNpm(binDir) },
      command: cli.command,
    });
    const exit = await proc.exited(25_000);
    assert.equal(exit.code, 0, proc.stderr());
    assert.equal((JSON.parse(proc.stdout()) as { Arn: string }).Arn, alice.arn);
  });
}

e2eTest('the SDK signer meets SigV4 errors: SignatureDoesNotMatch, InvalidClientTokenId, RequestExpired (then corrects its clock), ExpiredToken', { timeout: 20_000 }, async (t) => {
  const { cache } = await loginAsAlice();
  useAwsEnvironment(t, {});
  assert.equal((await callerIdentity(withCredentials(cache))).Arn, alice.arn, 'the cached credentials sign as alice');

  const secret = cache.accessToken.secretAccessKey!;
  const wrongSecret = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  await assert.rejects(callerIdentity(withCredentials(cache, { secretAccessKey: wrongSecret })), expectError('SignatureDoesNotMatch', 403));
  await assert.rejects(callerIdentity(withCredentials(cache, { sessionToken: `${cache.accessToken.sessionToken}x` })), expectError('InvalidClientTokenId', 403));

  // A clock 10 minutes fast: over the 5-minute skew Keyless allows. The error's Date header is how
  // the SDK learns the server's time: the same client then signs in time.
  const skewed = new STSClient(withCredentials(cache, {}, { systemClockOffset: 10 * MINUTE }));
  try {
    await assert.rejects(skewed.send(new GetCallerIdentityCommand({})), expectError('RequestExpired', 400));
    assert.equal((await skewed.send(new GetCallerIdentityCommand({}))).Arn, alice.arn, 'the SDK corrected its clock offset');
  } finally {
    skewed.destroy();
  }

  // 16 minutes on, by both clocks, the 15-minute credentials are expired.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  t.mock.timers.tick(16 * MINUTE);
  await assert.rejects(callerIdentity(withCredentials(cache)), expectError('ExpiredToken', 403));
});

e2eTest('after keyless logout, credentials a tool already holds are refused at once (ExpiredToken)', { timeout: 20_000 }, async (t) => {
  const { home, cache } = await loginAsAlice();
  useAwsEnvironment(t, {});
  assert.equal((await callerIdentity(withCredentials(cache))).Arn, alice.arn);
  const logout = await runKeyless(['logout', '--profile', PROFILE], { env: home.env });
  // Issue 21: what logout says is what happens, and the refusal says why (the code stays the SDKs').
  assert.match(logout.stderr, /refuses these credentials from now on/);
  await assert.rejects(callerIdentity(withCredentials(cache)), (error: Error) => expectError('ExpiredToken', 403)(error) && /has been revoked/.test(error.message));
});
