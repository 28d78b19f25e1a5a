// The AWS-managed policies Keyless ships: each validates as its kind and grants what its name says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from './compile.ts';
import { parsePolicyDocument } from './document.ts';
import { evaluate } from './evaluate.ts';
import {
  ADMINISTRATOR_ACCESS_ARN,
  AWS_MANAGED_POLICIES,
  CLOUDTRAIL_READ_ONLY_ACCESS_ARN,
  FULL_AWS_ACCESS_ARN,
  IAM_FULL_ACCESS_ARN,
  SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN,
  managedPolicyKind,
} from './managed-policies.ts';
import { alice, identitySet, request } from '../../testing/policies.ts';

describe('AWS-managed policies', () => {
  it('are exactly the five Keyless ships', () => {
    assert.deepEqual([...AWS_MANAGED_POLICIES.keys()].sort(), [
      ADMINISTRATOR_ACCESS_ARN,
      CLOUDTRAIL_READ_ONLY_ACCESS_ARN,
      IAM_FULL_ACCESS_ARN,
      SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN,
      FULL_AWS_ACCESS_ARN,
    ].sort());
  });

  for (const [arn, text] of AWS_MANAGED_POLICIES) {
    it(`${arn} validates as a ${managedPolicyKind(arn)} policy`, () => {
      const document = parsePolicyDocument(text, { kind: managedPolicyKind(arn) });
      assert.equal(document.Version, '2012-10-17');
    });
  }

  const grants: Array<[string, string, string, boolean]> = [
    [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, 'signin:AuthorizeOAuth2Access', 'arn:aws:signin:eu-west-1:111122223333:oauth2/public-client/localhost', true],
    [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, 'signin:CreateOAuth2Token', 'arn:aws:signin:eu-west-1:111122223333:oauth2/public-client/remote', true],
    [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, 'signin:CreateOAuth2Token', 'arn:aws:signin:eu-west-1:111122223333:oauth2/other/x', false],
    [SIGN_IN_LOCAL_DEVELOPMENT_ACCESS_ARN, 'iam:GetUser', '*', false],
    [ADMINISTRATOR_ACCESS_ARN, 'organizations:CreateAccount', '*', true],
    [IAM_FULL_ACCESS_ARN, 'iam:CreateUser', 'arn:aws:iam::111122223333:user/x', true],
    [IAM_FULL_ACCESS_ARN, 's3:GetObject', '*', false],
    [CLOUDTRAIL_READ_ONLY_ACCESS_ARN, 'cloudtrail:LookupEvents', '*', true],
    [CLOUDTRAIL_READ_ONLY_ACCESS_ARN, 'cloudtrail:GetTrailStatus', '*', true],
    [CLOUDTRAIL_READ_ONLY_ACCESS_ARN, 'cloudtrail:ListTrails', '*', true],
    [CLOUDTRAIL_READ_ONLY_ACCESS_ARN, 'cloudtrail:DeleteTrail', '*', false],
  ];
  for (const [arn, action, resource, allowed] of grants) {
    it(`${arn.split('/').pop()} ${allowed ? 'allows' : 'does not allow'} ${action}`, () => {
      const compiled = compilePolicy(parsePolicyDocument(AWS_MANAGED_POLICIES.get(arn)!), { kind: 'managed', arn });
      assert.equal(evaluate(identitySet(compiled), request(action, resource, alice)).effect, allowed ? 'Allow' : 'ImplicitDeny');
    });
  }
});
