// Temporary credentials for one login session: ASIA key id, secret, session token.
import { sha256Base64url, type TokenResponse } from '@keyless/protocol';
import { newAccessKeyId, newSecretAccessKey, newSessionToken, type Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { CredentialRow, LoginSession } from '../store/store.ts';
import { CREDENTIAL_LIFETIME_SECONDS } from './deps.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export interface MintedCredentials {
  row: CredentialRow;
  accessToken: TokenResponse['accessToken'];
  expiresIn: number;
}

/** Seconds the session has left, capped at the credential lifetime; ≤ 0 means the session is over. */
export const credentialSecondsLeft = (session: Pick<LoginSession, 'expires_at'>, now: number, lifetimeSeconds = CREDENTIAL_LIFETIME_SECONDS): number =>
  Math.min(lifetimeSeconds, Math.floor((session.expires_at - now) / 1000));

/** `lifetimeSeconds`: a login session's credentials last 15 minutes; an STS role session's, the whole session. */
export function mintCredentials(random: Random, sealer: Sealer, session: LoginSession, now: number, lifetimeSeconds = CREDENTIAL_LIFETIME_SECONDS): MintedCredentials {
  const expiresIn = credentialSecondsLeft(session, now, lifetimeSeconds);
  const accessKeyId = newAccessKeyId(random, now);
  const secretAccessKey = newSecretAccessKey(random);
  const sessionToken = newSessionToken(random);
  return {
    accessToken: { accessKeyId, secretAccessKey, sessionToken },
    expiresIn,
    row: {
      access_key_id: accessKeyId,
      login_session_id: session.id,
      // The key id is bound into the seal, so a sealed secret cannot be moved to another key id.
      secret_sealed: sealer.seal(secretAccessKey, purposes.credentialSecret(accessKeyId)),
      session_token_digest: sha256Base64url(sessionToken),
      issued_at: now,
      expires_at: now + expiresIn * 1000,
    },
  };
}
