// RevokeOAuth2Token: `keyless logout` ended its login session at the server (POST /v1/revoke).
import type { RequestContext } from '../../request-context.ts';
import type { LoginSession } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import { sessionActor } from '../identity.ts';

export const revokeOAuth2Token = (facts: { session: LoginSession; clientId: string; context: RequestContext; now: number }): AuditEvent => ({
  eventName: 'RevokeOAuth2Token',
  readOnly: false,
  principal: sessionActor(facts.session),
  region: facts.session.region,
  context: facts.context,
  eventTime: facts.now,
  requestParameters: { client_id: facts.clientId },
  success: true,
});
