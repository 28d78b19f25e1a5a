// CloudTrail's ConsoleLogin: eventType AwsConsoleSignIn, the outcome in responseElements, and
// additionalEventData.MFAUsed "Yes" or "No".
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import type { SessionPrincipal } from '../audit/identity.ts';
import type { Random } from '../crypto/ids.ts';
import type { Principal, Repos } from '../store/store.ts';

export function recordConsoleLogin(
  tx: Pick<Repos, 'audit'>,
  deps: { random: Random; region: string },
  input: { principal: Principal; identity?: SessionPrincipal; context: RequestContext; now: number; outcome: 'success' | 'failure'; mfaUsed: boolean },
): Promise<void> {
  const { principal, outcome } = input;
  const success = outcome === 'success';
  return recordAuditEvent(tx, {
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    // A role session names itself (AssumedRole); a user or root, its principal row.
    principal: input.identity ?? {
      principalId: principal.kind === 'root' ? principal.account_id : principal.id,
      accountId: principal.account_id,
      arn: principal.arn,
    },
    region: deps.region,
    context: input.context,
    eventId: deps.random.uuid(),
    eventTime: input.now,
    requestParameters: null,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'keyless-console', MobileVersion: 'No', MFAUsed: input.mfaUsed ? 'Yes' : 'No' },
    success,
    // CloudTrail's failed ConsoleLogin carries errorMessage alone, no errorCode.
    errorMessage: success ? undefined : 'Failed authentication',
  });
}
