// grant_type=refresh_token: rotation on every use (RFC 9700 §4.14.2), bound to the DPoP key
// (RFC 9449 §5), idempotent for an identical retry within a short window (PROTOCOL.md §2).
import {
  insufficientPermissions,
  invalidGrant,
  sha256Base64url,
  tokenExpired,
  userCredentialsChanged,
  type RefreshTokenRequest,
  type SigninError,
  type TokenResponse,
  type VerifiedDpopProof,
} from '@keyless/protocol';
import type { RequestContext } from '../../request-context.ts';
import { newRefreshToken } from '../../crypto/ids.ts';
import type { AuthorizerRepos } from '../../iam/authorizer.ts';
import { refusalMessage, signinQuestion } from '../../iam/signin-authorization.ts';
import type { LoginSession, RefreshTokenRow, Repos } from '../../store/store.ts';
import { createOAuth2Token } from '../../audit/events/create-oauth2-token.ts';
import { REFRESH_RETRY_WINDOW_MS, type TokenDeps } from '../deps.ts';
import { credentialSecondsLeft, mintCredentials } from '../mint-credentials.ts';
import { rememberProof } from '../remember-proof.ts';
import { purposes } from '../../crypto/seal-purposes.ts';

type Outcome = { ok: true; response: TokenResponse } | { ok: false; error: SigninError };

/** What a refresh reads and writes (fosite's per-grant storage): the proof's jti, the session's tokens, its events, the decision's inputs. */
export type RefreshGrantRepos = Pick<Repos, 'dpopJtis' | 'loginSessions' | 'audit'> & AuthorizerRepos;

export async function refreshTokens(
  deps: TokenDeps,
  request: RefreshTokenRequest,
  proof: VerifiedDpopProof,
  context: RequestContext,
): Promise<TokenResponse> {
  const now = deps.clock.now();
  const digest = sha256Base64url(request.refreshToken);
  const outcome = await deps.store.transaction(async (tx: RefreshGrantRepos): Promise<Outcome> => {
    await rememberProof(tx, proof, now);
    // One read: the token, its session and the principal's password state.
    const grant = await tx.loginSessions.findRefreshGrant(digest);
    if (!grant) return { ok: false, error: tokenExpired('The refresh token is not valid. Run keyless login again.') };
    const { token, session, principal } = grant;

    const fail = async (error: SigninError): Promise<Outcome> => {
      await deps.audit.record(tx, createOAuth2Token({ session, context, now, clientId: request.clientId, errorCode: error.code, errorMessage: error.message }));
      return { ok: false, error };
    };
    // Binding first: a token presented with another key proves nothing about its holder.
    if (session.jkt !== proof.jkt) return fail(invalidGrant('The refresh token is bound to a different DPoP key.'));
    if (session.client_id !== request.clientId) return fail(invalidGrant('The refresh token was issued to another client.'));
    if (session.revoked_at !== null) return fail(tokenExpired('The session was revoked. Run keyless login again.'));
    if (credentialSecondsLeft(session, now) <= 0) return fail(tokenExpired('The session has expired. Run keyless login again.'));
    if (!principal) return fail(tokenExpired('The principal of this session no longer exists.'));
    if ((principal.password_changed_at ?? 0) > (session.password_changed_at ?? 0)) {
      await tx.loginSessions.revoke(session.id, 'password changed', now);
      return fail(userCredentialsChanged('The password changed after this login. Run keyless login again.'));
    }
    // Every refresh asks again, so a policy change takes effect at the next one (issue 4). A refusal
    // leaves the token unspent: once an administrator allows it again, the session carries on.
    const question = signinQuestion({ principal: session, action: 'signin:CreateOAuth2Token', clientId: request.clientId, region: session.region, sourceIp: context.sourceIp, grantType: 'refresh_token' });
    const answer = await deps.authorizer.authorize(question, tx);
    if (!answer.allowed) return fail(insufficientPermissions(refusalMessage(session.arn, 'signin:CreateOAuth2Token', answer.reason)));

    const succeed = async (response: TokenResponse): Promise<Outcome> => {
      await deps.audit.record(tx, createOAuth2Token({ session, context, now, clientId: request.clientId, accessKeyId: response.accessToken.accessKeyId }));
      return { ok: true, response };
    };
    if (token.consumed_at !== null) return replayOrRevoke(tx, deps, token, session, { succeed, fail }, now);

    const successor = newRefreshToken(deps.random);
    const minted = mintCredentials(deps.random, deps.sealer, session, now);
    const response: TokenResponse = { accessToken: minted.accessToken, tokenType: 'aws_sigv4', expiresIn: minted.expiresIn, refreshToken: successor };
    const event = deps.audit.rotationEvent({ session, context, now, accessKeyId: minted.accessToken.accessKeyId });
    const rotation = { digest, now, replaySealed: deps.sealer.seal(JSON.stringify(response), purposes.refreshReplay(digest)), successorDigest: sha256Base64url(successor), credential: minted.row, event };
    // The one conditional write: it consumes the token and, only then, writes its successor, the
    // credential and the event that records it.
    if (await tx.loginSessions.rotate(rotation)) return { ok: true, response };
    // Another instance rotated it between our read and this write: treat as that retry.
    const current = await tx.loginSessions.findRefreshToken(digest);
    return current ? replayOrRevoke(tx, deps, current, session, { succeed, fail }, now) : fail(tokenExpired('The refresh token is not valid.'));
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}

/**
 * A rotated token came back. Within the retry window, from the same key (checked by the caller),
 * it is a client retrying a lost response or two processes racing on one cache file: answer with
 * the response already issued, so neither forks the session nor kills it. Later, it can only be
 * a stolen copy or a confused client: revoke the whole session (RFC 9700 §4.14.2).
 */
async function replayOrRevoke(
  tx: Pick<RefreshGrantRepos, 'loginSessions'>,
  deps: TokenDeps,
  token: RefreshTokenRow,
  session: LoginSession,
  answer: { succeed: (response: TokenResponse) => Promise<Outcome>; fail: (error: SigninError) => Promise<Outcome> },
  now: number,
): Promise<Outcome> {
  const withinWindow = token.consumed_at !== null && now - token.consumed_at <= REFRESH_RETRY_WINDOW_MS;
  if (withinWindow && token.replay_sealed) {
    const response = JSON.parse(deps.sealer.open(token.replay_sealed, purposes.refreshReplay(token.digest))) as TokenResponse;
    // The credentials were minted when the token was consumed: their lifetime runs from then.
    response.expiresIn = Math.max(1, response.expiresIn - Math.floor((now - token.consumed_at!) / 1000));
    return answer.succeed(response);
  }
  await tx.loginSessions.revoke(session.id, 'refresh token reused', now);
  return answer.fail(tokenExpired('This refresh token was already used; the session has been revoked. Run keyless login again.'));
}
