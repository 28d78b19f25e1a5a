// The id token of code redemption: `sub` is the principal ARN the CLI keeps as `login_session`.
import { SignJWT } from 'jose';
import type { SigningKeys } from '../keys/signing-keys.ts';

export interface IdTokenClaims {
  sub: string;
  aud: string;
  sessionArn: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export interface IdTokenSigner {
  sign(claims: IdTokenClaims): Promise<string>;
}

export function createIdTokenSigner(keys: Pick<SigningKeys, 'current'>, issuer: string): IdTokenSigner {
  return {
    sign: (claims) => {
      const { kid, privateKey } = keys.current();
      return new SignJWT({ session_arn: claims.sessionArn })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
        .setIssuer(issuer)
        .setSubject(claims.sub)
        .setAudience(claims.aud)
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .sign(privateKey);
    },
  };
}
