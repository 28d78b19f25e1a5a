// OpenID Connect Discovery 1.0 §4: `{issuer}/.well-known/openid-configuration`, fetched with a
// timeout and cached per issuer, so a sign-in page does not wait on the provider every time and a
// slow provider cannot hold a request open. Only a good answer is cached; a failure is retried on
// the next sign-in.
import type { Clock } from '../clock.ts';
import { FederationError } from './errors.ts';
import { fetchJson, MAX_PROVIDER_DOCUMENT_BYTES } from './bounded-fetch.ts';
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
  /** What a console sign-in needs: the authorization and token endpoints, and the keys. */
  metadata(issuer: string): Promise<ProviderMetadata>;
  /**
   * Where the provider's signing keys are, for verifying its tokens alone (AssumeRoleWithWebIdentity):
   * issuers such as CI systems publish no authorization or token endpoint.
   */
  jwksUri(issuer: string): Promise<string>;
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
  const cache = new Map<string, { metadata?: ProviderMetadata; jwksUri: string; fetchedAt: number }>();
  const entry = async (issuer: string) => {
    const cached = cache.get(issuer);
    if (cached && deps.clock.now() - cached.fetchedAt < deps.ttlMs) return cached;
    const document = await discover(deps, issuer);
    const jwksUri = parseJwksUri(issuer, document);
    let metadata: ProviderMetadata | undefined;
    try {
      metadata = parseMetadata(issuer, document);
    } catch {
      // A provider of web identities only (no sign-in endpoints): its keys are still of use.
    }
    const fresh = { metadata, jwksUri, fetchedAt: deps.clock.now() };
    cache.set(issuer, fresh);
    return fresh;
  };
  return {
    async metadata(issuer) {
      const found = await entry(issuer);
      return found.metadata ?? parseMetadata(issuer, await discover(deps, issuer));
    },
    async jwksUri(issuer) {
      return (await entry(issuer)).jwksUri;
    },
  };
}

async function discover(deps: DiscoveryDeps, issuer: string): Promise<Record<string, unknown>> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    document = await fetchJson(deps.fetch, url, { timeoutMs: deps.timeoutMs, maxBytes: MAX_PROVIDER_DOCUMENT_BYTES });
  } catch (error) {
    throw unreachable(issuer, `discovery of ${url} failed: ${(error as Error).message}`);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw unreachable(issuer, `discovery of ${url} failed: not a JSON object`);
  return document as Record<string, unknown>;
}

/** §4.3 for a verifier of tokens alone: the document names the issuer and an https `jwks_uri`. */
export function parseJwksUri(issuer: string, document: Record<string, unknown>): string {
  if (document.issuer !== issuer) throw unreachable(issuer, `discovery document rejected: its issuer ${JSON.stringify(document.issuer)} is not ${issuer}`);
  return endpointOf(issuer, document, 'jwks_uri');
}

function endpointOf(issuer: string, document: Record<string, unknown>, name: string): string {
  const bad = (why: string) => unreachable(issuer, `discovery document rejected: ${why}`);
  const value = document[name];
  if (typeof value !== 'string') throw bad(`${name} is missing`);
  try {
    // The same rule as the issuer: https, or http on a loopback address.
    parseIssuer(new URL(value).origin);
  } catch {
    throw bad(`${name} ${value} is not an https URL`);
  }
  return value;
}

/** §4.3: the document's issuer must be exactly the one configured; every endpoint must be a URL we would call. */
export function parseMetadata(issuer: string, document: Record<string, unknown>): ProviderMetadata {
  const jwksUri = parseJwksUri(issuer, document);
  const endpoint = (name: string) => endpointOf(issuer, document, name);
  return {
    issuer,
    authorizationEndpoint: endpoint('authorization_endpoint'),
    tokenEndpoint: endpoint('token_endpoint'),
    jwksUri,
    issParameterSupported: document.authorization_response_iss_parameter_supported === true,
  };
}
