// AssumeRole: both sides must agree (the caller's identity policies and the role's trust policy),
// ExternalId and MFA as the trust policy asks, role chaining capped at an hour with its source
// identity and transitive tags kept, session policies that can only narrow, root refused, and the
// CloudTrail record naming the caller and the key it signed with.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { operatorRequest } from '../audit/iam-events.ts';
import { confirmMfaEnrolment, mfaStatusOf, startMfaEnrolment } from '../console/mfa.ts';
import { base32Decode } from '../crypto/base32.ts';
import { totp } from '../crypto/totp.ts';
import { putInlinePolicy } from '../iam/admin/inline-policies.ts';
import { updateAssumeRolePolicy } from '../iam/admin/roles.ts';
import { newLoginAttempt, obtainCode, postToken, redeemBody, startHarness, type Harness } from '../testing/harness.ts';
import { credsOf, iamQuery, makeRole, stsJson, stsQuery, trustPolicy, type Creds } from '../testing/sts.ts';

describe('AssumeRole', () => {
  let h: Harness;
  let alice: Creds;
  let aliceArn: string;
  const roleArnOf = (name: string) => `arn:aws:iam::${h.accountId}:role/${name}`;

  before(async () => {
    h = await startHarness();
    aliceArn = `arn:aws:iam::${h.accountId}:user/alice`;
    const deps = h.service.deps;
    const allow = (Action: string[], Resource: string) => ({ Effect: 'Allow', Action, Resource });
    await putInlinePolicy(deps, operatorRequest(deps.random, 'put-user-policy'), {
      kind: 'user',
      accountId: h.accountId,
      name: 'alice',
      policyName: 'assume',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [allow(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], `arn:aws:iam::${h.accountId}:role/team/*`), { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: roleArnOf('team/denied') }] }),
    });
    const attempt = newLoginAttempt();
    alice = (await postToken(h, redeemBody(attempt, await obtainCode(h, attempt)), { key: attempt.key })).json().accessToken;
  });
  after(() => h?.close());

  const assume = (creds: Creds, roleArn: string, more: Record<string, string> = {}) => stsQuery(h, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'dev', ...more }, creds);
  const trustAccount = () => trustPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${h.accountId}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] });

  const iam = (creds: Creds, action: string) => iamQuery(h, creds, action);

  it('switches a signed-in user into a role its policies and the role’s trust both allow', async () => {
    const roleArn = await makeRole(h, 'developer', trustAccount(), { path: '/team/', allow: ['iam:ListRoles'] });
    const answer = await assume(alice, roleArn, { DurationSeconds: '1800' });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.field('Arn'), `arn:aws:sts::${h.accountId}:assumed-role/developer/dev`);
    assert.equal(Date.parse(answer.field('Expiration')!), Math.floor(h.clock.now() / 1000) * 1000 + 1800_000);
    const identity = await stsQuery(h, 'GetCallerIdentity', {}, credsOf(answer));
    assert.equal(identity.field('Arn'), `arn:aws:sts::${h.accountId}:assumed-role/developer/dev`);
    assert.match(identity.field('UserId')!, /^AROA[A-Z2-7]+:dev$/);
    assert.equal((await iam(credsOf(answer), 'ListRoles')).status, 200);
    assert.equal((await iam(credsOf(answer), 'ListUsers')).code, 'AccessDenied', 'the role’s permissions, not alice’s');
    const json = await stsJson(h, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'json' }, alice);
    assert.equal(json.status, 200, JSON.stringify(json.json));
    assert.equal(json.json.AssumedRoleUser.Arn, `arn:aws:sts::${h.accountId}:assumed-role/developer/json`);
  });

  it('records AssumeRole with the caller’s identity and key, and no secret', async () => {
    const roleArn = roleArnOf('team/developer');
    const answer = await assume(alice, roleArn, { RoleSessionName: 'audited', ExternalId: 'ext-1' });
    assert.equal(answer.status, 200, answer.body);
    const row = (await h.service.store.read((r) => r.audit.list({ eventName: 'AssumeRole', limit: 100 }))).find((r) => r.record.includes(answer.field('AccessKeyId')!))!;
    const record = JSON.parse(row.record) as Record<string, any>;
    assert.equal(record.userIdentity.type, 'IAMUser');
    assert.equal(record.userIdentity.arn, aliceArn);
    assert.equal(record.userIdentity.accessKeyId, alice.accessKeyId);
    assert.equal(row.access_key_id, alice.accessKeyId, 'found by the key it was signed with');
    assert.deepEqual(record.requestParameters, { roleArn, roleSessionName: 'audited', externalId: 'ext-1' });
    assert.deepEqual(record.responseElements.assumedRoleUser, { assumedRoleId: answer.field('AssumedRoleId'), arn: answer.field('Arn') });
    for (const secret of [answer.field('SecretAccessKey')!, answer.field('SessionToken')!, alice.secretAccessKey, alice.sessionToken]) assert.ok(!row.record.includes(secret));
  });

  it('refuses when either side does not allow it', async () => {
    await makeRole(h, 'other-team', trustAccount());
    const notAllowed = await assume(alice, roleArnOf('other-team'));
    assert.equal(notAllowed.code, 'AccessDenied', 'alice’s policies allow team/* only');
    assert.match(notAllowed.body, /User: arn:aws:iam::111111111111:user\/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role\/other-team/);
    await makeRole(h, 'denied', trustAccount(), { path: '/team/' });
    assert.equal((await assume(alice, roleArnOf('team/denied'))).code, 'AccessDenied', 'an explicit Deny in alice’s policies');
    await makeRole(h, 'bob-only', trustPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${h.accountId}:user/bob` }, Action: 'sts:AssumeRole' }), { path: '/team/' });
    assert.equal((await assume(alice, roleArnOf('team/bob-only'))).code, 'AccessDenied', 'the trust policy names someone else');
    await makeRole(h, 'alice-only', trustPolicy({ Effect: 'Allow', Principal: { AWS: aliceArn }, Action: 'sts:AssumeRole' }), { path: '/team/' });
    assert.equal((await assume(alice, roleArnOf('team/alice-only'))).status, 200, 'the trust policy names alice');
    assert.equal((await assume(alice, roleArnOf('team/no-such-role'))).code, 'AccessDenied', 'a role that does not exist looks the same');
    const refused = JSON.parse((await h.service.store.read((r) => r.audit.list({ eventName: 'AssumeRole', limit: 1 })))[0]!.record) as Record<string, any>;
    assert.deepEqual([refused.errorCode, refused.requestParameters.roleArn, refused.userIdentity.arn, refused.responseElements], ['AccessDenied', roleArnOf('team/no-such-role'), aliceArn, null], 'a refusal is recorded, by the caller');
    assert.equal((await stsQuery(h, 'AssumeRole', { RoleArn: roleArnOf('team/alice-only'), RoleSessionName: 'x' })).code, 'MissingAuthenticationToken');
  });

  it('asks for the ExternalId the trust policy names', async () => {
    const roleArn = await makeRole(h, 'vendor', trustPolicy({ Effect: 'Allow', Principal: { AWS: h.accountId }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'vendor-7781' } } }), { path: '/team/' });
    assert.equal((await assume(alice, roleArn)).code, 'AccessDenied', 'none given');
    assert.equal((await assume(alice, roleArn, { ExternalId: 'vendor-0000' })).code, 'AccessDenied', 'another');
    assert.equal((await assume(alice, roleArn, { ExternalId: 'vendor-7781' })).status, 200);
    assert.equal((await assume(alice, roleArn, { ExternalId: 'x' })).code, 'ValidationError', 'shorter than the model allows');
    // A changed trust policy holds at the very next call (the cached role goes with the account's generation).
    const deps = h.service.deps;
    await updateAssumeRolePolicy(deps, operatorRequest(deps.random, 'update-assume-role-policy'), {
      accountId: h.accountId,
      roleName: 'vendor',
      policyDocument: trustPolicy({ Effect: 'Allow', Principal: { AWS: h.accountId }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'vendor-9999' } } }),
    });
    assert.equal((await assume(alice, roleArn, { ExternalId: 'vendor-7781' })).code, 'AccessDenied', 'the old ExternalId, right after the change');
    assert.equal((await assume(alice, roleArn, { ExternalId: 'vendor-9999' })).status, 200);
  });

  it('chains roles for an hour at most, keeping the source identity and the transitive tags', async () => {
    const first = roleArnOf('team/developer');
    const second = await makeRole(h, 'deployer', trustPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${h.accountId}:role/team/developer` }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }), { path: '/team/', maxSessionDuration: 7200 });
    await putInlinePolicy(h.service.deps, operatorRequest(h.service.deps.random, 'put-role-policy'), {
      kind: 'role',
      accountId: h.accountId,
      name: 'developer',
      policyName: 'chain',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: second }] }),
    });
    await putInlinePolicy(h.service.deps, operatorRequest(h.service.deps.random, 'put-role-policy'), {
      kind: 'role',
      accountId: h.accountId,
      name: 'deployer',
      policyName: 'by-tag',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'infra', 'aws:SourceIdentity': 'alice' } } }] }),
    });
    const hop1 = await assume(alice, first, { SourceIdentity: 'alice', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'infra', 'TransitiveTagKeys.member.1': 'team' });
    assert.equal(hop1.status, 200, hop1.body);
    assert.equal(hop1.field('SourceIdentity'), 'alice');
    const hop1Creds = credsOf(hop1);
    const tooLong = await assume(hop1Creds, second, { DurationSeconds: '3601' });
    assert.equal(tooLong.code, 'ValidationError');
    assert.match(tooLong.body, /1 hour session limit for roles assumed by role chaining/);
    assert.equal((await assume(hop1Creds, second, { SourceIdentity: 'mallory' })).code, 'AccessDenied', 'the source identity cannot change');
    assert.equal((await assume(hop1Creds, second, { 'Tags.member.1.Key': 'TEAM', 'Tags.member.1.Value': 'sales' })).code, 'ValidationError', 'a transitive tag cannot be set again');
    const hop2 = await assume(hop1Creds, second, { DurationSeconds: '3600' });
    assert.equal(hop2.status, 200, hop2.body);
    assert.equal(hop2.field('SourceIdentity'), 'alice', 'kept through the chain');
    assert.equal(hop2.field('Arn'), `arn:aws:sts::${h.accountId}:assumed-role/deployer/dev`);
    assert.equal((await iam(credsOf(hop2), 'ListRoles')).status, 200, 'the transitive tag and the source identity reach the second session');
    const direct = await assume(alice, second);
    assert.equal(direct.code, 'AccessDenied', 'the deployer role trusts the developer role only');
  });

  it('lets session policies narrow a role session, never widen it', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] });
    const widened = await assume(alice, roleArnOf('team/developer'), { Policy: policy });
    assert.equal(widened.status, 200, widened.body);
    assert.equal((await iam(credsOf(widened), 'ListUsers')).code, 'AccessDenied', 'iam:* in the session policy adds nothing the role lacks');
    assert.equal((await iam(credsOf(widened), 'ListRoles')).status, 200);
    const narrowed = await assume(alice, roleArnOf('team/developer'), { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) });
    assert.equal((await iam(credsOf(narrowed), 'ListRoles')).code, 'AccessDenied', 'the role allows it, the session policy does not');
    const denied = await assume(alice, roleArnOf('team/developer'), { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:ListRoles', Resource: '*' }] }) });
    assert.equal((await iam(credsOf(denied), 'ListRoles')).code, 'AccessDenied', 'an explicit Deny in a session policy wins');
    assert.equal((await assume(alice, roleArnOf('team/developer'), { Policy: 'not json' })).code, 'MalformedPolicyDocument');
    // Random text, as DEFLATE cannot pack it: 50 tags of the longest keys and values.
    const random = (n: number) => randomBytes(n).toString('base64');
    const manyTags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [[`Tags.member.${i + 1}.Key`, random(96)], [`Tags.member.${i + 1}.Value`, random(192)]]).flat());
    assert.equal((await assume(alice, roleArnOf('team/developer'), manyTags)).code, 'PackedPolicyTooLarge');
  });

  it('requires the caller’s MFA code when the trust policy asks for MFA', async () => {
    const roleArn = await makeRole(h, 'admin', trustPolicy({ Effect: 'Allow', Principal: { AWS: h.accountId }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), { path: '/team/' });
    assert.equal((await assume(alice, roleArn)).code, 'AccessDenied', 'no MFA');
    const deps = h.service.deps;
    const principal = (await deps.store.read(async (r) => r.directory.findPrincipal((await r.iamUsers.findByName(h.accountId, 'alice'))!.id)))!;
    const by = operatorRequest(deps.random, 'enable-mfa-device');
    await startMfaEnrolment(deps, principal, by);
    const status = await mfaStatusOf(deps, principal);
    assert.equal(status.state, 'pending');
    const secret = base32Decode((status as { secret: string }).secret)!;
    assert.deepEqual(await confirmMfaEnrolment(deps, principal, totp(secret, h.clock.now()), by), { ok: true });
    h.clock.advance(30_000);
    const serial = `arn:aws:iam::${h.accountId}:mfa/alice`;
    assert.equal((await assume(alice, roleArn, { SerialNumber: serial, TokenCode: '000000' === totp(secret, h.clock.now()) ? '111111' : '000000' })).code, 'AccessDenied', 'a wrong code');
    assert.equal((await assume(alice, roleArn, { SerialNumber: `arn:aws:iam::${h.accountId}:mfa/bob`, TokenCode: totp(secret, h.clock.now()) })).code, 'AccessDenied', 'another user’s device');
    assert.equal((await assume(alice, roleArn, { TokenCode: totp(secret, h.clock.now()) })).code, 'ValidationError', 'a code without its device');
    const ok = await assume(alice, roleArn, { SerialNumber: serial, TokenCode: totp(secret, h.clock.now()) });
    assert.equal(ok.status, 200, ok.body);
    assert.equal((await assume(alice, roleArn, { SerialNumber: serial, TokenCode: totp(secret, h.clock.now()) })).code, 'AccessDenied', 'a code is good once');
  });

  it('refuses the root user', async () => {
    const attempt = newLoginAttempt();
    const browser = h.browser();
    await browser.signIn({ mode: 'root' });
    const redirect = await browser.authorize(attempt.params);
    const code = new URL(String(redirect.headers.location)).searchParams.get('code')!;
    const root: Creds = (await postToken(h, redeemBody(attempt, code), { key: attempt.key })).json().accessToken;
    const answer = await assume(root, roleArnOf('team/developer'));
    assert.equal(answer.code, 'AccessDenied');
    assert.match(answer.body, /Roles may not be assumed by root accounts/);
  });
});
