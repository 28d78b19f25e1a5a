// RevokeOAuth2TokenWithIAM: Sign-In's name for revoking a login session with IAM authority
// (`keyless admin revoke-session`). The record names the session and, as its resource, the user
// whose session it was.
import type { LoginSession } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import type { AuditedBy } from '../iam-events.ts';

export function revokeOAuth2TokenWithIam(by: AuditedBy, facts: { session: LoginSession; now: number }): AuditEvent {
  const { session } = facts;
  const userName = /:user\/(?:.*\/)?([^/]+)$/.exec(session.arn)?.[1];
  return {
    eventName: 'RevokeOAuth2TokenWithIAM',
    readOnly: false,
    principal: by.actor,
    recipientAccountId: session.account_id,
    region: session.region,
    context: by.context,
    accessKeyId: by.accessKeyId,
    eventTime: facts.now,
    requestParameters: { sessionArn: `arn:aws:signin:${session.region}:${session.account_id}:oauth2/session/${session.id}`, principalArn: session.arn },
    success: true,
    resources: userName ? [{ type: 'AWS::IAM::User', name: userName }] : [],
  };
}
