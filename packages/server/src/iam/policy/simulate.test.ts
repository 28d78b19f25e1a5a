// `keyless admin simulate` output: the decision, the request with its derived keys, the step that
// decided, the deciding statement and (traced) every match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type PolicySet } from './evaluate.ts';
import { explain } from './simulate.ts';
import { OU, alice, policy, request, scp, scpPath, statements } from '../../testing/policies.ts';

describe('explain', () => {
  const denyRegions = scp('p-regions', OU, {
    Sid: 'DenyOutsideUS',
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
  });
  const admin = policy(statements({ Effect: 'Allow', Action: '*', Resource: '*' }), { kind: 'managed', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  const set: PolicySet = { identityPolicies: [admin], scpPath: scpPath({ ou: [denyRegions] }), subjectToScps: true, isRoot: false };
  const req = request('s3:GetObject', 'arn:aws:s3:::reports/q1.csv', alice, { 'aws:RequestedRegion': 'eu-west-1', 'aws:username': 'root' });

  it('explains an SCP deny step by step', () => {
    const text = explain(evaluate(set, req, { trace: true }), req);
    assert.equal(
      text,
      [
        'ExplicitDeny: Denied by SCP p-regions on OU ou-abcd-11111111 (Engineering) (statement DenyOutsideUS).',
        '',
        'Request',
        '  principal  arn:aws:iam::111122223333:user/alice (IAM user in account 111122223333)',
        '  action     s3:GetObject',
        '  resource   arn:aws:s3:::reports/q1.csv',
        '',
        'Context',
        '  aws:RequestedRegion = eu-west-1',
        '  aws:username = root   (ignored: derived from the principal)',
        '  aws:PrincipalArn = arn:aws:iam::111122223333:user/alice   (from the principal)',
        '  aws:PrincipalAccount = 111122223333   (from the principal)',
        '  aws:PrincipalType = User   (from the principal)',
        '  aws:userid = AIDAEXAMPLEALICE   (from the principal)',
        '  aws:username = alice   (from the principal)',
        '  aws:PrincipalTag/Team = platform   (from the principal)',
        '',
        'Evaluation',
        '  → 1. An explicit Deny in any SCP, permissions boundary, session policy or identity-based policy wins.',
        '    2. Every level of the SCP path (root, OUs, account) must allow; the management account is exempt.',
        '    3. A permissions boundary, when set, must allow.',
        '    4. The session policies of an STS role session, when it has any, must allow.',
        '    5. The root user needs no identity-based policy.',
        '    6. An identity-based policy must allow; otherwise the request is implicitly denied.',
        '',
        'Decided by statement DenyOutsideUS of SCP p-regions on OU ou-abcd-11111111 (Engineering).',
        '',
        'Matching statements',
        '  Allow  Statement[0] of SCP p-FullAWSAccess on the organization root r-abcd',
        '  Allow  Statement[0] of SCP p-FullAWSAccess on OU ou-abcd-11111111 (Engineering)',
        '  Deny   statement DenyOutsideUS of SCP p-regions on OU ou-abcd-11111111 (Engineering)',
        '  Allow  Statement[0] of SCP p-FullAWSAccess on account 111122223333',
        '  Allow  Statement[0] of managed policy arn:aws:iam::aws:policy/AdministratorAccess',
      ].join('\n'),
    );
  });

  it('marks the identity step for an implicit deny, without a trace section when untraced', () => {
    const text = explain(evaluate({ ...set, identityPolicies: [] }, { ...req, context: { 'aws:RequestedRegion': 'us-east-1' } }), req);
    assert.match(text, /^ImplicitDeny: Implicitly denied: no identity-based policy allows s3:GetObject/);
    assert.match(text, /→ 6\. An identity-based policy must allow/);
    assert.doesNotMatch(text, /Matching statements|Decided by/);
  });
});
