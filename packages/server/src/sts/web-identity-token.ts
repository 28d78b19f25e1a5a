// AssumeRoleWithWebIdentity's token check (IAM User Guide, "Create an OpenID Connect (OIDC)
// identity provider in IAM"; OpenID Connect Core §3.1.3.7): the issuer named by `iss` must be an
// OpenID provider registered in the role's account (so Keyless only ever fetches from issuers an
// administrator chose); its keys come through discovery (https only except loopback, bounded in
// time and size, no redirects, cached, fetched again on an unknown `kid`); the signature must be an
// asymmetric algorithm's; `aud` must be one of the provider's client ids; `exp`, `nbf` and `iat`
// are checked against the injected clock. Errors are STS's own codes; the token is never logged.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.ts';
import type { Discovery } from '../federation/discovery.ts';
import { isFederationError } from '../federation/errors.ts';
import { KeySetUnavailable } from '../federation/key-sets.ts';
import { IssuerError, oidcProviderArn, parseIssuer, type Claims } from '../federation/provider-identity.ts';
import { ID_TOKEN_ALGORITHMS } from '../federation/verify-id-token.ts';
import type { OidcProvider } from '../store/store.ts';
import type { AccountView, TrustedProvider } from './account-directory.ts';
import { AwsServiceError } from '../aws-api/errors.ts';
import { stsError } from './errors.ts';

/** Clocks drift: the leeway on exp, nbf and iat. */
export const WEB_IDENTITY_CLOCK_TOLERANCE_SECONDS = 60;

export interface WebIdentityTokenDeps {
  /** The role's account, as of its current generation. */
  account: AccountView;
  discovery: Discovery;
  keySetFor(jwksUri: string): JWTVerifyGetKey;
  clock: Clock;
}

export interface VerifiedWebIdentity {
  provider: OidcProvider;
  claims: Claims;
  subject: string;
  /** The client id the token was for: the one of `aud` the provider lists. */
  audience: string;
}

const invalid = (message = 'The web identity token that was passed could not be validated by Keyless. Get a new identity token from the identity provider and then retry the request.') =>
  stsError('InvalidIdentityToken', message);
const unreachable = () => stsError('IDPCommunicationError', 'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. Try again later.');

/** The provider `token` names, in `accountId`: read from the unverified `iss` only to choose whose keys verify it. */
async function providerFor(deps: WebIdentityTokenDeps, token: string, accountId: string): Promise<TrustedProvider> {
  let iss: unknown;
  try {
    const header = decodeProtectedHeader(token);
    // Asymmetric only, before any key is looked up: `none` and HMACs (keyed by anything public) are refused outright.
    if (typeof header.alg !== 'string' || !ID_TOKEN_ALGORITHMS.includes(header.alg)) throw invalid('The token is not signed with an asymmetric algorithm this service accepts.');
    iss = decodeJwt(token).iss;
  } catch (error) {
    // jose throws TypeErrors as well as its own for what does not decode.
    if (error instanceof AwsServiceError) throw error;
    throw invalid('The web identity token is not a signed JWT.');
  }
  if (typeof iss !== 'string' || iss === '') throw invalid('The web identity token has no issuer (iss).');
  const shown = iss.slice(0, 256);
  let path: string;
  try {
    path = parseIssuer(iss).path;
  } catch (error) {
    if (error instanceof IssuerError) throw invalid(`No OpenIDConnect provider found in your account for ${shown}`);
    throw error;
  }
  const trusted = await deps.account.provider(oidcProviderArn(accountId, path));
  // The issuer must match exactly as registered (a trailing slash is another issuer).
  if (!trusted || trusted.provider.issuer !== iss) throw invalid(`No OpenIDConnect provider found in your account for ${shown}`);
  return trusted;
}

export async function verifyWebIdentityToken(deps: WebIdentityTokenDeps, token: string, accountId: string): Promise<VerifiedWebIdentity> {
  const { provider, audiences } = await providerFor(deps, token, accountId);
  let jwksUri: string;
  try {
    jwksUri = await deps.discovery.jwksUri(provider.issuer);
  } catch (error) {
    if (isFederationError(error)) throw unreachable();
    throw error;
  }
  const now = deps.clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, deps.keySetFor(jwksUri), {
      issuer: provider.issuer,
      algorithms: ID_TOKEN_ALGORITHMS,
      currentDate: new Date(now),
      clockTolerance: WEB_IDENTITY_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof KeySetUnavailable || error instanceof errors.JWKSTimeout) throw unreachable();
    if (error instanceof errors.JWTExpired) {
      const exp = (error.payload as JWTPayload).exp;
      throw stsError('ExpiredTokenException', `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${exp}`);
    }
    if (error instanceof errors.JWKSNoMatchingKey) throw invalid("Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements");
    if (error instanceof errors.JOSEError) throw invalid();
    throw error;
  }
  // jose checks iat only against a maximum age: a token issued in the future is refused here.
  if (typeof payload.iat !== 'number' || payload.iat > now / 1000 + WEB_IDENTITY_CLOCK_TOLERANCE_SECONDS) throw invalid('The token was issued in the future (iat).');
  const given = Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud];
  const audience = given.find((aud) => typeof aud === 'string' && audiences.includes(aud));
  if (audience === undefined) throw invalid('Incorrect token audience');
  if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 255) throw stsError('IDPRejectedClaim', 'The identity provider did not name the subject (sub) of the token.');
  return { provider, claims: payload, subject: payload.sub, audience };
}
