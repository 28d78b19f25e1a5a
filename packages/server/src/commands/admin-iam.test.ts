// `keyless admin` for IAM, Organizations and simulate, run in-process against a SQLite data
// directory the way the binary runs them: every command with --json, documents from flags, files
// and stdin, and the decisions the enforcement points would reach.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerAdmin } from './admin.ts';

const ACCOUNT = '123456789012';
const MEMBER = '210987654321';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const SIGNIN_RESOURCE = `arn:aws:signin:us-east-1:${ACCOUNT}:oauth2/public-client/localhost`;

describe('keyless admin: IAM, Organizations, simulate', () => {
  let dir: string;
  let stdin = '';

  /** Runs `keyless admin …args` and answers its stdout. */
  async function admin(...args: string[]): Promise<string> {
    let out = '';
    const program = new Command('keyless').exitOverride();
    registerAdmin(program, { env: { KEYLESS_DATA_DIR: dir, KEYLESS_PASSWORD: 'a-long-test-password-1' }, readStdin: async () => stdin, out: (text) => void (out += text), err: () => {} });
    await program.parseAsync(['node', 'keyless', 'admin', ...args]);
    return out;
  }
  const json = async (...args: string[]) => JSON.parse(await admin(...args, '--json'));
  const lines = async (...args: string[]) => (await admin(...args, '--json')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-admin-'));
    await admin('create-account', '--email', 'root@example.com', '--account-id', ACCOUNT);
    await admin('create-account', '--email', 'member@example.com', '--account-id', MEMBER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('create-user --attach-policy attaches each policy; a bad ARN creates nothing', async () => {
    const user = await json('create-user', '--account', ACCOUNT, '--name', 'alice', '--attach-policy', 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess');
    assert.deepEqual(user.attachedPolicies, ['arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess']);
    assert.deepEqual(await lines('list-attached-policies', '--account', ACCOUNT, '--user', 'alice'), [{ policyName: 'SignInLocalDevelopmentAccess', policyArn: 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess' }]);
    await assert.rejects(admin('create-user', '--account', ACCOUNT, '--name', 'typo', '--attach-policy', 'arn:aws:iam::aws:policy/NoSuchPolicy'), /does not exist/);
    await assert.rejects(admin('get-user', '--account', ACCOUNT, '--name', 'typo'), /cannot be found/);
  });

  it('simulate explains an allow, naming the managed policy and statement', async () => {
    const text = await admin('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/alice`, '--action', 'signin:CreateOAuth2Token', '--resource', SIGNIN_RESOURCE, '--context', 'aws:SourceIp=192.0.2.10');
    assert.match(text, /^Allow: Allowed by managed policy arn:aws:iam::aws:policy\/SignInLocalDevelopmentAccess \(statement AllowLocalDevelopmentSignIn\)/);
    assert.match(text, /aws:SourceIp = 192\.0\.2\.10/);
    const result = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/alice`, '--action', 'iam:CreateUser', '--resource', '*');
    assert.deepEqual([result.decision, result.allowed], ['ImplicitDeny', false]);
  });

  it('customer-managed policies from a file and stdin, versions, inline policies, groups and roles', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, doc({ Sid: 'OfficeOnly', Effect: 'Deny', Action: 'signin:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }));
    const policy = await json('create-policy', '--account', ACCOUNT, '--name', 'OfficeOnly', '--document', `file://${file}`);
    assert.equal(policy.arn, `arn:aws:iam::${ACCOUNT}:policy/OfficeOnly`);
    await json('create-group', '--account', ACCOUNT, '--name', 'staff');
    await json('add-user-to-group', '--account', ACCOUNT, '--group', 'staff', '--user', 'alice');
    await json('attach-policy', '--account', ACCOUNT, '--group', 'staff', '--policy-arn', policy.arn);
    const denied = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/alice`, '--action', 'signin:CreateOAuth2Token', '--resource', SIGNIN_RESOURCE, '--context', 'aws:SourceIp=203.0.113.5');
    assert.equal(denied.decision, 'ExplicitDeny');
    assert.deepEqual(denied.decidedBy, { policy: { kind: 'managed', arn: policy.arn }, sid: 'OfficeOnly', statementIndex: 0 });
    stdin = doc({ Effect: 'Deny', Action: 'signin:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });
    const version = await json('create-policy-version', '--account', ACCOUNT, '--arn', policy.arn, '--document', '-', '--set-as-default');
    assert.deepEqual([version.versionId, version.isDefaultVersion], ['v2', true]);
    const withMfa = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:user/alice`, '--action', 'signin:CreateOAuth2Token', '--resource', SIGNIN_RESOURCE, '--context', 'aws:MultiFactorAuthPresent=true');
    assert.equal(withMfa.decision, 'Allow');
    assert.deepEqual((await lines('list-policy-versions', '--account', ACCOUNT, '--arn', policy.arn)).map((v) => v.versionId), ['v2', 'v1']);
    await assert.rejects(admin('create-policy', '--account', ACCOUNT, '--name', 'Bad', '--document', doc({ Effect: 'Allow', Action: 's3:*' })), /Statement\[0\]/);

    await json('put-inline-policy', '--account', ACCOUNT, '--user', 'alice', '--policy-name', 'read', '--document', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    assert.deepEqual(await lines('list-inline-policies', '--account', ACCOUNT, '--user', 'alice'), [{ policyName: 'read' }]);
    assert.equal((await json('get-inline-policy', '--account', ACCOUNT, '--user', 'alice', '--policy-name', 'read')).document.Statement[0].Action, 's3:GetObject');
    await assert.rejects(admin('put-inline-policy', '--account', ACCOUNT, '--user', 'alice', '--group', 'staff', '--policy-name', 'x', '--document', '{}'), /exactly one of --user/);

    const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    const role = await json('create-role', '--account', ACCOUNT, '--name', 'Deploy', '--trust-policy', trust, '--max-session-duration', '2h');
    assert.deepEqual([role.maxSessionDuration, role.assumeRolePolicyDocument.Statement[0].Action], [7200, 'sts:AssumeRole']);
    await json('attach-policy', '--account', ACCOUNT, '--role', 'Deploy', '--policy-arn', 'arn:aws:iam::aws:policy/IAMFullAccess');
    const roleSimulation = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:role/Deploy`, '--action', 'iam:CreateUser', '--resource', `arn:aws:iam::${ACCOUNT}:user/x`);
    assert.equal(roleSimulation.decision, 'Allow');
    const revoked = await json('revoke-role-sessions', '--account', ACCOUNT, '--name', 'Deploy');
    assert.deepEqual([revoked.role, revoked.sessionsEnded], ['Deploy', 0]);
    const afterRevocation = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:role/Deploy`, '--action', 'iam:CreateUser', '--resource', `arn:aws:iam::${ACCOUNT}:user/x`, '--context', `aws:TokenIssueTime=${new Date(Date.parse(revoked.revokedBefore) - 1000).toISOString()}`);
    assert.equal(afterRevocation.decision, 'ExplicitDeny', 'credentials issued before the revocation are denied everything');
  });

  it('org: create, OUs, member accounts, SCPs with describe, and root access management', async () => {
    const organization = await json('org', 'create', '--management-account', ACCOUNT);
    assert.match(organization.organizationId, /^o-[a-z0-9]{10}$/);
    assert.match(organization.rootId, /^r-[a-z0-9]{4}$/);
    const ou = await json('org', 'create-ou', '--parent', organization.rootId, '--name', 'Sandbox');
    assert.match(ou.id, /^ou-[a-z0-9]{4}-[a-z0-9]{8}$/);
    await json('org', 'add-account', '--account', MEMBER, '--parent', ou.id);
    const scp = await json('org', 'create-policy', '--name', 'NoLogins', '--content', doc({ Sid: 'NoLogins', Effect: 'Deny', Action: 'signin:*', Resource: '*' }));
    await json('org', 'attach-policy', '--policy-id', scp.policyId, '--target-id', ou.id);
    const tree = await json('org', 'describe');
    assert.deepEqual(tree.organizationalUnits[0].policies.sort(), [`${scp.policyId} (NoLogins)`, 'p-FullAWSAccess (FullAWSAccess)'].sort());
    assert.deepEqual(tree.accounts.map((a: { accountId: string }) => a.accountId).sort(), [ACCOUNT, MEMBER].sort());
    assert.match(await admin('org', 'describe'), new RegExp(`${ou.id} Sandbox`));

    const memberRoot = await json('simulate', '--principal', `arn:aws:iam::${MEMBER}:root`, '--action', 'signin:CreateOAuth2Token', '--resource', '*');
    assert.deepEqual([memberRoot.decision, memberRoot.decidedBy.sid], ['ExplicitDeny', 'NoLogins']);
    const managementRoot = await json('simulate', '--principal', `arn:aws:iam::${ACCOUNT}:root`, '--action', 'signin:CreateOAuth2Token', '--resource', '*');
    assert.equal(managementRoot.decision, 'Allow', 'the management account is not subject to SCPs');
    await assert.rejects(admin('org', 'detach-policy', '--policy-id', 'p-FullAWSAccess', '--target-id', organization.rootId), /last SCP/);
    await json('org', 'detach-policy', '--policy-id', scp.policyId, '--target-id', ou.id);
    assert.equal((await json('simulate', '--principal', `arn:aws:iam::${MEMBER}:root`, '--action', 'signin:CreateOAuth2Token', '--resource', '*')).decision, 'Allow');

    await assert.rejects(admin('org', 'remove-root-credentials', '--account', MEMBER), /not enabled/);
    await json('org', 'enable-root-access-management');
    await json('org', 'remove-root-credentials', '--account', MEMBER);
    const removed = await json('simulate', '--principal', `arn:aws:iam::${MEMBER}:root`, '--action', 'signin:CreateOAuth2Token', '--resource', '*');
    assert.equal(removed.allowed, false);
    assert.match(removed.reason, /root access management/);
    assert.equal((await json('org', 'describe')).accounts.find((a: { accountId: string }) => a.accountId === MEMBER).rootCredentialsRemoved, true);
    await json('org', 'restore-root-credentials', '--account', MEMBER);
  });

  it('delete-user refuses while the user has a login profile; tags show on get-user', async () => {
    await assert.rejects(admin('delete-user', '--account', ACCOUNT, '--name', 'alice'), /login profile/);
    await json('create-user', '--account', ACCOUNT, '--name', 'temp');
    await json('tag-user', '--account', ACCOUNT, '--name', 'temp', '--tag', 'team=a');
    assert.deepEqual((await json('get-user', '--account', ACCOUNT, '--name', 'temp')).tags, { team: 'a' });
    await assert.rejects(admin('delete-user', '--account', ACCOUNT, '--name', 'temp'), /login profile/, 'create-user gave it a password from KEYLESS_PASSWORD');
  });
});
