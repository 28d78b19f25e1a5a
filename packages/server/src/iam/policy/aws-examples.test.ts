// Policies from AWS's documentation (IAM User Guide "Example IAM identity-based policies", AWS
// Organizations "Example SCPs"), validated and evaluated as AWS describes them, plus the Sign-In
// policies Keyless is about.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicyDocument } from './document.ts';
import { evaluate, type PolicySet } from './evaluate.ts';
import { SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, AWS_MANAGED_POLICIES } from './managed-policies.ts';
import { ACCOUNT, OU, alice, identitySet, policy, request, scp, scpPath, statements } from '../../testing/policies.ts';
import type { CompiledPolicy } from './compile.ts';

const member = (identity: CompiledPolicy[], extra: Parameters<typeof scpPath>[0]): PolicySet => ({ identityPolicies: identity, scpPath: scpPath(extra), subjectToScps: true, isRoot: false });
const admin = policy(statements({ Effect: 'Allow', Action: '*', Resource: '*' }), { kind: 'managed', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });

describe('SCP: deny access outside the requested Regions, with exempt global services and roles', () => {
  const regionDeny = scp('p-regions', OU, {
    Sid: 'DenyAllOutsideEU',
    Effect: 'Deny',
    NotAction: ['cloudfront:*', 'iam:*', 'organizations:*', 'route53:*', 's3:ListAllMyBuckets', 'sts:*', 'support:*'],
    Resource: '*',
    Condition: {
      StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] },
      ArnNotLike: { 'aws:PrincipalARN': ['arn:aws:iam::*:role/Role1AllowedToBypassThisSCP'] },
    },
  });
  const set = member([admin], { ou: [regionDeny] });
  const bypass = { ...alice, type: 'AssumedRole' as const, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Role1AllowedToBypassThisSCP/s`, userId: 'AROAX:s' };

  it('denies a regional service outside the EU', () => {
    const decision = evaluate(set, request('ec2:RunInstances', '*', alice, { 'aws:RequestedRegion': 'us-east-1' }));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.reason, 'Denied by SCP p-regions on OU ou-abcd-11111111 (Engineering) (statement DenyAllOutsideEU).');
  });
  it('allows it inside the EU', () => {
    assert.equal(evaluate(set, request('ec2:RunInstances', '*', alice, { 'aws:RequestedRegion': 'eu-west-1' })).effect, 'Allow');
  });
  it('leaves global services alone (NotAction)', () => {
    assert.equal(evaluate(set, request('iam:CreateUser', '*', alice, { 'aws:RequestedRegion': 'us-east-1' })).effect, 'Allow');
  });
  it('exempts the bypass role (ArnNotLike on aws:PrincipalARN, key spelled in another case)', () => {
    assert.equal(evaluate(set, request('ec2:RunInstances', '*', bypass, { 'aws:RequestedRegion': 'us-east-1' })).effect, 'Allow');
  });
});

describe('identity policy: manage your own credentials, and nothing else without MFA', () => {
  const selfService = policy(
    statements(
      { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'], Resource: '*' },
      { Sid: 'AllowManageOwnPasswords', Effect: 'Allow', Action: ['iam:ChangePassword', 'iam:GetUser'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
      { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/*' },
      {
        Sid: 'AllowManageOwnUserMFA',
        Effect: 'Allow',
        Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: 'arn:aws:iam::*:user/${aws:username}',
      },
      {
        Sid: 'DenyAllExceptListedIfNoMFA',
        Effect: 'Deny',
        NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ),
    { kind: 'managed', arn: `arn:aws:iam::${ACCOUNT}:policy/Force_MFA` },
  );
  const set = identitySet(admin, selfService);
  const own = `arn:aws:iam::${ACCOUNT}:user/alice`;

  it('denies everything else to long-term credentials (no aws:MultiFactorAuthPresent key)', () => {
    const decision = evaluate(set, request('s3:ListAllMyBuckets', '*'));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.decidedBy?.sid, 'DenyAllExceptListedIfNoMFA');
  });
  it('denies everything else to a session signed in without MFA', () => {
    assert.equal(evaluate(set, request('s3:ListAllMyBuckets', '*', alice, { 'aws:MultiFactorAuthPresent': false })).effect, 'ExplicitDeny');
  });
  it('allows once signed in with MFA', () => {
    assert.equal(evaluate(set, request('s3:ListAllMyBuckets', '*', alice, { 'aws:MultiFactorAuthPresent': true })).effect, 'Allow');
  });
  it('lets a user without MFA enrol their own device', () => {
    assert.equal(evaluate(identitySet(selfService), request('iam:EnableMFADevice', own)).effect, 'Allow');
    assert.equal(evaluate(identitySet(selfService), request('iam:EnableMFADevice', `arn:aws:iam::${ACCOUNT}:user/bob`)).effect, 'ImplicitDeny');
  });
});

describe('identity policy: deny requests from outside the corporate networks', () => {
  const ipDeny = policy({
    Version: '2012-10-17',
    Statement: {
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } },
    },
  });
  const set = identitySet(admin, ipDeny);
  it('allows from a listed network', () => {
    assert.equal(evaluate(set, request('s3:GetObject', 'arn:aws:s3:::b/k', alice, { 'aws:SourceIp': '192.0.2.10', 'aws:ViaAWSService': false })).effect, 'Allow');
  });
  it('denies from elsewhere', () => {
    assert.equal(evaluate(set, request('s3:GetObject', 'arn:aws:s3:::b/k', alice, { 'aws:SourceIp': '198.51.100.1', 'aws:ViaAWSService': false })).effect, 'ExplicitDeny');
  });
  it('does not deny calls an AWS service makes on the principal’s behalf', () => {
    assert.equal(evaluate(set, request('s3:GetObject', 'arn:aws:s3:::b/k', alice, { 'aws:SourceIp': '198.51.100.1', 'aws:ViaAWSService': true })).effect, 'Allow');
  });
});

describe('identity policy: allow only within a date range', () => {
  const window = identitySet(
    policy(statements({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' } } })),
  );
  for (const [time, effect] of [['2020-05-15T12:00:00Z', 'Allow'], ['2020-03-31T23:59:59Z', 'ImplicitDeny'], ['2020-07-01T00:00:00Z', 'ImplicitDeny']] as const) {
    it(`${effect} at ${time}`, () => assert.equal(evaluate(window, request('ec2:StartInstances', '*', alice, { 'aws:CurrentTime': time })).effect, effect));
  }
});

describe('SCP: require a Project tag on new instances, protect the organization', () => {
  const requireTag = scp('p-tags', OU, { Sid: 'RequireProjectTag', Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { Null: { 'aws:RequestTag/Project': 'true' } } });
  const noLeaving = scp('p-stay', OU, { Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
  const set = member([admin], { ou: [requireTag, noLeaving] });
  const instance = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`;
  it('denies an untagged launch', () => assert.equal(evaluate(set, request('ec2:RunInstances', instance)).effect, 'ExplicitDeny'));
  it('allows a tagged launch', () => assert.equal(evaluate(set, request('ec2:RunInstances', instance, alice, { 'aws:RequestTag/Project': 'keyless' })).effect, 'Allow'));
  it('denies leaving the organization even to an administrator', () => assert.equal(evaluate(set, request('organizations:LeaveOrganization', '*')).effect, 'ExplicitDeny'));
});

