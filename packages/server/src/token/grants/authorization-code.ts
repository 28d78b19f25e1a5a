// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9449 §5).
import {
  authcodeExpired,
  insufficientPermissions,
  invalidGrant,
  sha256Base64url,
  verifierMatchesChallenge,
  type AuthorizationCodeRequest,
  type SigninError,
  type TokenResponse,
  type VerifiedDpopProof,
} from '@keyless/protocol';
import type { RequestContext } from '../../request-context.ts';
import { newRefreshToken, newSessionId } from '../../crypto/ids.ts';
import type { AuthorizerRepos } from '../../iam/authorizer.ts';
import { refusalMessage, signinQuestion } from '../../iam/signin-authorization.ts';
import type { AuthCode, LoginSession, Repos } from '../../store/store.ts';
import { createOAuth2Token, type TokenEventSession } from '../../audit/events/create-oauth2-token.ts';
import type { TokenDeps } from '../deps.ts';
import { mintCredentials } from '../mint-credentials.ts';
import { rememberProof } from '../remember-proof.ts';

type Outcome = { ok: true; response: TokenResponse; session: LoginSession } | { ok: false; error: SigninError };

/** What a code redemption reads and writes: the code, who approved it, the new session and its events, the decision's inputs. */
export type AuthorizationCodeGrantRepos = Pick<Repos, 'dpopJtis' | 'authCodes' | 'directory' | 'consoleSessions' | 'loginSessions' | 'audit'> & AuthorizerRepos;

export async function redeemAuthorizationCode(
  deps: TokenDeps,
  request: AuthorizationCodeRequest,
  proof: VerifiedDpopProof,
  context: RequestContext,
): Promise<TokenResponse> {
  const now = deps.clock.now();
  const digest = sha256Base64url(request.code);
  const outcome = await deps.store.transaction(async (tx: AuthorizationCodeGrantRepos): Promise<Outcome> => {
    await rememberProof(tx, proof, now);
    const code = await tx.authCodes.consume(digest, now);
    if (!code) return { ok: false, error: await refuseUsedCode(tx, deps, digest, request, context, now) };
    // The code is spent from here on, whatever follows: a failed attempt cannot be retried with it.
    // Each refusal is recorded against the principal who approved the code, in this transaction.
    const refuse = async (error: SigninError): Promise<Outcome> => {
      await recordCodeRefusal(tx, deps, code, { context, now, clientId: request.clientId, error });
      return { ok: false, error };
    };
    if (code.expires_at <= now) return refuse(authcodeExpired('The authorization code has expired. Run the login again.'));
    if (code.client_id !== request.clientId) return refuse(invalidGrant('The authorization code was issued to another client.'));
    if (code.redirect_uri !== request.redirectUri) return refuse(invalidGrant('redirectUri does not match the authorization request.'));
    if (!verifierMatchesChallenge(request.codeVerifier, code.code_challenge)) {
      return refuse(invalidGrant('codeVerifier does not match the code challenge.'));
    }
    const principal = await tx.directory.findPrincipal(code.principal_id);
    const consoleSession = await tx.consoleSessions.findActiveById(code.console_session_id, now);
    if (!principal || !consoleSession) return refuse(invalidGrant('The console session that approved this login has ended.'));

    // A role session (federated sign-in) is named by its console session, and ends with it: the
    // role's maximum session duration counts from the sign-in, as for an AWS role session.
    const isRole = principal.kind === 'role';
    const newSession: Omit<LoginSession, 'audit_template_id'> = {
      id: newSessionId(deps.random),
      principal_id: principal.id,
      account_id: principal.account_id,
      arn: isRole ? consoleSession.arn : principal.arn,
      console_session_id: code.console_session_id,
      client_id: request.clientId,
      jkt: proof.jkt,
      region: code.region,
      mfa: consoleSession.mfa,
      password_changed_at: principal.password_changed_at,
      source_ip: context.sourceIp,
      created_at: now,
      // The principal's maximum session duration, at most 12 hours, counted from redemption.
      expires_at: isRole ? Math.min(now + principal.max_session_seconds * 1000, consoleSession.expires_at) : now + principal.max_session_seconds * 1000,
      revoked_at: null,
      revoke_reason: null,
    };
    // signin:CreateOAuth2Token, decided in this transaction: a refusal is recorded beside the spent code.
    const question = signinQuestion({ principal: newSession, action: 'signin:CreateOAuth2Token', clientId: request.clientId, region: newSession.region, sourceIp: context.sourceIp, redirectUri: request.redirectUri, grantType: 'authorization_code' });
    const answer = await deps.authorizer.authorize(question, tx);
    if (!answer.allowed) return refuse(insufficientPermissions(refusalMessage(newSession.arn, 'signin:CreateOAuth2Token', answer.reason)));
    const session: LoginSession = { ...newSession, audit_template_id: await deps.audit.storeTokenTemplate(tx, newSession, now) };
    const refreshToken = newRefreshToken(deps.random);
    const minted = mintCredentials(deps.random, deps.sealer, session, now);
    await tx.loginSessions.create(session);
    await tx.authCodes.recordRedemption(digest, session.id);
    await tx.loginSessions.insertRefreshToken({ digest: sha256Base64url(refreshToken), login_session_id: session.id, created_at: now, consumed_at: null, replay_sealed: null });
    await tx.loginSessions.insertCredential(minted.row);
    await deps.audit.recordIssuedToken(tx, { session, context, now, accessKeyId: minted.row.access_key_id });
    return { ok: true, session, response: { accessToken: minted.accessToken, tokenType: 'aws_sigv4', expiresIn: minted.expiresIn, refreshToken } };
  });
  if (!outcome.ok) throw outcome.error;

  const { session } = outcome;
  const idToken = await deps.idTokens.sign({
    sub: session.arn,
    aud: request.clientId,
    sessionArn: `arn:aws:signin:${session.region}:${session.account_id}:oauth2/session/${session.id}`,
    iat: Math.floor(now / 1000),
    exp: Math.floor(session.expires_at / 1000),
  });
  return { ...outcome.response, idToken };
}

