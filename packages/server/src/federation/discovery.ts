// OpenID Connect Discovery 1.0 §4: `{issuer}/.well-known/openid-configuration`, fetched with a
// timeout and cached per issuer, so a sign-in page does not wait on the provider every time and a
// slow provider cannot hold a request open. Only a good answer is cached; a failure is retried on
// the next sign-in.
import type { Clock } from '../clock.ts';
import { FederationError } from './errors.ts';
import { parseIssuer } from './provider-identity.ts';

export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** RFC 9207: the provider sends `iss` with its authorization responses. */
  issParameterSupported: boolean;
}

export interface Discovery {
  metadata(issuer: string): Promise<ProviderMetadata>;
}

export interface DiscoveryDeps {
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  /** How long a discovered document is reused. */
  ttlMs: number;
}

export const unreachable = (issuer: string, detail: string) =>
  new FederationError('ProviderUnreachable', 'The identity provider is not answering', `Keyless could not reach the identity provider at ${issuer}. Try again in a moment, or sign in another way.`, detail);

export function createDiscovery(deps: DiscoveryDeps): Discovery {
  const cache = new Map<string, { metadata: ProviderMetadata; fetchedAt: number }>();
  return {
    async metadata(issuer) {
      const cached = cache.get(issuer);
      if (cached && deps.clock.now() - cached.fetchedAt < deps.ttlMs) return cached.metadata;
      const metadata = await discover(deps, issuer);
      cache.set(issuer, { metadata, fetchedAt: deps.clock.now() });
      return metadata;
    },
  };
}

async function discover(deps: DiscoveryDeps, issuer: string): Promise<ProviderMetadata> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let document: Record<string, unknown>;
  try {
    const response = await deps.fetch(url, { signal: AbortSignal.timeout(deps.timeoutMs), headers: { accept: 'application/json' }, redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw unreachable(issuer, `discovery of ${url} failed: ${(error as Error).message}`);
  }
  return parseMetadata(issuer, document);
}

/** §4.3: the document's issuer must be exactly the one configured; every endpoint must be a URL we would call. */
export function parseMetadata(issuer: string, document: Record<string, unknown>): ProviderMetadata {
  const bad = (why: string) => unreachable(issuer, `discovery document rejected: ${why}`);
  if (document.issuer !== issuer) throw bad(`its issuer ${JSON.stringify(document.issuer)} is not ${issuer}`);
  const endpoint = (name: string): string => {
    const value = document[name];
    if (typeof value !== 'string') throw bad(`${name} is missing`);
    try {
      // The same rule as the issuer: https, or http on a loopback address.
      parseIssuer(new URL(value).origin);
    } catch {
      throw bad(`${name} ${value} is not an https URL`);
    }
    return value;
  };
  return {
    issuer,
    authorizationEndpoint: endpoint('authorization_endpoint'),
    tokenEndpoint: endpoint('token_endpoint'),
    jwksUri: endpoint('jwks_uri'),
    issParameterSupported: document.authorization_response_iss_parameter_supported === true,
  };
}
