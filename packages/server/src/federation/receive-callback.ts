// Step 2: the provider sent the browser back. Consume the request first (once, by the browser
// that began it), so a replayed or forged callback fails whatever else it carries; then the
// provider's own answer (RFC 6749 §4.1.2, RFC 9207's `iss`), the code exchange and the ID token.
import { sha256Base64url } from '@keyless/protocol';
import type { OidcProvider } from '../store/store.ts';
import type { FederationDeps } from './deps.ts';
import { FederationError, isFederationError, returningTo } from './errors.ts';
import type { Claims } from './provider-identity.ts';
import { exchangeCode } from './token-exchange.ts';
import { verifyIdToken } from './verify-id-token.ts';
import { purposes } from '../crypto/seal-purposes.ts';

export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
  iss?: string;
}

export interface FederatedIdentity {
  provider: OidcProvider;
  claims: Claims;
  returnTo?: string;
}


export async function receiveCallback(deps: FederationDeps, query: CallbackQuery, browserDigest: string): Promise<FederatedIdentity> {
  const { state } = query;
  const request = state && state.length <= 512 ? await deps.store.read((rs) => rs.federation.consumeRequest(sha256Base64url(state), browserDigest, deps.clock.now())) : undefined;
  if (!request) {
    throw new FederationError('UnknownRequest', 'This sign-in has expired', 'This sign-in was already completed, took too long, or was started in another browser. Start again from the Keyless sign-in page.', 'state unknown, used, expired or from another browser');
  }
  const returnTo = request.return_to ?? undefined;
  return returningTo(returnTo, async () => {
    const provider = await deps.store.read((rs) => rs.federation.findProvider(request.provider_id));
    if (!provider) throw new FederationError('UnknownProvider', 'Unknown identity provider', 'This identity provider was removed while you were signing in.');
    const refused = (detail: string) => new FederationError('ProviderRefused', `${provider.display_name} did not sign you in`, `${provider.display_name} ended the sign-in without signing you in. Start again, or sign in another way.`, detail);
    if (query.error !== undefined) throw refused(`provider returned error=${query.error.slice(0, 64).replace(/[^\w.-]/g, '?')}`);

    const metadata = await deps.discovery.metadata(provider.issuer);
    // RFC 9207 §2.4: a mix-up attack sends another provider's response here; its `iss` gives it away.
    if (query.iss !== undefined ? query.iss !== provider.issuer : metadata.issParameterSupported) throw refused('iss parameter missing or not this provider');
    if (!query.code || query.code.length > 2048) throw refused('no code in the callback');

    const idToken = await exchangeCode(deps, {
      tokenEndpoint: metadata.tokenEndpoint,
      issuer: provider.issuer,
      clientId: provider.client_id,
      clientSecret: deps.sealer.open(provider.client_secret_sealed, purposes.oidcClientSecret(provider.id)),
      code: query.code,
      codeVerifier: deps.sealer.open(request.code_verifier_sealed, purposes.federationCodeVerifier(request.state_digest)),
      redirectUri: deps.redirectUri,
    });
    const claims = await verifyIdToken(idToken, deps.keySetFor(metadata.jwksUri), { issuer: provider.issuer, clientId: provider.client_id, nonce: request.nonce }, deps.clock).catch(
      // The provider's token endpoint gave a token Keyless refuses: the provider's account hears of it, naming nobody.
      (error: unknown) => {
        throw isFederationError(error) && error.code === 'InvalidIdToken' ? error.attributedTo({ provider }) : error;
      },
    );
    return { provider, claims, ...(returnTo !== undefined && { returnTo }) };
  });
}
