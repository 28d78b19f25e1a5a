// Revoking a role's active sessions, as the IAM console's "Revoke active sessions" does (IAM User
// Guide, "Revoking IAM role temporary security credentials"): an inline policy named
// AWSRevokeOlderSessions denies everything to credentials issued before now (a condition on
// aws:TokenIssueTime, which every decision carries), so it holds on every instance at the next
// check, and it is the same document an administrator may write with PutRolePolicy. Keyless also
// ends the sessions themselves, so their credentials stop signing anything at once — GetCallerIdentity
// included, which no policy can deny. Sessions issued after now are unaffected.
import type { AuditedBy, IamDeps } from './deps.ts';
import { putInlinePolicy } from './inline-policies.ts';
import { noSuchEntity } from '../errors.ts';

export const REVOKE_OLDER_SESSIONS = 'AWSRevokeOlderSessions';

export const revokeOlderSessionsDocument = (before: number): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date(before).toISOString() } } }],
  });

export async function revokeRoleSessions(deps: IamDeps, by: AuditedBy, input: { accountId: string; roleName: string }): Promise<{ before: number; revoked: number }> {
  const before = deps.clock.now();
  await putInlinePolicy(deps, by, { kind: 'role', accountId: input.accountId, name: input.roleName, policyName: REVOKE_OLDER_SESSIONS, policyDocument: revokeOlderSessionsDocument(before) });
  const revoked = await deps.store.transaction(async (tx) => {
    const role = await tx.iamRoles.findByName(input.accountId, input.roleName);
    if (!role) throw noSuchEntity(`The role with name ${input.roleName} cannot be found.`);
    return tx.stsSessions.revokeRoleSessions(role.id, before, 'role sessions revoked', before);
  });
  return { before, revoked };
}
