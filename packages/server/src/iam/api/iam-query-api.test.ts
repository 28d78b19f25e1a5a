// The IAM Query API through the official @aws-sdk/client-iam on a real socket, with credentials
// from a `keyless login` of an administrator whose IAMFullAccess allows it — and AccessDenied for
// a user without it. Every call is authorised by policy, so a change to the administrator's own
// policies applies to their very next call.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { startHarness, type Harness } from '../../testing/harness.ts';
import { attachPolicy, detachPolicy } from '../admin/attachments.ts';
import { IAM_FULL_ACCESS_ARN, SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from '../policy/index.ts';
import { iamDeps, lastEvent, login, newUser, operator, refresh, type Login } from '../../testing/iam.ts';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const TRUST = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' });

describe('IAM Query API with @aws-sdk/client-iam', () => {
  let h: Harness;
  let endpoint: string;
  let admin: IAMClient;
  let alice: IAMClient;
  const clientOf = (session: Login) => new IAMClient({ region: 'us-east-1', endpoint, credentials: session.accessToken, maxAttempts: 1 });

  before(async () => {
    h = await startHarness();
    await h.service.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(h.service.app.server.address() as AddressInfo).port}`;
    await newUser(h, 'admin', [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, IAM_FULL_ACCESS_ARN]);
    admin = clientOf(await login(h, 'admin'));
    alice = clientOf(await login(h, 'alice'));
  });
  after(() => h.close());

  it('creates a user with a path and tags, and reads it back', async () => {
    const created = await admin.send(new CreateUserCommand({ UserName: 'bob', Path: '/engineering/', Tags: [{ Key: 'team', Value: 'platform' }] }));
    assert.equal(created.User?.Arn, `arn:aws:iam::${h.accountId}:user/engineering/bob`);
    assert.match(created.User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.ok(created.User?.CreateDate instanceof Date);
    const got = await admin.send(new GetUserCommand({ UserName: 'bob' }));
    assert.deepEqual([got.User?.Path, got.User?.UserName, got.User?.Tags], ['/engineering/', 'bob', [{ Key: 'team', Value: 'platform' }]]);
    const event = await lastEvent(h, 'CreateUser', 'admin');
    assert.equal(event.eventSource, 'iam.amazonaws.com');
    assert.equal(event.userIdentity.arn, `arn:aws:iam::${h.accountId}:user/admin`);
    assert.equal(event.requestParameters.userName, 'bob');
    assert.equal(event.readOnly, false);
  });

  it('GetUser without a name answers for the caller', async () => {
    assert.equal((await admin.send(new GetUserCommand({}))).User?.UserName, 'admin');
  });

  it("answers IAM's errors: EntityAlreadyExists 409, NoSuchEntity 404, ValidationError 400", async () => {
    await assert.rejects(admin.send(new CreateUserCommand({ UserName: 'BOB' })), (e: any) => e.name === 'EntityAlreadyExistsException' && e.$metadata.httpStatusCode === 409);
    await assert.rejects(admin.send(new GetUserCommand({ UserName: 'nobody' })), (e: any) => e.name === 'NoSuchEntityException' && e.$metadata.httpStatusCode === 404 && /nobody cannot be found/.test(e.message));
    await assert.rejects(admin.send(new CreateUserCommand({ UserName: 'no spaces' })), (e: any) => e.name === 'ValidationError' && /userName/.test(e.message));
  });

  it('lists users a page at a time with MaxItems and Marker', async () => {
    await admin.send(new CreateUserCommand({ UserName: 'carol' }));
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await admin.send(new ListUsersCommand({ MaxItems: 2, Marker: marker }));
      names.push(...page.Users!.map((u) => u.UserName!));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    assert.deepEqual(names, ['admin', 'alice', 'bob', 'carol']);
    assert.deepEqual((await admin.send(new ListUsersCommand({ PathPrefix: '/engineering/' }))).Users?.map((u) => u.UserName), ['bob']);
  });

  it('creates a policy, versions it (at most five), and returns documents URL-encoded as IAM does', async () => {
    const v1 = doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' });
    const created = await admin.send(new CreatePolicyCommand({ PolicyName: 'ReadBucket', PolicyDocument: v1, Description: 'reads the bucket' }));
    const arn = created.Policy!.Arn!;
    assert.equal(arn, `arn:aws:iam::${h.accountId}:policy/ReadBucket`);
    assert.deepEqual([created.Policy?.DefaultVersionId, created.Policy?.AttachmentCount, created.Policy?.IsAttachable], ['v1', 0, true]);
    const version = await admin.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), v1);
    for (let n = 2; n <= 5; n++) await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc({ Effect: 'Allow', Action: `s3:Get${n}`, Resource: '*' }), SetAsDefault: n === 5 }));
    await assert.rejects(admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v1 })), (e: any) => e.name === 'LimitExceededException');
    const versions = await admin.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', true], ['v4', false], ['v3', false], ['v2', false], ['v1', false]]);
    await admin.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v1');
  });

  it("refuses a malformed document with MalformedPolicyDocument naming the element at fault", async () => {
    await assert.rejects(
      admin.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: doc({ Effect: 'allow', Action: 's3:*', Resource: '*' }) })),
      (e: any) => e.name === 'MalformedPolicyDocumentException' && e.$metadata.httpStatusCode === 400 && /^Statement\[0\]\.Effect/.test(e.message),
    );
  });

  it('lists AWS-managed and customer-managed policies, with AttachmentCount', async () => {
    const all = await admin.send(new ListPoliciesCommand({ Scope: 'All', MaxItems: 1000 }));
    const byArn = new Map(all.Policies!.map((p) => [p.Arn!, p]));
    assert.ok(byArn.has(SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN));
    assert.ok(byArn.has(`arn:aws:iam::${h.accountId}:policy/ReadBucket`));
    assert.equal(byArn.get(SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN)?.AttachmentCount, 2, 'alice and admin');
    const local = await admin.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.deepEqual(local.Policies?.map((p) => p.PolicyName), ['ReadBucket']);
  });

  it('a user created through the API logs in once it has a login profile and SignInLocalDevelopmentAccess', async () => {
    await admin.send(new CreateUserCommand({ UserName: 'dave' }));
    await admin.send(new CreateLoginProfileCommand({ UserName: 'dave', Password: 'a-long-test-password-1' }));
    const profileEvent = await lastEvent(h, 'CreateLoginProfile', 'admin');
    assert.ok(!JSON.stringify(profileEvent).includes('a-long-test-password-1'), 'the password is never recorded');
    await admin.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN }));
    const attached = await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'dave' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'SignInLocalDevelopmentAccess', PolicyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN }]);
    const dave = await login(h, 'dave');
    assert.equal((await refresh(h, dave)).status, 200);
    // Detached through the API: dave's next refresh is refused.
    await admin.send(new DetachUserPolicyCommand({ UserName: 'dave', PolicyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN }));
    assert.equal((await refresh(h, dave)).json().error, 'INSUFFICIENT_PERMISSIONS');
  });

  it('inline policies: put, get (URL-encoded), list, delete; quota errors', async () => {
    const text = doc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' });
    await admin.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'no-ec2', PolicyDocument: text }));
    const got = await admin.send(new GetUserPolicyCommand({ UserName: 'bob', PolicyName: 'no-ec2' }));
    assert.deepEqual([got.UserName, got.PolicyName, decodeURIComponent(got.PolicyDocument!)], ['bob', 'no-ec2', text]);
    assert.deepEqual((await admin.send(new ListUserPoliciesCommand({ UserName: 'bob' }))).PolicyNames, ['no-ec2']);
    const big = doc(...Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Action: `s3:GetObject${i}`, Resource: `arn:aws:s3:::bucket-${i}/*` })));
    await assert.rejects(admin.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'big', PolicyDocument: big })), (e: any) => e.name === 'LimitExceededException');
    await assert.rejects(admin.send(new DeleteUserCommand({ UserName: 'bob' })), (e: any) => e.name === 'DeleteConflictException' && /policies/.test(e.message));
    await admin.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'no-ec2' }));
    await admin.send(new DeleteUserCommand({ UserName: 'bob' }));
    await assert.rejects(admin.send(new GetUserCommand({ UserName: 'bob' })), (e: any) => e.name === 'NoSuchEntityException');
  });

  it('groups and roles', async () => {
    await admin.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/eng/' }));
    await admin.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'carol' }));
    const group = await admin.send(new GetGroupCommand({ GroupName: 'developers' }));
    assert.deepEqual([group.Group?.Arn, group.Users?.map((u) => u.UserName)], [`arn:aws:iam::${h.accountId}:group/eng/developers`, ['carol']]);
    const role = await admin.send(new CreateRoleCommand({ RoleName: 'Deploy', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }));
    assert.match(role.Role!.RoleId!, /^AROA/);
    assert.equal(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!), TRUST);
    await assert.rejects(
      admin.send(new CreateRoleCommand({ RoleName: 'NoPrincipal', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }) })),
      (e: any) => e.name === 'MalformedPolicyDocumentException',
    );
    const newTrust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Deploy', PolicyDocument: newTrust }));
    assert.equal(decodeURIComponent((await admin.send(new GetRoleCommand({ RoleName: 'Deploy' }))).Role!.AssumeRolePolicyDocument!), newTrust);
    assert.equal((await admin.send(new GetRoleCommand({ RoleName: 'Deploy' }))).Role?.MaxSessionDuration, 7200);
    assert.deepEqual((await admin.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName), ['Deploy']);
  });

  it('a user without IAM permissions gets AccessDenied, and the refusal is recorded', async () => {
    await assert.rejects(
      alice.send(new CreateUserCommand({ UserName: 'mallory' })),
      (e: any) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403 && new RegExp(`user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${h.accountId}:user/mallory`).test(e.message),
    );
    await assert.rejects(alice.send(new ListUsersCommand({})), (e: any) => e.name === 'AccessDenied');
    const event = await lastEvent(h, 'CreateUser', 'alice');
    assert.deepEqual([event.errorCode, event.userIdentity.userName], ['AccessDenied', 'alice']);
    await assert.rejects(admin.send(new GetUserCommand({ UserName: 'mallory' })), (e: any) => e.name === 'NoSuchEntityException');
  });

  it("a change to the administrator's own policies applies to the next call", async () => {
    await detachPolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'admin', policyArn: IAM_FULL_ACCESS_ARN });
    await assert.rejects(admin.send(new ListUsersCommand({})), (e: any) => e.name === 'AccessDenied');
    await attachPolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'admin', policyArn: IAM_FULL_ACCESS_ARN });
    assert.ok((await admin.send(new ListUsersCommand({}))).Users?.length);
  });
});
