// POST /v1/revoke (RFC 7009, the model's RevokeOAuth2Token shape): `keyless logout` ends the
// login session at the server. Proof of possession is the DPoP key the session is bound to.
import { parseRevokeRequest, sha256Base64url, verifyDpopProof } from '@keyless/protocol';
import type { RequestContext } from '../request-context.ts';
import { revokeOAuth2Token as revokeOAuth2TokenEvent } from '../audit/events/revoke-oauth2-token.ts';
import type { Repos } from '../store/store.ts';
import type { TokenDeps } from './deps.ts';
import { rememberProof } from './remember-proof.ts';

export async function revokeOAuth2Token(
  deps: TokenDeps & { revokeUrls: readonly string[] },
  input: { body: unknown; dpop: string | string[] | undefined; context: RequestContext },
): Promise<void> {
  const { refreshToken: token, clientId } = parseRevokeRequest(input.body);
  const now = deps.clock.now();
  const proof = verifyDpopProof(input.dpop, { htm: 'POST', htu: deps.revokeUrls, now: now / 1000 });
  await deps.store.transaction(async (tx: Pick<Repos, 'dpopJtis' | 'loginSessions' | 'audit'>) => {
    await rememberProof(tx, proof, now);
    const row = await tx.loginSessions.findRefreshToken(sha256Base64url(token));
    const session = row && (await tx.loginSessions.find(row.login_session_id));
    // RFC 7009 §2.2: an unknown or foreign token is answered like a revoked one.
    if (!session || session.jkt !== proof.jkt || session.client_id !== clientId) return;
    if (!(await tx.loginSessions.revoke(session.id, 'revoked by client', now))) return;
    await deps.audit.record(tx, revokeOAuth2TokenEvent({ session, clientId, context: input.context, now }));
  });
}
