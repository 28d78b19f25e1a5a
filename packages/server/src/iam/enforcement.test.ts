// Issue 4's enforcement points through the real HTTP stack: signin:AuthorizeOAuth2Access when the
// user continues on the authorize screen, signin:CreateOAuth2Token at code redemption and at every
// refresh — identity policies, explicit denies, conditions on the Sign-In keys, SCPs, and
// centralised root access management.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CROSS_DEVICE_CLIENT_ID } from '@keyless/protocol';
import { createAccount } from '../directory/directory-admin.ts';
import { newLoginAttempt, obtainCode, postToken, redeemBody, ROOT_PASSWORD, startHarness, type Harness } from '../testing/harness.ts';
import { attachPolicy, detachPolicy } from './admin/attachments.ts';
import { deleteInlinePolicy, putInlinePolicy } from './admin/inline-policies.ts';
import { createPolicy } from './admin/managed-policies.ts';
import { createPolicyVersion, setDefaultPolicyVersion } from './admin/policy-versions.ts';
import { addAccount, createOrganization, createUnit } from './admin/organizations.ts';
import { setRootAccessManagement, setRootCredentialsRemoved } from './admin/root-access.ts';
import { attachScp, createScp, detachScp } from './admin/service-control-policies.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN } from './policy/index.ts';
import { approve, iamDeps, lastEvent, login, newUser, operator, refresh } from '../testing/iam.ts';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const DENY_TOKEN = doc({ Effect: 'Deny', Action: 'signin:CreateOAuth2Token', Resource: '*' });

