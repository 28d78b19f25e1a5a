// Step 1 of a federated sign-in: discover the provider, remember the request (state digest, nonce,
// sealed PKCE verifier, the browser, where to return) and send the browser to the provider's
// authorization endpoint (OpenID Connect Core §3.1.2.1 with RFC 7636 S256).
import { codeChallengeOf, sha256Base64url } from '@keyless/protocol';
import { offersSignIn } from './provider-admin.ts';
import { FederationError } from './errors.ts';
import type { FederationDeps } from './deps.ts';
import { purposes } from '../crypto/seal-purposes.ts';

/** Long enough to type a password and approve consent at the provider, short enough to be useless when copied. */
export const FEDERATION_REQUEST_MS = 10 * 60_000;
/** Scopes every OpenID provider knows; the claims conditions read come in the ID token. */
export const SCOPE = 'openid email profile';


export async function startFederatedSignIn(deps: FederationDeps, input: { providerId: string; browserDigest: string; returnTo?: string }): Promise<{ location: string }> {
  const provider = await deps.store.read((rs) => rs.federation.findProvider(input.providerId));
  // A provider made through IAM's API (no client secret) vouches for STS callers only.
  if (!provider || !offersSignIn(provider)) throw new FederationError('UnknownProvider', 'Unknown identity provider', 'This sign-in option no longer exists. Go back to the sign-in page and choose again.');
  const metadata = await deps.discovery.metadata(provider.issuer);
  const now = deps.clock.now();
  // 256 bits each; the verifier (43 characters of base64url) is within RFC 7636 §4.1's alphabet.
  const state = deps.random.bytes(32).toString('base64url');
  const nonce = deps.random.bytes(32).toString('base64url');
  const verifier = deps.random.bytes(32).toString('base64url');
  const stateDigest = sha256Base64url(state);
  await deps.store.read((rs) => rs.federation.createRequest({
    state_digest: stateDigest,
    provider_id: provider.id,
    browser_digest: input.browserDigest,
    nonce,
    code_verifier_sealed: deps.sealer.seal(verifier, purposes.federationCodeVerifier(stateDigest)),
    return_to: input.returnTo ?? null,
    created_at: now,
    expires_at: now + FEDERATION_REQUEST_MS,
    consumed_at: null,
  }));
  const location = new URL(metadata.authorizationEndpoint);
  const params = { response_type: 'code', client_id: provider.client_id, redirect_uri: deps.redirectUri, scope: SCOPE, state, nonce, code_challenge: codeChallengeOf(verifier), code_challenge_method: 'S256' };
  for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
  return { location: location.toString() };
}
