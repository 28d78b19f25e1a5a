// CloudTrail's ConsoleLogin: eventType AwsConsoleSignIn, the outcome in responseElements, and
// additionalEventData.MFAUsed "Yes" or "No".
import type { RequestContext } from '../../request-context.ts';
import type { Principal } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import type { Actor, SessionPrincipal } from '../identity.ts';

/** Who signed in: a user, root or role session, or any actor (a web identity refused a role). */
type SignedIn = { principal: Principal; identity?: SessionPrincipal } | { actor: Actor };

/** A role session names itself (AssumedRole); a user or root, its principal row. */
function actorOf(who: SignedIn): Actor {
  if ('actor' in who) return who.actor;
  const { principal } = who;
  return (
    who.identity ?? {
      principalId: principal.kind === 'root' ? principal.account_id : principal.id,
      accountId: principal.account_id,
      arn: principal.arn,
    }
  );
}

/**
 * A failure carries CloudTrail's errorMessage alone, no errorCode: "Failed authentication" unless
 * the caller says better (a web identity's refused role).
 */
export function consoleLogin(facts: SignedIn & {
  region: string;
  context: RequestContext;
  now: number;
  outcome: 'success' | 'failure';
  mfaUsed: boolean;
  errorMessage?: string;
}): AuditEvent {
  const success = facts.outcome === 'success';
  return {
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    principal: actorOf(facts),
    region: facts.region,
    context: facts.context,
    eventTime: facts.now,
    requestParameters: null,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: facts.mfaUsed ? 'Yes' : 'No' },
    success,
    errorMessage: success ? undefined : (facts.errorMessage ?? 'Failed authentication'),
  };
}
