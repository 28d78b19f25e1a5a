// AuthorizeOAuth2Access: the user approved a `keyless login` (and may be refused it), or pressed
// Cancel (RFC 6749 §4.1.2.1's access_denied). Read-only, as the Sign-In service records it.
import type { RequestContext } from '../../request-context.ts';
import type { ConsoleSession } from '../../store/store.ts';
import type { AuditEvent } from '../cloudtrail-record.ts';
import { sessionActor } from '../identity.ts';

/** What the authorize request asked for: the record's requestParameters. */
export interface AuthorizeParameters {
  scope: string;
  redirectUri: string;
  codeChallengeMethod: string;
  clientId: string;
}

export function authorizeOAuth2Access(
  facts: { session: ConsoleSession; request: AuthorizeParameters; region: string; context: RequestContext; now: number },
  outcome: { success: true } | { success: false; errorCode: string; errorMessage: string },
): AuditEvent {
  const { request } = facts;
  return {
    eventName: 'AuthorizeOAuth2Access',
    readOnly: true,
    principal: sessionActor(facts.session),
    region: facts.region,
    context: facts.context,
    eventTime: facts.now,
    requestParameters: { scope: request.scope, redirect_uri: request.redirectUri, code_challenge_method: request.codeChallengeMethod, client_id: request.clientId },
    ...outcome,
  };
}
