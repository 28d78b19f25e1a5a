// AWS's evaluation logic: explicit Deny anywhere, every SCP level, root, identity policies, implicit
// deny; Action/NotAction, Resource/NotResource, wildcards and policy variables in resources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type PolicySet } from './evaluate.ts';
import {
  ACCOUNT,
  ACCOUNT_TARGET,
  ORG_ROOT,
  OU,
  alice,
  bob,
  deployRole,
  identitySet,
  policy,
  request,
  root,
  scp,
  scpPath,
  statements,
} from '../../testing/policies.ts';

const BUCKET = 'arn:aws:s3:::reports';
const allowS3Read = policy(statements({ Sid: 'ReadReports', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [BUCKET, `${BUCKET}/*`] }), {
  kind: 'managed',
  arn: `arn:aws:iam::${ACCOUNT}:policy/ReportsRead`,
});
const denySecret = policy(statements({ Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: `${BUCKET}/secret/*` }), {
  kind: 'inline',
  name: 'guardrails',
  on: 'group',
  owner: 'analysts',
});

describe('identity policies', () => {
  it('allows what an identity policy allows, naming the statement', () => {
    const decision = evaluate(identitySet(allowS3Read), request('s3:GetObject', `${BUCKET}/q1.csv`));
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.step, 'identityPolicies');
    assert.deepEqual(decision.decidedBy, { policy: allowS3Read.source, sid: 'ReadReports', statementIndex: 0 });
    assert.equal(decision.reason, `Allowed by managed policy arn:aws:iam::${ACCOUNT}:policy/ReportsRead (statement ReadReports).`);
  });

  it('implicitly denies what no policy allows', () => {
    const decision = evaluate(identitySet(allowS3Read), request('s3:PutObject', `${BUCKET}/q1.csv`));
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.decidedBy, undefined);
    assert.equal(decision.reason, `Implicitly denied: no identity-based policy allows s3:PutObject on ${BUCKET}/q1.csv.`);
  });

  it('implicitly denies a user with no policies at all', () => {
    assert.equal(evaluate(identitySet(), request('s3:GetObject', BUCKET)).effect, 'ImplicitDeny');
  });

  it('lets an explicit Deny in another policy beat an Allow', () => {
    const decision = evaluate(identitySet(allowS3Read, denySecret), request('s3:GetObject', `${BUCKET}/secret/keys.txt`));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.step, 'explicitDeny');
    assert.deepEqual(decision.decidedBy, { policy: denySecret.source, sid: 'NoSecrets', statementIndex: 0 });
    assert.equal(decision.reason, 'Denied by inline policy guardrails on group analysts (statement NoSecrets).');
  });

  it('lets a Deny beat an Allow in the same policy, whichever comes first', () => {
    const both = policy(statements({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }));
    const decision = evaluate(identitySet(both), request('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/eve`));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.reason, 'Denied by inline policy test on user alice (Statement[1]).');
  });

  it('does not apply a Deny whose condition fails', () => {
    const conditional = policy(
      statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    assert.equal(evaluate(identitySet(conditional), request('s3:GetObject', BUCKET, alice, { 'aws:SecureTransport': true })).effect, 'Allow');
    assert.equal(evaluate(identitySet(conditional), request('s3:GetObject', BUCKET, alice, { 'aws:SecureTransport': false })).effect, 'ExplicitDeny');
  });
});

describe('Action and Resource matching', () => {
  const cases: Array<[string, object, string, string, boolean]> = [
    ['action names are case-insensitive', { Action: 'S3:getobject', Resource: '*' }, 'S3:GETOBJECT', BUCKET, true],
    ['* in an action', { Action: 's3:Get*', Resource: '*' }, 's3:GetObjectAcl', BUCKET, true],
    ['* in an action, other verb', { Action: 's3:Get*', Resource: '*' }, 's3:PutObject', BUCKET, false],
    ['? in an action', { Action: 's3:?etObject', Resource: '*' }, 's3:GetObject', BUCKET, true],
    ['? is exactly one character', { Action: 's3:?etObject', Resource: '*' }, 's3:GGetObject', BUCKET, false],
    ['* in the service', { Action: '*:List*', Resource: '*' }, 'iam:ListUsers', '*', true],
    ['an action list ORs', { Action: ['iam:GetUser', 's3:GetObject'], Resource: '*' }, 's3:getobject', BUCKET, true],
    ['resources are case-sensitive', { Action: 's3:*', Resource: 'arn:aws:s3:::Reports/*' }, 's3:GetObject', `${BUCKET}/a`, false],
    ['* in a resource', { Action: 's3:*', Resource: 'arn:aws:s3:::rep*/*' }, 's3:GetObject', `${BUCKET}/a/b`, true],
    ['? in a resource', { Action: 's3:*', Resource: 'arn:aws:s3:::reports/q?.csv' }, 's3:GetObject', `${BUCKET}/q1.csv`, true],
    ['? in a resource, two characters', { Action: 's3:*', Resource: 'arn:aws:s3:::reports/q?.csv' }, 's3:GetObject', `${BUCKET}/q10.csv`, false],
    ['a resource list ORs', { Action: 's3:*', Resource: ['arn:aws:s3:::other', BUCKET] }, 's3:ListBucket', BUCKET, true],
    ['Resource "*" matches an action without resources', { Action: 'sts:GetCallerIdentity', Resource: '*' }, 'sts:GetCallerIdentity', '*', true],
    ['an ARN does not match the resource "*"', { Action: 'sts:GetCallerIdentity', Resource: 'arn:aws:sts::*:*' }, 'sts:GetCallerIdentity', '*', false],
    ['a region wildcard does not span colons', { Action: 'logs:*', Resource: 'arn:aws:logs:us-*:111122223333:log-group:*' }, 'logs:GetLogEvents', 'arn:aws:logs:us-east-1:x:111122223333:log-group:a', false],
    ['a resource-component wildcard spans colons', { Action: 'logs:*', Resource: 'arn:aws:logs:*:111122223333:log-group:*' }, 'logs:GetLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:a:log-stream:b', true],
    ['NotAction allows everything else', { NotAction: 'iam:*', Resource: '*' }, 's3:GetObject', BUCKET, true],
    ['NotAction leaves out what it names', { NotAction: 'iam:*', Resource: '*' }, 'iam:CreateUser', '*', false],
    ['NotAction with a list', { NotAction: ['iam:*', 'organizations:*'], Resource: '*' }, 'Organizations:ListAccounts', '*', false],
    ['NotResource allows everything else', { Action: 's3:*', NotResource: 'arn:aws:s3:::private*' }, 's3:GetObject', `${BUCKET}/x`, true],
    ['NotResource leaves out what it names', { Action: 's3:*', NotResource: ['arn:aws:s3:::private', 'arn:aws:s3:::private/*'] }, 's3:GetObject', 'arn:aws:s3:::private/x', false],
  ];
  for (const [name, statement, action, resource, allowed] of cases) {
    it(name, () => {
      const decision = evaluate(identitySet(policy(statements({ Effect: 'Allow', ...statement }))), request(action, resource));
      assert.equal(decision.effect, allowed ? 'Allow' : 'ImplicitDeny');
    });
  }

  it('NotResource in a Deny protects everything but the named resources', () => {
    const set = identitySet(
      policy(statements({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'OnlyPublic', Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::public', 'arn:aws:s3:::public/*'] })),
    );
    assert.equal(evaluate(set, request('s3:GetObject', 'arn:aws:s3:::public/a')).effect, 'Allow');
    assert.equal(evaluate(set, request('s3:GetObject', 'arn:aws:s3:::private/a')).effect, 'ExplicitDeny');
  });
});

describe('policy variables in Resource', () => {
  const own = policy(
    statements({ Sid: 'OwnKeys', Effect: 'Allow', Action: ['iam:*AccessKey*', 'iam:GetUser'], Resource: 'arn:aws:iam::*:user/${aws:username}' }),
  );
  it('lets a user manage their own access keys', () => {
    assert.equal(evaluate(identitySet(own), request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/alice`)).effect, 'Allow');
  });
  it('not someone else’s', () => {
    assert.equal(evaluate(identitySet(own), request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/bob`)).effect, 'ImplicitDeny');
    assert.equal(evaluate(identitySet(own), request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/bob`, bob)).effect, 'Allow');
  });
  it('matches nothing for a principal without the key (a role has no aws:username)', () => {
    const session = { ...deployRole };
    assert.equal(evaluate(identitySet(own), request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/`, session)).effect, 'ImplicitDeny');
  });
  it('uses a default value when the key is missing', () => {
    const shared = policy(statements({ Effect: 'Allow', Action: 's3:*', Resource: "arn:aws:s3:::home/${aws:username, 'shared'}/*" }));
    assert.equal(evaluate(identitySet(shared), request('s3:GetObject', 'arn:aws:s3:::home/shared/a', deployRole)).effect, 'Allow');
    assert.equal(evaluate(identitySet(shared), request('s3:GetObject', 'arn:aws:s3:::home/alice/a')).effect, 'Allow');
  });
  it('treats ${*} as a literal star, not a wildcard', () => {
    const literal = policy(statements({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${*}' }));
    assert.equal(evaluate(identitySet(literal), request('s3:GetObject', 'arn:aws:s3:::b/*')).effect, 'Allow');
    assert.equal(evaluate(identitySet(literal), request('s3:GetObject', 'arn:aws:s3:::b/anything')).effect, 'ImplicitDeny');
  });
  it('never lets a substituted tag value act as a wildcard', () => {
    const byTeam = policy(statements({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::team-${aws:PrincipalTag/Team}/*' }));
    const mallory = { ...alice, tags: { Team: '*' } };
    assert.equal(evaluate(identitySet(byTeam), request('s3:GetObject', 'arn:aws:s3:::team-platform/a')).effect, 'Allow');
    assert.equal(evaluate(identitySet(byTeam), request('s3:GetObject', 'arn:aws:s3:::team-platform/a', mallory)).effect, 'ImplicitDeny');
    assert.equal(evaluate(identitySet(byTeam), request('s3:GetObject', 'arn:aws:s3:::team-*/a', mallory)).effect, 'Allow');
  });
  it('fills each request afresh (compiled patterns are cached by filled string)', () => {
    for (let i = 0; i < 3; i++) {
      for (const [principal, own] of [[alice, 'alice'], [bob, 'bob']] as const) {
        assert.equal(evaluate(identitySet(policy(statements({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }))), request('s3:GetObject', `arn:aws:s3:::home/${own}/x`, principal)).effect, 'Allow');
      }
    }
  });
});

describe('service control policies', () => {
  const withScps = (extra: Parameters<typeof scpPath>[0], ...identity: ReturnType<typeof policy>[]): PolicySet => ({
    identityPolicies: identity,
    scpPath: scpPath(extra),
    subjectToScps: true,
    isRoot: false,
  });
  const denyRegions = scp('p-regions', OU, {
    Sid: 'DenyOutsideEU',
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
  });

  it('allows when every level allows and an identity policy allows', () => {
    assert.equal(evaluate(withScps({}, allowS3Read), request('s3:GetObject', BUCKET)).effect, 'Allow');
  });

  it('denies by an SCP Deny, naming the SCP and its target', () => {
    const decision = evaluate(withScps({ ou: [denyRegions] }, allowS3Read), request('s3:GetObject', BUCKET, alice, { 'aws:RequestedRegion': 'us-east-1' }));
    assert.equal(decision.effect, 'ExplicitDeny');
    assert.equal(decision.reason, 'Denied by SCP p-regions on OU ou-abcd-11111111 (Engineering) (statement DenyOutsideEU).');
    assert.deepEqual(decision.decidedBy, { policy: denyRegions.source, sid: 'DenyOutsideEU', statementIndex: 0 });
    assert.equal(evaluate(withScps({ ou: [denyRegions] }, allowS3Read), request('s3:GetObject', BUCKET, alice, { 'aws:RequestedRegion': 'eu-west-1' })).effect, 'Allow');
  });

  it('implicitly denies when a level has no matching Allow, even if the identity policy allows', () => {
    const onlyEc2 = scp('p-ec2only', OU, { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    const set: PolicySet = { identityPolicies: [allowS3Read], scpPath: [[scp('p-FullAWSAccess', ORG_ROOT, { Effect: 'Allow', Action: '*', Resource: '*' })], [onlyEc2], []], subjectToScps: true, isRoot: false };
    const decision = evaluate(set, request('s3:GetObject', BUCKET));
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.step, 'scps');
    assert.equal(decision.reason, `Implicitly denied: s3:GetObject on ${BUCKET} is not allowed by the SCPs at OU ou-abcd-11111111 (Engineering).`);
  });

  it('implicitly denies at a level with no SCP attached', () => {
    const set: PolicySet = { identityPolicies: [allowS3Read], scpPath: [[scp('p-FullAWSAccess', ORG_ROOT, { Effect: 'Allow', Action: '*', Resource: '*' })], []], subjectToScps: true, isRoot: false };
    assert.match(evaluate(set, request('s3:GetObject', BUCKET)).reason, /level 2 of the organization path \(no SCP is attached there\)/);
  });

  it('still reports an explicit Deny ahead of a level without Allow', () => {
    const onlyEc2 = scp('p-ec2only', ACCOUNT_TARGET, { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    const set: PolicySet = { identityPolicies: [allowS3Read, denySecret], scpPath: [[onlyEc2]], subjectToScps: true, isRoot: false };
    assert.equal(evaluate(set, request('s3:GetObject', `${BUCKET}/secret/x`)).effect, 'ExplicitDeny');
  });

  it('an SCP Allow grants nothing by itself', () => {
    const decision = evaluate(withScps({}), request('s3:GetObject', BUCKET));
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.step, 'identityPolicies');
  });

  it('does not apply SCPs to the management account', () => {
    const set: PolicySet = { ...withScps({ ou: [denyRegions] }, allowS3Read), subjectToScps: false };
    assert.equal(evaluate(set, request('s3:GetObject', BUCKET, alice, { 'aws:RequestedRegion': 'us-east-1' })).effect, 'Allow');
    const noAllow: PolicySet = { identityPolicies: [allowS3Read], scpPath: [[]], subjectToScps: false, isRoot: false };
    assert.equal(evaluate(noAllow, request('s3:GetObject', BUCKET)).effect, 'Allow');
  });

  it('allows the root user without an identity policy in a member account', () => {
    const decision = evaluate({ identityPolicies: [], scpPath: scpPath(), subjectToScps: true, isRoot: true }, request('iam:CreateUser', '*', root));
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.step, 'root');
    assert.equal(decision.reason, 'Allowed: the root user needs no identity-based policy, and the SCPs allow it.');
  });

  it('denies the root user of a member account by SCP', () => {
    const set: PolicySet = { identityPolicies: [], scpPath: scpPath({ ou: [denyRegions] }), subjectToScps: true, isRoot: true };
    assert.equal(evaluate(set, request('s3:GetObject', BUCKET, root, { 'aws:RequestedRegion': 'us-east-1' })).effect, 'ExplicitDeny');
    const onlyEc2: PolicySet = { identityPolicies: [], scpPath: [[scp('p-ec2only', OU, { Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]], subjectToScps: true, isRoot: true };
    assert.equal(evaluate(onlyEc2, request('s3:GetObject', BUCKET, root)).effect, 'ImplicitDeny');
  });

  it('does not restrict the management account’s root user', () => {
    const set: PolicySet = { identityPolicies: [], scpPath: scpPath({ ou: [denyRegions] }), subjectToScps: false, isRoot: true };
    const decision = evaluate(set, request('s3:GetObject', BUCKET, root, { 'aws:RequestedRegion': 'us-east-1' }));
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.reason, 'Allowed: the root user needs no identity-based policy, and this account is not subject to SCPs.');
  });

  it('refuses an inconsistent root flag and policies in the wrong place', () => {
    assert.throws(() => evaluate({ identityPolicies: [], scpPath: [], subjectToScps: false, isRoot: true }, request('s3:GetObject', BUCKET)), TypeError);
    assert.throws(() => evaluate({ identityPolicies: [denyRegions], scpPath: [], subjectToScps: false, isRoot: false }, request('s3:GetObject', BUCKET)), TypeError);
    assert.throws(() => evaluate({ identityPolicies: [], scpPath: [[allowS3Read]], subjectToScps: true, isRoot: false }, request('s3:GetObject', BUCKET)), TypeError);
  });
});

describe('permissions boundary', () => {
  const boundary = policy(statements({ Effect: 'Allow', Action: ['s3:*', 'cloudtrail:*'], Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }), {
    kind: 'managed',
    arn: `arn:aws:iam::${ACCOUNT}:policy/DevBoundary`,
  });
  const admin = policy(statements({ Effect: 'Allow', Action: '*', Resource: '*' }), { kind: 'managed', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  const set: PolicySet = { identityPolicies: [admin], scpPath: [], subjectToScps: false, isRoot: false, permissionsBoundary: boundary };
  it('allows what both the boundary and an identity policy allow', () => {
    assert.equal(evaluate(set, request('s3:GetObject', BUCKET)).effect, 'Allow');
  });
  it('implicitly denies what the boundary does not allow', () => {
    const decision = evaluate(set, request('iam:CreateUser', '*'));
    assert.equal(decision.effect, 'ImplicitDeny');
    assert.equal(decision.step, 'permissionsBoundary');
  });
  it('applies a Deny in the boundary', () => {
    assert.equal(evaluate(set, request('s3:DeleteBucket', BUCKET)).effect, 'ExplicitDeny');
  });
  it('grants nothing by itself', () => {
    assert.equal(evaluate({ ...set, identityPolicies: [] }, request('s3:GetObject', BUCKET)).effect, 'ImplicitDeny');
  });
});

describe('keys derived from the principal', () => {
  const byKey = (key: string, value: string) =>
    identitySet(policy(statements({ Effect: 'Allow', Action: 'test:Act', Resource: '*', Condition: { StringEquals: { [key]: value } } })));
  const cases: Array<[string, string, typeof alice, boolean]> = [
    ['aws:PrincipalArn', alice.arn, alice, true],
    ['aws:PrincipalArn', 'arn:aws:iam::111122223333:role/Deploy', deployRole, true],
    ['aws:PrincipalAccount', ACCOUNT, alice, true],
    ['aws:PrincipalType', 'User', alice, true],
    ['aws:PrincipalType', 'AssumedRole', deployRole, true],
    ['aws:userid', 'AROAEXAMPLEDEPLOY:ci-run-7', deployRole, true],
    ['aws:username', 'alice', alice, true],
    ['aws:PrincipalTag/Team', 'release', deployRole, true],
  ];
  for (const [key, value, principal, expected] of cases) {
    it(`${key} = ${value} for ${principal.arn}`, () => {
      assert.equal(evaluate(byKey(key, value), request('test:Act', '*', principal)).effect, expected ? 'Allow' : 'ImplicitDeny');
    });
  }
  it('gives the root user aws:PrincipalType Account (seen through a Deny, as root needs no Allow)', () => {
    const denyRoot = policy(statements({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Account', 'aws:userid': ACCOUNT } } }));
    assert.equal(evaluate({ ...identitySet(denyRoot), isRoot: true }, request('s3:GetObject', BUCKET, root)).effect, 'ExplicitDeny');
    assert.equal(evaluate(identitySet(denyRoot), request('s3:GetObject', BUCKET)).effect, 'ImplicitDeny');
  });
  it('uses a role session’s role ARN with its path when given', () => {
    const withPath = { ...deployRole, roleArn: `arn:aws:iam::${ACCOUNT}:role/ci/Deploy` };
    assert.equal(evaluate(byKey('aws:PrincipalArn', withPath.roleArn), request('test:Act', '*', withPath)).effect, 'Allow');
  });
  it('cannot be overridden from the request context', () => {
    const spoofed = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/admin', 'aws:username': 'admin', 'aws:PrincipalTag/Team': 'admins' };
    assert.equal(evaluate(byKey('aws:PrincipalArn', 'arn:aws:iam::111122223333:user/admin'), request('test:Act', '*', alice, spoofed)).effect, 'ImplicitDeny');
    assert.equal(evaluate(byKey('aws:username', 'admin'), request('test:Act', '*', deployRole, spoofed)).effect, 'ImplicitDeny');
    assert.equal(evaluate(byKey('aws:PrincipalTag/Team', 'admins'), request('test:Act', '*', alice, spoofed)).effect, 'ImplicitDeny');
  });
});

describe('trace', () => {
  it('lists every matching statement without changing the decision', () => {
    const set: PolicySet = { identityPolicies: [allowS3Read, denySecret], scpPath: scpPath(), subjectToScps: true, isRoot: false };
    const req = request('s3:GetObject', `${BUCKET}/secret/x`);
    const plain = evaluate(set, req);
    const traced = evaluate(set, req, { trace: true });
    assert.equal(traced.effect, plain.effect);
    assert.equal(traced.reason, plain.reason);
    assert.deepEqual(
      traced.matched?.map((m) => [m.role, m.effect, m.policy.kind === 'scp' ? m.policy.target.type : m.policy.kind]),
      [
        ['scp', 'Allow', 'root'],
        ['scp', 'Allow', 'ou'],
        ['scp', 'Allow', 'account'],
        ['identity', 'Allow', 'managed'],
        ['identity', 'Deny', 'inline'],
      ],
    );
  });
});
