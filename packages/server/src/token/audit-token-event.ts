// The CreateOAuth2Token audit event, success or failure (requestParameters: client_id only).
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import type { Random } from '../crypto/ids.ts';
import type { LoginSession, Repos } from '../store/store.ts';

export function recordTokenEvent(
  tx: Repos,
  deps: { random: Random },
  input: { session: LoginSession; context: RequestContext; now: number; clientId: string; accessKeyId?: string; errorCode?: string; errorMessage?: string },
): Promise<void> {
  const { session } = input;
  return recordAuditEvent(tx, {
    eventName: 'CreateOAuth2Token',
    readOnly: true,
    principal: { principalId: session.principal_id, accountId: session.account_id, arn: session.arn, sessionCreatedAt: session.created_at, mfa: session.mfa === 1 },
    region: session.region,
    context: input.context,
    eventId: deps.random.uuid(),
    eventTime: input.now,
    requestParameters: { client_id: input.clientId },
    success: input.errorCode === undefined,
    errorCode: input.errorCode,
    errorMessage: input.errorMessage,
    accessKeyId: input.accessKeyId,
  });
}
