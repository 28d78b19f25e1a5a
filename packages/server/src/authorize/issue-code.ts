// The user approved: ask whether the principal may (signin:AuthorizeOAuth2Access), then mint a
// code bound to client, redirect URI, challenge and console session, and record
// AuthorizeOAuth2Access — the decision, the code and the event in one transaction. Returns where
// to send the browser, or why the principal may not continue (no code is issued then).
import { sha256Base64url } from '@keyless/protocol';
import { authorizeOAuth2Access } from '../audit/events/authorize-oauth2-access.ts';
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import { newAuthorizationCode, type Random } from '../crypto/ids.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import { refusalMessage, signinQuestion } from '../iam/signin-authorization.ts';
import type { RequestContext } from '../request-context.ts';
import type { ConsoleSession, Store } from '../store/store.ts';
import type { AuthorizeRequest } from './authorize-request.ts';

/** Codes are short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes); cross-device users need time to paste. */
export const CODE_LIFETIME_MS = 5 * 60_000;

export type Approval = { ok: true; location: string } | { ok: false; message: string };

export async function approveAuthorization(
  deps: { store: Store; clock: Clock; random: Random; region: string; authorizer: Authorizer; audit: AuditTrail },
  request: AuthorizeRequest,
  session: ConsoleSession,
  context: RequestContext,
): Promise<Approval> {
  const now = deps.clock.now();
  const code = newAuthorizationCode(deps.random);
  const facts = { session, request, region: deps.region, context, now };
  const refusal = await deps.store.transaction(async (tx): Promise<string | undefined> => {
    const question = signinQuestion({ principal: session, action: 'signin:AuthorizeOAuth2Access', clientId: request.clientId, region: deps.region, sourceIp: context.sourceIp, redirectUri: request.redirectUri });
    const answer = await deps.authorizer.authorize(question, tx);
    if (!answer.allowed) {
      const message = refusalMessage(session.arn, 'signin:AuthorizeOAuth2Access', answer.reason);
      await deps.audit.record(tx, authorizeOAuth2Access(facts, { success: false, errorCode: 'AccessDenied', errorMessage: message }));
      return message;
    }
    await tx.authCodes.create({
      digest: sha256Base64url(code),
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      code_challenge: request.codeChallenge,
      console_session_id: session.id,
      principal_id: session.principal_id,
      region: deps.region,
      created_at: now,
      expires_at: now + CODE_LIFETIME_MS,
      consumed_at: null,
      login_session_id: null,
    });
    await deps.audit.record(tx, authorizeOAuth2Access(facts, { success: true }));
    return undefined;
  });
  if (refusal !== undefined) return { ok: false, message: refusal };
  // Both clients get `redirect_uri?code&state`: the loopback listener of the same-device CLI, or
  // this server's confirmation page, which shows the pair as the cross-device verification code.
  const location = new URL(request.redirectUri);
  location.searchParams.set('code', code);
  location.searchParams.set('state', request.state);
  return { ok: true, location: location.toString() };
}