describe('Sign-In: aws login permissions', () => {
  const localDev = policy(JSON.parse(AWS_MANAGED_POLICIES.get(SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN)!), { kind: 'managed', arn: SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN });
  const client = `arn:aws:signin:us-east-1:${ACCOUNT}:oauth2/public-client/localhost`;
  const context = {
    'aws:SourceIp': '203.0.113.9',
    'signin:OAuthClientId': 'arn:aws:signin:::devtools/same-device',
    'signin:OAuthRedirectUri': 'http://127.0.0.1:53037/oauth/callback',
    'signin:OAuthGrantType': 'authorization_code',
  };
  it('SignInLocalDevelopmentAccess allows authorizing and token creation for public clients', () => {
    assert.equal(evaluate(identitySet(localDev), request('signin:AuthorizeOAuth2Access', client, alice, context)).effect, 'Allow');
    assert.equal(evaluate(identitySet(localDev), request('signin:CreateOAuth2Token', client, alice, context)).effect, 'Allow');
    assert.equal(evaluate(identitySet(localDev), request('signin:CreateOAuth2Token', `arn:aws:signin:us-east-1:${ACCOUNT}:oauth2/confidential-client/x`, alice, context)).effect, 'ImplicitDeny');
  });
  it('an SCP can restrict aws login to the same-device client on loopback redirects', () => {
    const loginGuard = scp('p-login', OU, {
      Sid: 'OnlySameDeviceLoopback',
      Effect: 'Deny',
      Action: 'signin:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'signin:OAuthClientId': 'arn:aws:signin:::devtools/same-device' } },
    }, {
      Sid: 'OnlyLoopbackRedirects',
      Effect: 'Deny',
      Action: 'signin:AuthorizeOAuth2Access',
      Resource: '*',
      Condition: { StringNotLikeIfExists: { 'signin:OAuthRedirectUri': ['http://127.0.0.1:*/oauth/callback', 'http://[::1]:*/oauth/callback'] } },
    });
    const set = member([localDev], { ou: [loginGuard] });
    assert.equal(evaluate(set, request('signin:AuthorizeOAuth2Access', client, alice, context)).effect, 'Allow');
    const crossDevice = { ...context, 'signin:OAuthClientId': 'arn:aws:signin:::devtools/cross-device' };
    assert.equal(evaluate(set, request('signin:AuthorizeOAuth2Access', client, alice, crossDevice)).decidedBy?.sid, 'OnlySameDeviceLoopback');
    const remote = { ...context, 'signin:OAuthRedirectUri': 'https://evil.example/cb' };
    assert.equal(evaluate(set, request('signin:AuthorizeOAuth2Access', client, alice, remote)).decidedBy?.sid, 'OnlyLoopbackRedirects');
    const refresh = { ...context, 'signin:OAuthGrantType': 'refresh_token', 'signin:OAuthRedirectUri': undefined };
    assert.equal(evaluate(set, request('signin:CreateOAuth2Token', client, alice, refresh)).effect, 'Allow');
  });
});

describe('trust policy: GitHub Actions through OIDC', () => {
  it('validates as a trust policy', () => {
    const document = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' },
            },
          },
        ],
      }),
      { kind: 'trust' },
    );
    assert.deepEqual(document.Statement[0]?.Principal, { Federated: [`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`] });
  });
});
