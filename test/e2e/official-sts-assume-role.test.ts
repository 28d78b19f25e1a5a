// Issue 16 with the official clients against a real Keyless server on a real socket:
// AssumeRoleWithWebIdentity from a token a test issuer (discovery + JWKS on its own socket) signed —
// through `fromWebToken`, and through the default chain a CI job uses (AWS_ROLE_ARN +
// AWS_WEB_IDENTITY_TOKEN_FILE) — and AssumeRole through `fromTemporaryCredentials` and through a
// profile with `role_arn` + `source_profile` pointing at the login_session profile `keyless login`
// wrote, which the SDK follows by itself. Then Debian's aws and the AWS CLI v1 run
// `aws sts assume-role-with-web-identity` and `aws sts assume-role` with --endpoint-url.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers';
import { operatorRequest } from '../../packages/server/src/audit/iam-events.ts';
import { createOidcProvider } from '../../packages/server/src/federation/provider-admin.ts';
import { putInlinePolicy } from '../../packages/server/src/iam/admin/inline-policies.ts';
import { createRole } from '../../packages/server/src/iam/admin/roles.ts';
import { startTestIdp, type TestIdp } from '../../packages/server/src/testing/test-idp.ts';
import { AWS_CLI, awsCliV1, awsCliVersion } from './support/aws-cli.ts';
import { newAwsHome } from './support/aws-home.ts';
import { useAwsEnvironment } from './support/aws-env.ts';
import { ensureBuilt } from './support/build.ts';
import { loginWithForms } from './support/form-login.ts';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.ts';
import { cleanUp, e2eTest, startProcess } from './support/processes.ts';
import { createUser } from './support/server-process.ts';
import { makeTempDir } from './support/tmp.ts';

const PROFILE = 'e2e';
const PASSWORD = 'alice assume-role passphrase 5';
const AUDIENCE = 'sts.amazonaws.com';

let server: InProcessServer;
let idp: TestIdp;
let ciRoleArn: string;
let devRoleArn: string;