/**
 * A code presented after it was used: RFC 6749 §4.1.2 says the server SHOULD revoke what the
 * code issued, since one of the two presenters is not the legitimate client.
 */
async function refuseUsedCode(
  tx: AuthorizationCodeGrantRepos,
  deps: TokenDeps,
  digest: string,
  request: AuthorizationCodeRequest,
  context: RequestContext,
  now: number,
): Promise<SigninError> {
  // A code never issued names nobody: there is no account to record the attempt in.
  const used = await tx.authCodes.find(digest);
  if (!used) return invalidGrant('The authorization code is not valid.');
  const error = invalidGrant('The authorization code was already used.');
  if (used.login_session_id && (await tx.loginSessions.revoke(used.login_session_id, 'authorization code replayed', now))) {
    const session = await tx.loginSessions.find(used.login_session_id);
    if (session) {
      await deps.audit.record(tx, createOAuth2Token({ session, context, now, clientId: request.clientId, errorCode: 'invalid_grant', errorMessage: 'Authorization code replayed; session revoked.' }));
      return error;
    }
  }
  await recordCodeRefusal(tx, deps, used, { context, now, clientId: request.clientId, error });
  return error;
}

/**
 * A code redemption refused after the code was found: the code names the principal who approved
 * it, so the failure is theirs (a stolen code tried with the wrong verifier shows up in their
 * trail). The console session, when it still stands, gives the sessionContext.
 */
async function recordCodeRefusal(
  tx: AuthorizationCodeGrantRepos,
  deps: TokenDeps,
  code: AuthCode,
  input: { context: RequestContext; now: number; clientId: string; error: SigninError },
): Promise<void> {
  const principal = await tx.directory.findPrincipal(code.principal_id);
  if (!principal) return;
  const consoleSession = await tx.consoleSessions.findActiveById(code.console_session_id, input.now);
  const session: TokenEventSession = {
    principal_id: principal.id,
    account_id: principal.account_id,
    // A role's principal row holds the role ARN; the session that approved the code holds the assumed-role one.
    arn: principal.kind === 'role' && consoleSession ? consoleSession.arn : principal.arn,
    created_at: consoleSession?.created_at ?? code.created_at,
    mfa: consoleSession?.mfa ?? 0,
    region: code.region,
  };
  await deps.audit.record(tx, createOAuth2Token({ session, context: input.context, now: input.now, clientId: input.clientId, errorCode: input.error.code, errorMessage: input.error.message }));
}
