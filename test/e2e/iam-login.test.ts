// Issue 4 end to end, with the published binary: `keyless serve`, `keyless admin` changing
// policies from another process, `keyless login` walked by a form browser, refreshes made by
// `keyless export-credentials` — an identity Deny and an SCP each stop a new `keyless login` and a
// later refresh of an earlier one; undone, the earlier session carries on. Then the official
// @aws-sdk/client-iam, with nothing but the profile `keyless login` wrote, creates a user and a
// policy, and the AWS CLI (botocore) runs `aws iam create-user --endpoint-url` with
// credential_process; a user without IAM permissions gets AccessDenied. Root sign-in is refused once the
// organization removed the account's root credentials.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateUserCommand, GetUserCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { AWS_CLI, awsCliVersion } from './support/aws-cli.ts';
import { newAwsHome, startLogin, type AwsHome, type LoginResult } from './support/aws-home.ts';
import { useAwsEnvironment } from './support/aws-env.ts';
import { ensureBuilt, KEYLESS_BIN } from './support/build.ts';
import { FormBrowser } from './support/form-browser.ts';
import { loginWithForms } from './support/form-login.ts';
import { cleanUp, e2eTest, runKeyless, startKeyless, startProcess } from './support/processes.ts';
import { createUser, ROOT_EMAIL, ROOT_PASSWORD, startServerProcess, type ServerProcess } from './support/server-process.ts';

const PASSWORD = 'iam e2e passphrase 4';
const SIGN_IN = 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

let server: ServerProcess;

before(async () => {
  ensureBuilt();
  server = await startServerProcess();
});

after(async () => {
  await server?.stop();
  await cleanUp();
});

/** `keyless admin …args --json` against the server's data directory, from another process. */
async function admin(args: string[], input?: string): Promise<any> {
  const { stdout } = await runKeyless(['admin', ...args, '--json'], { env: server.adminEnv, input });
  return stdout.trim() ? JSON.parse(stdout.trim().split('\n').at(-1)!) : undefined;
}

const login = (home: AwsHome, profile: string, userName: string) =>
  loginWithForms(home, { endpointUrl: server.url, profile, accountId: server.accountId, userName, password: PASSWORD });

/**
 * A refresh by the client, as it happens when the credentials run out: the cached credentials are
 * marked expired, so `keyless export-credentials` must refresh before it can print any.
 */
async function refreshByClient(home: AwsHome, result: LoginResult): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cache = JSON.parse(readFileSync(result.cacheFile, 'utf8'));
  cache.accessToken.expiresAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  writeFileSync(result.cacheFile, JSON.stringify(cache), { mode: 0o600 });
  const proc = startKeyless('keyless export-credentials', ['export-credentials', '--profile', result.profile, '--format', 'env'], { env: home.env });
  const exit = await proc.exited(15_000);
  return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** A new `keyless login` whose user continues on the authorize screen; what the browser and the CLI end with. */
async function attemptLogin(home: AwsHome, profile: string, userName: string): Promise<{ page: { url: string; status: number; body: string }; cli: Promise<{ code: number | null; stderr: string }> }> {
  const pending = await startLogin(home, { endpointUrl: server.url, profile });
  const browser = new FormBrowser();
  const signIn = await browser.get(pending.authorizeUrl);
  const chooser = await browser.submit(signIn, 'name="username"', { account: server.accountId, username: userName, password: PASSWORD });
  const page = await browser.submit(chooser, `Continue as <bdi>${userName}</bdi>`);
  const cli = pending.proc.exited(15_000).then(
    (exit) => ({ code: exit.code, stderr: pending.proc.stderr() }),
    async (error: Error) => (await pending.proc.stop(), { code: null, stderr: `${error.message}\n${pending.proc.stderr()}` }),
  );
  return { page, cli };
}

