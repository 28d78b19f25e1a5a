// The user pressed Cancel on the session chooser: AuthorizeOAuth2Access fails with access_denied
// (RFC 6749 §4.1.2.1). The chooser's Cancel names no session, so the refusal is attributable only
// when the browser holds exactly one; with several, no principal chose, and nothing is recorded.
import { authorizeOAuth2Access } from '../audit/events/authorize-oauth2-access.ts';
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { RequestContext } from '../request-context.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import { errorRedirectUrl, type AuthorizeRequest } from './authorize-request.ts';

export async function denyAuthorization(
  deps: { store: Store; clock: Clock; region: string; audit: AuditTrail },
  request: AuthorizeRequest,
  sessions: readonly ConsoleSession[],
  context: RequestContext,
): Promise<string> {
  const [session] = sessions;
  const now = deps.clock.now();
  if (session && sessions.length === 1) {
    await deps.store.transaction((tx) =>
      deps.audit.record(tx, authorizeOAuth2Access({ session, request, region: deps.region, context, now }, { success: false, errorCode: 'access_denied', errorMessage: 'The user declined.' })),
    );
  }
  return errorRedirectUrl({ kind: 'redirect', redirectUri: request.redirectUri, clientId: request.clientId, error: 'access_denied', description: 'The user declined.', state: request.state });
}
