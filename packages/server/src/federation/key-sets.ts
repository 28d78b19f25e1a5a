// The signing keys of each OpenID provider, by its `jwks_uri`: fetched through fetchJson (timeout,
// size bound, no redirects), kept for `ttlMs`, and fetched again when a token names a `kid` the
// set does not have (a provider rotating its keys) — at most once per `cooldownMs`, so tokens
// with made-up kids cannot make Keyless hammer the provider. Time is the injected clock's.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock.ts';
import { fetchJson, MAX_PROVIDER_DOCUMENT_BYTES } from './bounded-fetch.ts';

export interface KeySetDeps {
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  /** How long a fetched set is used before it is fetched again. Default 10 minutes. */
  ttlMs?: number;
  /** The least time between two fetches of one set. Default 30 s. */
  cooldownMs?: number;
  maxBytes?: number;
}

/** Thrown when the set could not be fetched: the provider is unreachable or answered nonsense. */
export class KeySetUnavailable extends Error {
  readonly code = 'KeySetUnavailable';
}

interface Entry {
  keys?: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
  inFlight?: Promise<void>;
}

export function createKeySets(deps: KeySetDeps): (jwksUri: string) => JWTVerifyGetKey {
  const ttl = deps.ttlMs ?? 10 * 60_000;
  const cooldown = deps.cooldownMs ?? 30_000;
  const sets = new Map<string, Entry>();

  const refresh = (uri: string, entry: Entry): Promise<void> =>
    (entry.inFlight ??= (async () => {
      try {
        const document = await fetchJson(deps.fetch, uri, { timeoutMs: deps.timeoutMs, maxBytes: deps.maxBytes ?? MAX_PROVIDER_DOCUMENT_BYTES });
        if (!document || typeof document !== 'object' || !Array.isArray((document as JSONWebKeySet).keys)) throw new Error('not a JWK set');
        entry.keys = createLocalJWKSet(document as JSONWebKeySet);
        entry.fetchedAt = deps.clock.now();
      } catch (error) {
        throw new KeySetUnavailable(`${uri}: ${(error as Error).message}`);
      } finally {
        entry.inFlight = undefined;
      }
    })());

  return (uri) => {
    return async (header, token) => {
      let entry = sets.get(uri);
      if (!entry) sets.set(uri, (entry = { fetchedAt: -Infinity }));
      const now = deps.clock.now();
      if (!entry.keys || now - entry.fetchedAt >= ttl || now < entry.fetchedAt) await refresh(uri, entry);
      try {
        return await entry.keys!(header, token);
      } catch (error) {
        // An unknown kid: the provider may have rotated its keys since the set was fetched.
        if (!(error instanceof errors.JWKSNoMatchingKey) || deps.clock.now() - entry.fetchedAt < cooldown) throw error;
        await refresh(uri, entry);
        return entry.keys!(header, token);
      }
    };
  };
}