before(async () => {
  ensureBuilt();
  server = await startInProcessServer();
  idp = await startTestIdp({ clientId: AUDIENCE, now: () => Date.now() });
  await createUser(server, { name: 'alice', password: PASSWORD });
  const deps = server.service.deps;
  const by = operatorRequest(deps.random, 'e2e set-up');
  const provider = await createOidcProvider({ ...deps }, by, { accountId: server.accountId, issuer: idp.issuer, clientId: AUDIENCE, clientSecret: 'unused', displayName: 'CI' });
  const path = idp.issuer.replace(/^https?:\/\//, '');
  const trust = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  ciRoleArn = (await createRole(deps, by, { accountId: server.accountId, roleName: 'ci', assumeRolePolicyDocument: trust({ Effect: 'Allow', Principal: { Federated: provider.arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${path}:sub`]: 'repo:acme/app:ref:refs/heads/main' } } }) })).arn;
  devRoleArn = (await createRole(deps, by, { accountId: server.accountId, roleName: 'developer', assumeRolePolicyDocument: trust({ Effect: 'Allow', Principal: { AWS: server.accountId }, Action: 'sts:AssumeRole' }) })).arn;
  await putInlinePolicy(deps, by, { kind: 'user', accountId: server.accountId, name: 'alice', policyName: 'assume-developer', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: devRoleArn }] }) });
});

after(async () => {
  await idp?.close();
  await server?.close();
  await cleanUp();
});

const ciToken = () => {
  const now = Math.floor(Date.now() / 1000);
  return idp.sign({ iss: idp.issuer, aud: AUDIENCE, sub: 'repo:acme/app:ref:refs/heads/main', iat: now, exp: now + 600 });
};

async function callerArn(config: STSClientConfig): Promise<string | undefined> {
  const client = new STSClient({ region: 'us-east-1', maxAttempts: 1, ...config });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

const ciSession = (name: string) => `arn:aws:sts::${server.accountId}:assumed-role/ci/${name}`;

e2eTest('@aws-sdk fromWebToken trades a CI token for role credentials that GetCallerIdentity knows', { timeout: 20_000 }, async (t) => {
  useAwsEnvironment(t, {});
  const credentials = fromWebToken({ roleArn: ciRoleArn, webIdentityToken: await ciToken(), roleSessionName: 'build-1', clientConfig: { endpoint: server.url, region: 'us-east-1' } });
  const resolved = await credentials();
  assert.match(resolved.accessKeyId, /^ASIA/);
  assert.ok(resolved.expiration && resolved.expiration.getTime() > Date.now() + 3500_000, 'an hour by default');
  assert.equal(await callerArn({ endpoint: server.url, credentials }), ciSession('build-1'));
  // A token for another repository is refused with the SDK's modelled error.
  const now = Math.floor(Date.now() / 1000);
  const foreign = await idp.sign({ iss: idp.issuer, aud: AUDIENCE, sub: 'repo:evil/app', iat: now, exp: now + 600 });
  await assert.rejects(fromWebToken({ roleArn: ciRoleArn, webIdentityToken: foreign, roleSessionName: 'xx', clientConfig: { endpoint: server.url, region: 'us-east-1' } })(), { name: 'AccessDenied' });
  const expired = await idp.sign({ iss: idp.issuer, aud: AUDIENCE, sub: 'repo:acme/app:ref:refs/heads/main', iat: now - 7200, exp: now - 3600 });
  await assert.rejects(fromWebToken({ roleArn: ciRoleArn, webIdentityToken: expired, roleSessionName: 'xx', clientConfig: { endpoint: server.url, region: 'us-east-1' } })(), { name: 'ExpiredTokenException' });
  await assert.rejects(fromWebToken({ roleArn: ciRoleArn, webIdentityToken: `${await ciToken()}x`, roleSessionName: 'xx', clientConfig: { endpoint: server.url, region: 'us-east-1' } })(), { name: 'InvalidIdentityTokenException' });
});

e2eTest('the SDK’s default chain in a CI job: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, nothing else', { timeout: 20_000 }, async (t) => {
  const dir = makeTempDir('ci');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, await ciToken());
  useAwsEnvironment(t, { AWS_ROLE_ARN: ciRoleArn, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_SESSION_NAME: 'ci-job', AWS_ENDPOINT_URL_STS: server.url, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') });
  assert.equal(await callerArn({}), ciSession('ci-job'));
});

e2eTest('AssumeRole: fromTemporaryCredentials, and a role_arn + source_profile profile over the login_session profile', { timeout: 30_000 }, async (t) => {
  const home = newAwsHome();
  const result = await loginWithForms(home, { endpointUrl: server.url, profile: PROFILE, accountId: server.accountId, userName: 'alice', password: PASSWORD });
  const cache = JSON.parse(readFileSync(result.cacheFile, 'utf8')) as { accessToken: Record<string, string> };
  useAwsEnvironment(t, {});
  const masterCredentials = { accessKeyId: cache.accessToken.accessKeyId!, secretAccessKey: cache.accessToken.secretAccessKey!, sessionToken: cache.accessToken.sessionToken! };
  const temporary = fromTemporaryCredentials({ masterCredentials, params: { RoleArn: devRoleArn, RoleSessionName: 'alice-dev' }, clientConfig: { endpoint: server.url, region: 'us-east-1' } });
  assert.equal(await callerArn({ endpoint: server.url, credentials: temporary }), `arn:aws:sts::${server.accountId}:assumed-role/developer/alice-dev`);

  // What a developer writes by hand after `keyless login`: no credentials of its own.
  const config = readFileSync(home.configFile, 'utf8');
  const servicesName = /\[profile e2e\][^[]*?services\s*=\s*(\S+)/.exec(config)?.[1];
  assert.ok(servicesName, `the login profile names its services section:\n${config}`);
  appendFileSync(home.configFile, `\n[profile dev]\nrole_arn = ${devRoleArn}\nsource_profile = ${PROFILE}\nrole_session_name = alice-chained\nregion = us-east-1\nservices = ${servicesName}\n`);
  useAwsEnvironment(t, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: `${home.dir}/credentials`, AWS_LOGIN_CACHE_DIRECTORY: home.cacheDir, AWS_PROFILE: 'dev' });
  assert.equal(await callerArn({}), `arn:aws:sts::${server.accountId}:assumed-role/developer/alice-chained`);
});

const clis = [...(awsCliVersion ? [{ command: AWS_CLI, version: awsCliVersion }] : []), ...(awsCliV1 ? [awsCliV1] : [])];
for (const cli of clis) {
  e2eTest(`${cli.version.split(' ')[0]}: aws sts assume-role-with-web-identity and aws sts assume-role with --endpoint-url`, { timeout: 60_000 }, async () => {
    const home = newAwsHome();
    const run = async (args: string[], env: NodeJS.ProcessEnv = home.env) => {
      const proc = startProcess(`aws ${args.slice(0, 2).join(' ')}`, [...args, '--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json'], { env: { ...env, AWS_PAGER: '' }, command: cli.command });
      const exit = await proc.exited(30_000);
      assert.equal(exit.code, 0, proc.stderr());
      return JSON.parse(proc.stdout()) as Record<string, any>;
    };
    const web = await run(['sts', 'assume-role-with-web-identity', '--role-arn', ciRoleArn, '--role-session-name', 'cli-build', '--web-identity-token', await ciToken()]);
    assert.equal(web.AssumedRoleUser.Arn, ciSession('cli-build'));
    assert.equal(web.SubjectFromWebIdentityToken, 'repo:acme/app:ref:refs/heads/main');
    const withRole = { ...home.env, AWS_ACCESS_KEY_ID: web.Credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: web.Credentials.SecretAccessKey, AWS_SESSION_TOKEN: web.Credentials.SessionToken };
    assert.equal((await run(['sts', 'get-caller-identity'], withRole)).Arn, ciSession('cli-build'));

    const result = await loginWithForms(home, { endpointUrl: server.url, profile: PROFILE, accountId: server.accountId, userName: 'alice', password: PASSWORD });
    const cache = JSON.parse(readFileSync(result.cacheFile, 'utf8')) as { accessToken: Record<string, string> };
    const asAlice = { ...home.env, AWS_ACCESS_KEY_ID: cache.accessToken.accessKeyId!, AWS_SECRET_ACCESS_KEY: cache.accessToken.secretAccessKey!, AWS_SESSION_TOKEN: cache.accessToken.sessionToken! };
    const assumed = await run(['sts', 'assume-role', '--role-arn', devRoleArn, '--role-session-name', 'cli-dev', '--duration-seconds', '900'], asAlice);
    assert.equal(assumed.AssumedRoleUser.Arn, `arn:aws:sts::${server.accountId}:assumed-role/developer/cli-dev`);
    assert.match(assumed.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]+:cli-dev$/);
  });
}