describe('signin:AuthorizeOAuth2Access and signin:CreateOAuth2Token', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('alice, with SignInLocalDevelopmentAccess, logs in and refreshes', async () => {
    const session = await login(h, 'alice');
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('a user no policy allows gets an error page at the authorize screen, no code, and a failed AuthorizeOAuth2Access', async () => {
    await newUser(h, 'nopolicy');
    const approved = await approve(h, 'nopolicy');
    assert.equal(approved.status, 403);
    assert.equal(approved.headers.location, undefined, 'nothing is sent back to the client');
    assert.match(approved.body, /Access denied/);
    assert.match(approved.body, /not allowed to perform signin:AuthorizeOAuth2Access/);
    assert.match(approved.body, /no identity-based policy allows/);
    const event = await lastEvent(h, 'AuthorizeOAuth2Access', 'nopolicy');
    assert.equal(event.errorCode, 'AccessDenied');
    assert.equal(event.additionalEventData.success, 'false');
    assert.equal(event.userIdentity.arn, `arn:aws:iam::${h.accountId}:user/nopolicy`);
    assert.equal(event.requestParameters.client_id, 'arn:aws:signin:::devtools/same-device');
  });

  it('a user allowed to approve but not to redeem gets 403 INSUFFICIENT_PERMISSIONS at redemption, recorded', async () => {
    await newUser(h, 'approver');
    await putInlinePolicy(iamDeps(h), operator, {
      kind: 'user',
      accountId: h.accountId,
      name: 'approver',
      policyName: 'only-approve',
      policyDocument: doc({ Effect: 'Allow', Action: 'signin:AuthorizeOAuth2Access', Resource: `arn:aws:signin:*:${h.accountId}:oauth2/public-client/localhost` }),
    });
    const attempt = newLoginAttempt();
    const approved = await approve(h, 'approver', attempt);
    assert.equal(approved.status, 303);
    const code = new URL(String(approved.headers.location)).searchParams.get('code')!;
    const redeemed = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(redeemed.status, 403);
    assert.equal(redeemed.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(redeemed.json().error, 'INSUFFICIENT_PERMISSIONS');
    assert.match(redeemed.json().message, /signin:CreateOAuth2Token/);
    const event = await lastEvent(h, 'CreateOAuth2Token', 'approver');
    assert.equal(event.errorCode, 'INSUFFICIENT_PERMISSIONS');
    assert.equal(event.additionalEventData.success, 'false');
    assert.equal((await h.service.store.read((rs) => rs.loginSessions.listActive({ now: h.clock.now(), accountId: h.accountId }))).filter((s) => s.arn.endsWith('/approver')).length, 0, 'no session was created');
    // The code is spent: a retry after the policy is fixed needs a new login.
    const retry = await postToken(h, redeemBody(attempt, code), { key: attempt.key });
    assert.equal(retry.json().error, 'invalid_grant');
  });

  it('a policy change takes effect at the next refresh, and undoing it lets the same session carry on', async () => {
    await newUser(h, 'carol', [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN]);
    const session = await login(h, 'carol');
    assert.equal((await refresh(h, session)).status, 200);
    await detachPolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'carol', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    const refused = await refresh(h, session);
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS');
    const event = await lastEvent(h, 'CreateOAuth2Token', 'carol');
    assert.deepEqual([event.errorCode, event.additionalEventData.success], ['INSUFFICIENT_PERMISSIONS', 'false']);
    // The refused refresh did not spend the token: re-attached, the session refreshes again.
    await attachPolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'carol', policyArn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('an explicit identity Deny wins over the managed Allow, for logins and refreshes alike', async () => {
    await newUser(h, 'dave', [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN]);
    const session = await login(h, 'dave');
    await putInlinePolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'dave', policyName: 'no-tokens', policyDocument: DENY_TOKEN });
    const refused = await refresh(h, session);
    assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS');
    assert.match(refused.json().message, /Denied by inline policy no-tokens on user dave/);
    await deleteInlinePolicy(iamDeps(h), operator, { kind: 'user', accountId: h.accountId, name: 'dave', policyName: 'no-tokens' });
    assert.equal((await refresh(h, session)).status, 200);
  });

  it("a group's policies count, and a new default version of a customer-managed policy applies at once", async () => {
    await newUser(h, 'erin');
    const policy = await createPolicy(iamDeps(h), operator, {
      accountId: h.accountId,
      policyName: 'LocalLogin',
      policyDocument: doc({ Effect: 'Allow', Action: 'signin:*', Resource: 'arn:aws:signin:*:*:oauth2/public-client/*' }),
    });
    const { createGroup, addUserToGroup } = await import('./admin/groups.ts');
    await createGroup(iamDeps(h), operator, { accountId: h.accountId, groupName: 'developers' });
    await addUserToGroup(iamDeps(h), operator, { accountId: h.accountId, groupName: 'developers', userName: 'erin' });
    await attachPolicy(iamDeps(h), operator, { kind: 'group', accountId: h.accountId, name: 'developers', policyArn: policy.arn });
    const session = await login(h, 'erin');
    await createPolicyVersion(iamDeps(h), operator, { accountId: h.accountId, policyArn: policy.arn, policyDocument: doc({ Effect: 'Allow', Action: 'signin:AuthorizeOAuth2Access', Resource: '*' }), setAsDefault: true });
    assert.equal((await refresh(h, session)).json().error, 'INSUFFICIENT_PERMISSIONS');
    await setDefaultPolicyVersion(iamDeps(h), operator, { accountId: h.accountId, policyArn: policy.arn, versionId: 'v1' });
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('conditions see the Sign-In keys: a policy allowing only cross-device logins refuses the same-device client', async () => {
    await newUser(h, 'frank');
    await putInlinePolicy(iamDeps(h), operator, {
      kind: 'user',
      accountId: h.accountId,
      name: 'frank',
      policyName: 'remote-only',
      policyDocument: doc({
        Effect: 'Allow',
        Action: ['signin:AuthorizeOAuth2Access', 'signin:CreateOAuth2Token'],
        Resource: `arn:aws:signin:us-east-1:${h.accountId}:oauth2/public-client/remote`,
        Condition: { StringEquals: { 'signin:OAuthClientId': CROSS_DEVICE_CLIENT_ID }, IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    });
    assert.equal((await approve(h, 'frank')).status, 403, 'same-device is refused');
    const remote = newLoginAttempt(CROSS_DEVICE_CLIENT_ID, `${h.config.publicUrl}/v1/sessions/confirmation`);
    const approved = await approve(h, 'frank', remote);
    assert.equal(approved.status, 303, approved.body.slice(0, 300));
    const code = new URL(String(approved.headers.location)).searchParams.get('code')!;
    assert.equal((await postToken(h, redeemBody(remote, code), { key: remote.key })).status, 200);
  });

  it('a condition on aws:CurrentTime follows the clock: a login allowed until a date stops refreshing after it', async () => {
    await newUser(h, 'grace');
    const until = new Date(h.clock.now() + 3_600_000).toISOString();
    await putInlinePolicy(iamDeps(h), operator, {
      kind: 'user',
      accountId: h.accountId,
      name: 'grace',
      policyName: 'until',
      policyDocument: doc({ Effect: 'Allow', Action: 'signin:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': until } } }),
    });
    const session = await login(h, 'grace');
    h.clock.advance(30 * 60_000);
    assert.equal((await refresh(h, session)).status, 200);
    h.clock.advance(31 * 60_000);
    assert.equal((await refresh(h, session)).json().error, 'INSUFFICIENT_PERMISSIONS');
  });

  it('root needs no identity policy', async () => {
    const session = await login(h, 'root');
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('a password change still answers USER_CREDENTIALS_CHANGED, before any policy is consulted', async () => {
    await newUser(h, 'heidi', [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN]);
    const session = await login(h, 'heidi');
    const { updateLoginProfile } = await import('./admin/login-profiles.ts');
    h.clock.advance(1000);
    await updateLoginProfile(iamDeps(h), operator, { accountId: h.accountId, userName: 'heidi', password: 'another-long-password-2' });
    const refused = await refresh(h, session);
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error, 'USER_CREDENTIALS_CHANGED');
  });
});

describe('Organizations: SCPs and centralised root access management', () => {
  let h: Harness;
  const MANAGEMENT = '999999999999';
  let ouId: string;
  before(async () => {
    h = await startHarness();
    const deps = iamDeps(h);
    await createAccount(deps, { rootEmail: 'management@example.com', rootPassword: ROOT_PASSWORD, accountId: MANAGEMENT });
    const organization = await createOrganization(deps, operator, { managementAccountId: MANAGEMENT });
    const ou = await createUnit(deps, operator, { parentId: organization.root_id, name: 'Engineering' });
    const nested = await createUnit(deps, operator, { parentId: ou.id, name: 'Sandbox' });
    ouId = nested.id;
    await addAccount(deps, operator, { organizationId: organization.id, accountId: h.accountId, parentId: nested.id });
  });
  after(() => h.close());

  it('FullAWSAccess on every level: members log in as before', async () => {
    const session = await login(h, 'alice');
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('an SCP Deny on an OU stops a login at the authorize screen and a later refresh — root included', async () => {
    const aliceSession = await login(h, 'alice');
    const rootSession = await login(h, 'root');
    const scp = await createScp(iamDeps(h), operator, { organizationId: ouId, name: 'NoLocalLogins', content: doc({ Sid: 'NoSignIn', Effect: 'Deny', Action: 'signin:*', Resource: '*' }) });
    await attachScp(iamDeps(h), operator, { policyId: scp.id, targetId: ouId });
    try {
      const refused = await refresh(h, aliceSession);
      assert.equal(refused.status, 403);
      assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS');
      assert.match(refused.json().message, new RegExp(`SCP ${scp.id} \\(NoLocalLogins\\) on OU ${ouId}`));
      assert.equal((await refresh(h, rootSession)).json().error, 'INSUFFICIENT_PERMISSIONS', 'root is subject to SCPs in a member account');
      const page = await approve(h, 'alice');
      assert.equal(page.status, 403);
      assert.match(page.body, /NoLocalLogins/);
    } finally {
      await detachScp(iamDeps(h), operator, { policyId: scp.id, targetId: ouId });
    }
    assert.equal((await refresh(h, aliceSession)).status, 200);
  });

  it('an SCP that allows only some actions: what it leaves out is implicitly denied, even for root', async () => {
    const session = await login(h, 'root');
    const scp = await createScp(iamDeps(h), operator, { organizationId: ouId, name: 'OnlyIam', content: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) });
    await attachScp(iamDeps(h), operator, { policyId: scp.id, targetId: h.accountId });
    await detachScp(iamDeps(h), operator, { policyId: 'p-FullAWSAccess', targetId: h.accountId });
    try {
      const refused = await refresh(h, session);
      assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS');
      assert.match(refused.json().message, new RegExp(`not allowed by the SCPs at account ${h.accountId}`));
    } finally {
      await attachScp(iamDeps(h), operator, { policyId: 'p-FullAWSAccess', targetId: h.accountId });
      await detachScp(iamDeps(h), operator, { policyId: scp.id, targetId: h.accountId });
    }
    assert.equal((await refresh(h, session)).status, 200);
  });

  it('the management account is not subject to SCPs; its members are', async () => {
    const scp = await createScp(iamDeps(h), operator, { organizationId: MANAGEMENT, name: 'DenyTokensAtRoot', content: DENY_TOKEN });
    const organization = (await h.service.store.read((rs) => rs.organizations.findByManagementAccount(MANAGEMENT)))!;
    await attachScp(iamDeps(h), operator, { policyId: scp.id, targetId: organization.root_id });
    try {
      const browser = h.browser();
      assert.equal((await browser.signIn({ mode: 'root', email: 'management@example.com', password: ROOT_PASSWORD })).status, 303);
      const attempt = newLoginAttempt();
      const approved = await browser.authorize(attempt.params);
      const code = new URL(String(approved.headers.location)).searchParams.get('code')!;
      assert.equal((await postToken(h, redeemBody(attempt, code), { key: attempt.key })).status, 200, 'management root logs in');
      const member = newLoginAttempt();
      const memberCode = await obtainCode(h, member);
      assert.equal((await postToken(h, redeemBody(member, memberCode), { key: member.key })).json().error, 'INSUFFICIENT_PERMISSIONS', 'a member account is not');
    } finally {
      await detachScp(iamDeps(h), operator, { policyId: scp.id, targetId: organization.root_id });
    }
  });

  it('root access management: removed root credentials refuse root sign-in and stop the root session; restoring brings it back', async () => {
    const rootSession = await login(h, 'root');
    const organization = (await h.service.store.read((rs) => rs.organizations.findByManagementAccount(MANAGEMENT)))!;
    await setRootAccessManagement(iamDeps(h), operator, { organizationId: organization.id, enabled: true });
    await setRootCredentialsRemoved(iamDeps(h), operator, { accountId: h.accountId, removed: true });
    try {
      const page = await h.browser().signIn({ mode: 'root' });
      assert.equal(page.status, 403);
      assert.match(page.body, /Root sign-in to account 111111111111 is turned off/);
      const refused = await refresh(h, rootSession);
      assert.equal(refused.json().error, 'INSUFFICIENT_PERMISSIONS');
      assert.match(refused.json().message, /credentials for account 111111111111 were removed/);
      const event = await lastEvent(h, 'ConsoleLogin', 'root');
      assert.equal(event.responseElements.ConsoleLogin, 'Failure');
      // IAM users of the account are not affected.
      assert.equal((await refresh(h, await login(h, 'alice'))).status, 200);
    } finally {
      await setRootCredentialsRemoved(iamDeps(h), operator, { accountId: h.accountId, removed: false });
    }
    assert.equal((await refresh(h, rootSession)).status, 200);
    assert.equal((await h.browser().signIn({ mode: 'root' })).status, 303);
  });

  it('removing root credentials needs root access management enabled, and never applies to the management account', async () => {
    const organization = (await h.service.store.read((rs) => rs.organizations.findByManagementAccount(MANAGEMENT)))!;
    await setRootAccessManagement(iamDeps(h), operator, { organizationId: organization.id, enabled: false });
    await assert.rejects(setRootCredentialsRemoved(iamDeps(h), operator, { accountId: h.accountId, removed: true }), /not enabled/);
    await assert.rejects(setRootCredentialsRemoved(iamDeps(h), operator, { accountId: MANAGEMENT, removed: true }), /management account/);
  });
});