e2eTest('an identity Deny stops a new keyless login at redemption and the next refresh of an earlier one', { timeout: 60_000 }, async () => {
  await createUser(server, { name: 'dev', password: PASSWORD });
  const home = newAwsHome();
  const earlier = await login(home, 'dev', 'dev');
  const allowed = await refreshByClient(home, earlier);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /AWS_ACCESS_KEY_ID=ASIA/);

  await admin(['put-inline-policy', '--account', server.accountId, '--user', 'dev', '--policy-name', 'no-tokens', '--document', doc({ Effect: 'Deny', Action: 'signin:CreateOAuth2Token', Resource: '*' })]);
  const refused = await refreshByClient(home, earlier);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /signin:CreateOAuth2Token/);

  // A new login: the authorize screen is still allowed, the redemption is not.
  const attempt = await attemptLogin(newAwsHome(), 'dev2', 'dev');
  assert.match(attempt.page.url, /oauth\/callback/);
  const cli = await attempt.cli;
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /not allowed to get credentials.*signin:CreateOAuth2Token/s);

  await admin(['delete-inline-policy', '--account', server.accountId, '--user', 'dev', '--policy-name', 'no-tokens']);
  const again = await refreshByClient(home, earlier);
  assert.equal(again.code, 0, `the refused refreshes spent nothing: ${again.stderr}`);
});

