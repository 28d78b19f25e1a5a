// Trust evaluation for sts:AssumeRoleWithWebIdentity: the Federated principal, the claims as
// condition keys, explicit Deny, and what fails closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionClaims, oidcProviderArn, webIdentityContext } from '../federation/provider-identity.ts';
import { evaluateWebIdentityTrust, type WebIdentityRequest } from './web-identity-trust.ts';

const ACCOUNT = '111111111111';
const PATH = 'sso.example.com';
const PROVIDER = oidcProviderArn(ACCOUNT, PATH);
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const CLAIMS = { sub: 'u-123', aud: 'keyless', email: 'ada@example.com', email_verified: true, groups: ['engineering', 'oncall'] };

const trust = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowFederated = (condition?: object, provider = PROVIDER) => ({
  Effect: 'Allow',
  Principal: { Federated: provider },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...(condition && { Condition: condition }),
});

function request(trustPolicy: string, claims: Record<string, unknown> = CLAIMS, providerArn = PROVIDER): WebIdentityRequest {
  return {
    role: { arn: ROLE_ARN, trustPolicy },
    providerArn,
    session: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/ada@example.com`, accountId: ACCOUNT, type: 'AssumedRole', userId: 'AROAEXAMPLE:ada@example.com', roleArn: ROLE_ARN },
    context: { ...webIdentityContext(PATH, PROVIDER, conditionClaims(claims)), 'aws:CurrentTime': '2026-11-23T12:00:00Z', 'aws:SourceIp': '192.0.2.7' },
  };
}

const allowed = (policy: string, claims?: Record<string, unknown>, provider?: string) => evaluateWebIdentityTrust(request(policy, claims, provider)).allowed;

describe('web identity trust', () => {
  it('allows the named provider, with no condition or with conditions its claims meet', () => {
    assert.equal(allowed(trust(allowFederated())), true);
    assert.equal(allowed(trust(allowFederated({ StringEquals: { [`${PATH}:aud`]: 'keyless', [`${PATH}:email`]: 'ada@example.com' } }))), true);
    assert.equal(allowed(trust(allowFederated({ 'ForAnyValue:StringEquals': { [`${PATH}:groups`]: ['oncall', 'admins'] } }))), true);
    assert.equal(allowed(trust(allowFederated({ StringLike: { [`${PATH}:email`]: '*@example.com' }, Bool: { [`${PATH}:email_verified`]: 'true' } }))), true);
  });

  it('refuses claims that do not meet the conditions, and a missing claim', () => {
    assert.equal(allowed(trust(allowFederated({ StringEquals: { [`${PATH}:email`]: 'grace@example.com' } }))), false);
    assert.equal(allowed(trust(allowFederated({ 'ForAnyValue:StringEquals': { [`${PATH}:groups`]: 'admins' } }))), false);
    const { groups: _, ...withoutGroups } = CLAIMS;
    assert.equal(allowed(trust(allowFederated({ 'ForAnyValue:StringEquals': { [`${PATH}:groups`]: 'oncall' } })), withoutGroups), false);
    // Keys of another issuer are not this token's claims.
    assert.equal(allowed(trust(allowFederated({ StringEquals: { 'other.example.com:sub': 'u-123' } }))), false);
  });

  it('refuses another provider, an AWS principal, Principal "*" and other actions', () => {
    assert.equal(allowed(trust(allowFederated(undefined, oidcProviderArn(ACCOUNT, 'other.example.com')))), false);
    assert.equal(allowed(trust(allowFederated(undefined, oidcProviderArn('222222222222', PATH)))), false, 'the same issuer in another account is another provider');
    assert.equal(allowed(trust({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRoleWithWebIdentity' })), false);
    assert.equal(allowed(trust({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' })), false);
    assert.equal(allowed(trust({ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRole' })), false);
    assert.equal(allowed(trust({ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWith*' })), true, 'action wildcards match');
  });

  it('an explicit Deny wins, also with Principal "*"', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${PATH}:sub`]: 'u-123' } } };
    const decision = evaluateWebIdentityTrust(request(trust(allowFederated(), deny)));
    assert.equal(decision.allowed, false);
    assert.match(!decision.allowed ? decision.reason : '', /Explicitly denied/);
    assert.equal(allowed(trust(allowFederated(), { ...deny, Condition: { StringEquals: { [`${PATH}:sub`]: 'someone-else' } } })), true);
  });

  it('reads the request context: the clock and the source address', () => {
    assert.equal(allowed(trust(allowFederated({ DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }))), false);
    assert.equal(allowed(trust(allowFederated({ IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }))), true);
    assert.equal(allowed(trust(allowFederated({ ArnEquals: { 'aws:FederatedProvider': PROVIDER } }))), true);
  });

  it('fails closed on a trust policy that does not parse', () => {
    const decision = evaluateWebIdentityTrust(request('{"Version":"2012-10-17","Statement":[]}'));
    assert.equal(decision.allowed, false);
    assert.match(!decision.allowed ? decision.reason : '', /could not be read/);
  });
});
