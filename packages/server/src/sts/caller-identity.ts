// GetCallerIdentity (PROTOCOL.md §4): who the verified credentials belong to. AWS documents that
// it needs no permission and that even an explicit deny does not stop it.
import type { LoginSession } from '../store/store.ts';

export interface CallerIdentity {
  arn: string;
  account: string;
  /** `AIDA…` for an IAM user, the account id for root, `AROA…:session-name` for an assumed role. */
  userId: string;
}

export function callerIdentityOf(session: LoginSession): CallerIdentity {
  const role = /:assumed-role\/[^/]+\/(.+)$/.exec(session.arn);
  const userId = session.arn.endsWith(':root') ? session.account_id : role ? `${session.principal_id}:${role[1]}` : session.principal_id;
  return { arn: session.arn, account: session.account_id, userId };
}
