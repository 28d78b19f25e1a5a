// The CreateOAuth2Token audit event, success or failure (requestParameters: client_id only).
import type { RequestContext } from '../../request-context.ts';
import type { LoginSession } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import { sessionActor } from '../identity.ts';

/** What the event says about the session: who, since when, with MFA or not, in which region. */
export type TokenEventSession = Pick<LoginSession, 'principal_id' | 'account_id' | 'arn' | 'created_at' | 'mfa' | 'region'>;

export type TokenEventFacts = {
  session: TokenEventSession;
  context: RequestContext;
  now: number;
  clientId: string;
  accessKeyId?: string;
  errorCode?: string;
  errorMessage?: string;
};

export const TOKEN_EVENT = 'CreateOAuth2Token';

export function createOAuth2Token(facts: TokenEventFacts): AuditEvent {
  const { session } = facts;
  return {
    eventName: TOKEN_EVENT,
    readOnly: true,
    principal: sessionActor(session),
    region: session.region,
    context: facts.context,
    eventTime: facts.now,
    requestParameters: { client_id: facts.clientId },
    success: facts.errorCode === undefined,
    errorCode: facts.errorCode,
    errorMessage: facts.errorMessage,
    accessKeyId: facts.accessKeyId,
  };
}
