// What SigV4 verification needs for a key id Keyless issued: the secret (sealed at rest), the
// session token's digest, and whether the login session still stands. One indexed read per call,
// so a revocation is honoured by every instance on the very next request.
import type { ExpiredSigV4Credential, SigV4CredentialLookup, StoredSigV4Credential } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { CredentialWithSession, Store } from '../store/store.ts';
import { SECRET_PURPOSE } from '../token/mint-credentials.ts';

export interface CallerLookup {
  /** The credential and session a key id belongs to. */
  find(accessKeyId: string): Promise<CredentialWithSession | undefined>;
  /** What SigV4 verification needs of a found credential: its secret, or that it may no longer sign. */
  secretOf(found: CredentialWithSession | undefined): StoredSigV4Credential | ExpiredSigV4Credential | undefined;
  /** `find` then `secretOf`, for callers that need nothing more than the verification. */
  lookupSecret: SigV4CredentialLookup;
}

const ACCESS_KEY_ID_PATTERN = /^ASIA[A-Z2-7]{16}$/;

export function createCallerLookup(deps: { store: Store; sealer: Sealer; clock: Clock }): CallerLookup {
  const find = async (accessKeyId: string) =>
    ACCESS_KEY_ID_PATTERN.test(accessKeyId) ? deps.store.loginSessions.findCredential(accessKeyId) : undefined;
  const secretOf = (found: CredentialWithSession | undefined): StoredSigV4Credential | ExpiredSigV4Credential | undefined => {
    if (!found) return undefined;
    const now = deps.clock.now();
    const { credential, session } = found;
    if (credential.expires_at <= now || session.revoked_at !== null || session.expires_at <= now) return { expired: true };
    return {
      secretAccessKey: deps.sealer.open(credential.secret_sealed, `${SECRET_PURPOSE}:${credential.access_key_id}`),
      sessionTokenSha256: credential.session_token_digest,
    };
  };
  return { find, secretOf, lookupSecret: async (accessKeyId) => secretOf(await find(accessKeyId)) };
}
