import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { Authorizer } from '../iam/authorizer.ts';
import type { Store } from '../store/store.ts';
import type { IdTokenSigner } from './id-token.ts';

/** Everything the token endpoint needs, passed in by the composition root. */
export interface TokenDeps {
  store: Store;
  sealer: Sealer;
  clock: Clock;
  random: Random;
  idTokens: IdTokenSigner;
  /** Every URL of this endpoint a DPoP proof's htu may name. */
  tokenUrls: readonly string[];
  /** Asked for signin:CreateOAuth2Token at code redemption and at every refresh (issue 4). */
  authorizer: Authorizer;
  /** Records each grant's CreateOAuth2Token and each revocation, in the grant's transaction. */
  audit: AuditTrail;
}

/** AWS documents refresh as idempotent "within the token validity window"; a retry of a just-rotated token gets the same answer for this long. */
export const REFRESH_RETRY_WINDOW_MS = 60_000;
/** Credentials live 15 minutes (PROTOCOL.md §2, model shape ExpiresIn ≤ 900). */
export const CREDENTIAL_LIFETIME_SECONDS = 900;
