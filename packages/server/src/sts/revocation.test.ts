// Revoking a role's sessions (issue 16): AWS's "revoke older sessions" — an inline policy denying
// everything to credentials issued before a time, on aws:TokenIssueTime — refuses the older
// sessions' calls at once and leaves newer sessions alone, written by hand with PutRolePolicy or by
// `keyless admin revoke-role-sessions`, which also ends the sessions so that even
// GetCallerIdentity refuses their credentials.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { operatorRequest } from '../audit/iam-events.ts';
import { putInlinePolicy } from '../iam/admin/inline-policies.ts';
import { revokeOlderSessionsDocument, revokeRoleSessions } from '../iam/admin/revoke-role-sessions.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { lastEvent } from '../testing/iam.ts';
import { credsOf, iamQuery, makeRole, registerProvider, stsQuery, trustPolicy, type Creds } from '../testing/sts.ts';
import { startTestIdp, type TestIdp } from '../testing/test-idp.ts';

describe('revoking a role’s sessions', () => {
  let h: Harness;
  let idp: TestIdp;
  let roleArn: string;

  before(async () => {
    h = await startHarness();
    idp = await startTestIdp({ clientId: 'sts.amazonaws.com', now: () => h.clock.now() });
    const provider = await registerProvider(h, idp.issuer, ['sts.amazonaws.com']);
    roleArn = await makeRole(h, 'ci', trustPolicy({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity' }), { allow: ['iam:ListRoles'] });
  });
  after(async () => {
    await idp?.close();
    await h?.close();
  });

  const session = async (): Promise<Creds> => {
    const now = Math.floor(h.clock.now() / 1000);
    const token = await idp.sign({ iss: idp.issuer, aud: 'sts.amazonaws.com', sub: 'job', iat: now, exp: now + 300 });
    const answer = await stsQuery(h, 'AssumeRoleWithWebIdentity', { RoleArn: roleArn, RoleSessionName: 'job', WebIdentityToken: token });
    assert.equal(answer.status, 200, answer.body);
    return credsOf(answer);
  };

  it('an AWSRevokeOlderSessions policy written with PutRolePolicy refuses older credentials only', async () => {
    const older = await session();
    assert.equal((await iamQuery(h, older, 'ListRoles')).status, 200);
    h.clock.advance(1000);
    const deps = h.service.deps;
    await putInlinePolicy(deps, operatorRequest(deps.random, 'put-role-policy'), { kind: 'role', accountId: h.accountId, name: 'ci', policyName: 'AWSRevokeOlderSessions', policyDocument: revokeOlderSessionsDocument(h.clock.now()) });
    assert.equal((await iamQuery(h, older, 'ListRoles')).code, 'AccessDenied', 'issued before the revocation');
    h.clock.advance(1000);
    const newer = await session();
    assert.equal((await iamQuery(h, newer, 'ListRoles')).status, 200, 'issued after it');
  });

  it('keyless admin revoke-role-sessions ends them: their credentials sign nothing, GetCallerIdentity included', async () => {
    const older = await session();
    assert.equal((await stsQuery(h, 'GetCallerIdentity', {}, older)).status, 200);
    h.clock.advance(1000);
    const deps = h.service.deps;
    const result = await revokeRoleSessions(deps, operatorRequest(deps.random, 'revoke-role-sessions'), { accountId: h.accountId, roleName: 'ci' });
    assert.ok(result.revoked >= 1);
    assert.equal((await stsQuery(h, 'GetCallerIdentity', {}, older)).code, 'ExpiredToken');
    assert.equal((await iamQuery(h, older, 'ListRoles')).code, 'ExpiredToken');
    assert.match((await lastEvent(h, 'PutRolePolicy')).requestParameters.policyName, /^AWSRevokeOlderSessions$/, 'recorded as the IAM change it is');
    h.clock.advance(1000);
    const newer = await session();
    assert.equal((await iamQuery(h, newer, 'ListRoles')).status, 200);
    assert.equal((await stsQuery(h, 'GetCallerIdentity', {}, newer)).status, 200);
  });
});
