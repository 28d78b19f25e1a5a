// What the federated sign-in steps need, built once in compose.ts: the store, clock, randomness
// and sealer like every other step, plus the only doors to the outside — a `fetch` with a timeout,
// the cached discovery, and one JWKS per provider (key-sets.ts: cached, fetched again on an
// unknown `kid`, bounded in time and size).
import type { JWTVerifyGetKey } from 'jose';
import type { AuditTrail } from '../audit/trail.ts';
import type { Clock } from '../clock.ts';
import type { Random } from '../crypto/ids.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { Store } from '../store/store.ts';
import type { Discovery } from './discovery.ts';

export interface FederationDeps {
  store: Store;
  clock: Clock;
  random: Random;
  sealer: Sealer;
  audit: AuditTrail;
  region: string;
  discovery: Discovery;
  /** The provider's signing keys, by its `jwks_uri`. */
  keySetFor(jwksUri: string): JWTVerifyGetKey;
  fetch: typeof fetch;
  /** For every call to a provider: discovery, keys, token endpoint. */
  timeoutMs: number;
  /** `{publicUrl}/console/federation/callback`: the one redirect URI Keyless registers with every provider. */
  redirectUri: string;
}

export const CALLBACK_PATH = '/console/federation/callback';
export const PROVIDER_TIMEOUT_MS = 5_000;
