// The user pressed Cancel on the session chooser: AuthorizeOAuth2Access fails with access_denied
// (RFC 6749 §4.1.2.1). The chooser's Cancel names no session, so the refusal is attributable only
// when the browser holds exactly one; with several, no principal chose, and nothing is recorded.
import { recordAuditEvent, type RequestContext } from '../audit/cloudtrail-record.ts';
import { newEventId } from '../audit/event-id.ts';
import { sessionActor } from '../audit/identity.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import { errorRedirectUrl, type AuthorizeRequest } from './authorize-request.ts';

export async function denyAuthorization(
  deps: { store: Store; clock: Clock; random: Random; region: string },
  request: AuthorizeRequest,
  sessions: readonly ConsoleSession[],
  context: RequestContext,
): Promise<string> {
  const [session] = sessions;
  const now = deps.clock.now();
  if (session && sessions.length === 1) {
    await deps.store.transaction((tx) =>
      recordAuditEvent(tx, {
        eventName: 'AuthorizeOAuth2Access',
        readOnly: true,
        principal: sessionActor(session),
        region: deps.region,
        context,
        eventId: newEventId(deps.random, now),
        eventTime: now,
        requestParameters: { scope: request.scope, redirect_uri: request.redirectUri, code_challenge_method: request.codeChallengeMethod, client_id: request.clientId },
        success: false,
        errorCode: 'access_denied',
        errorMessage: 'The user declined.',
      }),
    );
  }
  return errorRedirectUrl({ kind: 'redirect', redirectUri: request.redirectUri, clientId: request.clientId, error: 'access_denied', description: 'The user declined.', state: request.state });
}
