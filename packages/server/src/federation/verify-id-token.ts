// OpenID Connect Core §3.1.3.7, ID token validation, with jose: the signature against the
// provider's JWKS with an asymmetric algorithm (never `none`, never an HMAC keyed by the client
// secret), `iss` exactly the configured issuer, `aud` containing our client id, `azp` naming us
// when present (or when there are several audiences), `exp`/`iat` against the injected clock, and
// the `nonce` this sign-in sent.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.ts';
import { FederationError } from './errors.ts';
import type { Claims } from './provider-identity.ts';

/** Asymmetric only: §3.1.3.7 step 6 allows MACs keyed by the secret, which would let anyone holding it mint tokens. */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clocks drift; a minute either way is what most relying parties allow. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** An ID token is for this sign-in, minted moments ago: one issued long before is refused. */
export const MAX_ID_TOKEN_AGE_SECONDS = 10 * 60;

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
}

export async function verifyIdToken(idToken: string, keys: JWTVerifyGetKey, expected: IdTokenExpectations, clock: Clock): Promise<Claims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ID_TOKEN_ALGORITHMS,
      currentDate: new Date(clock.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_ID_TOKEN_AGE_SECONDS,
      requiredClaims: ['sub', 'iat', 'exp', 'nonce'],
    }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout || (error instanceof Error && !(error instanceof errors.JOSEError))) {
      throw new FederationError('ProviderUnreachable', 'The identity provider is not answering', `Keyless could not fetch the signing keys of ${expected.issuer}. Try again in a moment.`, `JWKS: ${(error as Error).message}`);
    }
    throw invalid(`${(error as errors.JOSEError).code}: ${(error as Error).message}`);
  }
  if (payload.nonce !== expected.nonce) throw invalid('nonce does not match this sign-in');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.azp !== undefined ? payload.azp !== expected.clientId : audiences.length > 1) throw invalid(`azp ${JSON.stringify(payload.azp)} does not name this client`);
  if (typeof payload.sub !== 'string' || payload.sub === '') throw invalid('sub is empty');
  return payload;
}

const invalid = (detail: string) =>
  new FederationError('InvalidIdToken', 'The sign-in could not be verified', 'The identity provider’s answer did not pass Keyless’s checks, so you were not signed in. Try again; if it keeps happening, tell your administrator.', detail);
