// RFC 9449 §11.1: a proof's jti is accepted once. Stored by digest, shared by every instance.
import { invalidDpopProof, sha256Base64url, DPOP_MAX_AGE_SECONDS, DPOP_MAX_FUTURE_SECONDS, type VerifiedDpopProof } from '@keyless/protocol';
import { withSecurityEvent } from '../security-events.ts';
import type { Repos } from '../store/store.ts';

export async function rememberProof(tx: Pick<Repos, 'dpopJtis'>, proof: VerifiedDpopProof, now: number): Promise<void> {
  // Remember the jti for as long as its iat would still be accepted.
  const expiresAt = (proof.iat + DPOP_MAX_AGE_SECONDS + DPOP_MAX_FUTURE_SECONDS) * 1000;
  const fresh = await tx.dpopJtis.remember(sha256Base64url(`${proof.jkt}.${proof.jti}`), Math.max(expiresAt, now));
  if (!fresh) throw withSecurityEvent(invalidDpopProof('The DPoP proof was already used (jti replay).'), { kind: 'dpop-proof-replayed', outcome: 'refused' });
}