e2eTest('an SCP stops keyless login at the authorize screen and a later refresh; root sign-in ends with root access management', { timeout: 90_000 }, async () => {
  const management = await admin(['create-account', '--email', 'management@example.com', '--password-stdin'], ROOT_PASSWORD);
  const organization = await admin(['org', 'create', '--management-account', management.accountId]);
  await admin(['org', 'add-account', '--org', organization.organizationId, '--account', server.accountId]);
  await createUser(server, { name: 'ops', password: PASSWORD });
  const home = newAwsHome();
  const earlier = await login(home, 'ops', 'ops');

  const scp = await admin(['org', 'create-policy', '--org', organization.organizationId, '--name', 'NoLocalLogins', '--content', doc({ Sid: 'NoSignIn', Effect: 'Deny', Action: 'signin:*', Resource: '*' })]);
  await admin(['org', 'attach-policy', '--policy-id', scp.policyId, '--target-id', server.accountId]);
  const refused = await refreshByClient(home, earlier);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /signin:CreateOAuth2Token/);
  const attempt = await attemptLogin(newAwsHome(), 'ops2', 'ops');
  assert.equal(attempt.page.status, 403);
  assert.match(attempt.page.body, /Access denied/);
  assert.match(attempt.page.body, new RegExp(`${scp.policyId} \\(NoLocalLogins\\)`));
  // No code reached the CLI: it is still waiting for its callback.
  const cliState = await Promise.race([attempt.cli.then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
  assert.equal(cliState, 'waiting');

  const explained = await runKeyless(['admin', 'simulate', '--principal', `arn:aws:iam::${server.accountId}:user/ops`, '--action', 'signin:CreateOAuth2Token', '--resource', `arn:aws:signin:us-east-1:${server.accountId}:oauth2/public-client/localhost`], { env: server.adminEnv });
  assert.match(explained.stdout, new RegExp(`^ExplicitDeny: Denied by SCP ${scp.policyId} \\(NoLocalLogins\\) on account ${server.accountId} \\(statement NoSignIn\\)`));

  await admin(['org', 'detach-policy', '--policy-id', scp.policyId, '--target-id', server.accountId]);
  const again = await refreshByClient(home, earlier);
  assert.equal(again.code, 0, again.stderr);

  // Centralised root access management: the bootstrap account's root may no longer sign in.
  await admin(['org', 'enable-root-access-management', '--org', organization.organizationId]);
  await admin(['org', 'remove-root-credentials', '--account', server.accountId]);
  const browser = new FormBrowser();
  const rootPage = await browser.get(`${server.url}/console/signin?mode=root`);
  const rootSignIn = await browser.submit(rootPage, 'name="email"', { email: ROOT_EMAIL, password: ROOT_PASSWORD });
  assert.equal(rootSignIn.status, 403);
  assert.match(rootSignIn.body, /Root sign-in to account \d{12} is turned off/);
  await admin(['org', 'restore-root-credentials', '--account', server.accountId]);
});

e2eTest('@aws-sdk/client-iam, configured by the profile keyless login wrote, creates a user and a policy; without IAM permissions, AccessDenied', { timeout: 60_000 }, async (t) => {
  await createUser(server, { name: 'iam-admin', password: PASSWORD, policies: [SIGN_IN, 'arn:aws:iam::aws:policy/IAMFullAccess'] });
  const home = newAwsHome();
  await login(home, 'admin', 'iam-admin');
  useAwsEnvironment(t, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/credentials`, AWS_LOGIN_CACHE_DIRECTORY: home.cacheDir, AWS_PROFILE: 'admin' });
  // Nothing but the profile: credentials from login_session, the endpoint from its services section's iam endpoint_url.
  const iam = new IAMClient({ region: 'us-east-1', maxAttempts: 1 });
  try {
    const user = await iam.send(new CreateUserCommand({ UserName: 'made-by-sdk', Path: '/sdk/' }));
    assert.equal(user.User?.Arn, `arn:aws:iam::${server.accountId}:user/sdk/made-by-sdk`);
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadLogs', PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:Get*', Resource: '*' }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'made-by-sdk', PolicyArn: policy.Policy!.Arn! }));
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'made-by-sdk' }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyArn), [policy.Policy!.Arn]);
    // The operator sees the same state from the command line.
    const fromCli = await admin(['get-policy', '--account', server.accountId, '--arn', policy.Policy!.Arn!]);
    assert.equal(fromCli.attachmentCount, 1);
  } finally {
    iam.destroy();
  }

  await createUser(server, { name: 'no-iam', password: PASSWORD });
  const other = newAwsHome();
  await login(other, 'plain', 'no-iam');
  process.env.AWS_CONFIG_FILE = other.configFile;
  process.env.AWS_LOGIN_CACHE_DIRECTORY = other.cacheDir;
  process.env.AWS_PROFILE = 'plain';
  const denied = new IAMClient({ region: 'us-east-1', maxAttempts: 1 });
  try {
    await assert.rejects(denied.send(new GetUserCommand({ UserName: 'made-by-sdk' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'AccessDenied' && e.$metadata?.httpStatusCode === 403);
  } finally {
    denied.destroy();
  }
});

const awsCli = awsCliVersion;

e2eTest(`aws iam create-user --endpoint-url with credentials from keyless (${awsCli ?? 'aws not installed'})`, { timeout: 60_000 }, async (t) => {
  if (!awsCli) return t.skip('the aws command is not installed');
  await createUser(server, { name: 'cli-admin', password: PASSWORD, policies: [SIGN_IN, 'arn:aws:iam::aws:policy/IAMFullAccess'] });
  const home = newAwsHome();
  await login(home, 'cli', 'cli-admin');
  appendFileSync(home.configFile, `\n[profile cli-process]\nregion = us-east-1\ncredential_process = ${process.execPath} ${KEYLESS_BIN} credential-process --profile cli\n`);
  const aws = async (...args: string[]) => {
    const proc = startProcess(`aws ${args.slice(0, 2).join(' ')}`, [...args, '--profile', 'cli-process', '--endpoint-url', server.url, '--output', 'json'], { env: { ...home.env, AWS_PAGER: '' }, command: AWS_CLI });
    const exit = await proc.exited(25_000);
    return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
  };
  const created = await aws('iam', 'create-user', '--user-name', 'from-awscli', '--path', '/cli/');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(JSON.parse(created.stdout).User.Arn, `arn:aws:iam::${server.accountId}:user/cli/from-awscli`);
  const bad = await aws('iam', 'put-user-policy', '--user-name', 'from-awscli', '--policy-name', 'bad', '--policy-document', doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:SourceIp': 'x' } } }));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /MalformedPolicyDocument/);
  assert.match(bad.stderr, /Statement\[0\]\.Condition\.StringEqualz/);
});
