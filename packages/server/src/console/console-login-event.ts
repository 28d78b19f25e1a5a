// CloudTrail's ConsoleLogin: eventType AwsConsoleSignIn, the outcome in responseElements, and
// additionalEventData.MFAUsed "Yes" or "No".
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import type { Actor, SessionPrincipal } from '../audit/identity.ts';
import type { Random } from '../crypto/ids.ts';
import type { Principal, Repos } from '../store/store.ts';

interface ConsoleLoginInput {
  context: RequestContext;
  now: number;
  outcome: 'success' | 'failure';
  mfaUsed: boolean;
}

/** The ConsoleLogin of a user, root or role session. */
export function recordConsoleLogin(
  tx: Pick<Repos, 'audit'>,
  deps: { random: Random; region: string },
  input: ConsoleLoginInput & { principal: Principal; identity?: SessionPrincipal },
): Promise<void> {
  const { principal } = input;
  // A role session names itself (AssumedRole); a user or root, its principal row.
  const actor = input.identity ?? {
    principalId: principal.kind === 'root' ? principal.account_id : principal.id,
    accountId: principal.account_id,
    arn: principal.arn,
  };
  return recordConsoleLoginOf(tx, deps, { ...input, actor });
}

/**
 * The ConsoleLogin of any actor. A failure carries CloudTrail's errorMessage alone, no errorCode:
 * "Failed authentication" unless the caller says better (a web identity's refused role).
 */
export function recordConsoleLoginOf(
  tx: Pick<Repos, 'audit'>,
  deps: { random: Random; region: string },
  input: ConsoleLoginInput & { actor: Actor; errorMessage?: string },
): Promise<void> {
  const success = input.outcome === 'success';
  return recordAuditEvent(tx, {
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    principal: input.actor,
    region: deps.region,
    context: input.context,
    eventId: deps.random.uuid(),
    eventTime: input.now,
    requestParameters: null,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: input.mfaUsed ? 'Yes' : 'No' },
    success,
    errorMessage: success ? undefined : (input.errorMessage ?? 'Failed authentication'),
  });
}
