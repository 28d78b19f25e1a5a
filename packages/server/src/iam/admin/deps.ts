// What every IAM and Organizations change needs, and the one way it is written: in a transaction
// that also moves the policy generations (so every instance's authorizer reloads) and appends the
// CloudTrail record, so the change, its effect on decisions and its audit trail commit together.
import { accountScope, ORG_SCOPE } from '../../store/repos/policy-state.ts';
import { iamChange } from '../../audit/events/iam-change.ts';
import type { AuditedBy, IamChange } from '../../audit/iam-events.ts';
import type { AuditTrail } from '../../audit/trail.ts';
import type { Clock } from '../../clock.ts';
import type { Random } from '../../crypto/ids.ts';
import type { Repos, Store } from '../../store/store.ts';

export interface IamDeps {
  store: Store;
  clock: Clock;
  random: Random;
  audit: AuditTrail;
}

export type { AuditedBy };

/**
 * Records `change` and moves the generations it affects: the account's for IAM changes, the
 * organizations' for Organizations changes. Call last in the change's transaction.
 */
export async function recordChange(
  tx: Repos,
  deps: IamDeps,
  by: AuditedBy,
  change: IamChange,
  affects: 'account' | 'org' | 'none' = 'account',
  /** The change's time, when it has one of its own (a created entity's createDate); else the clock's now. */
  now = deps.clock.now(),
): Promise<void> {
  if (affects !== 'none') await tx.policyState.bump([affects === 'org' ? ORG_SCOPE : accountScope(change.accountId)]);
  await deps.audit.record(tx, iamChange(by, change, now));
}
