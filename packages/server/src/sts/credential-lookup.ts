// What SigV4 verification needs for a key id Keyless issued: the secret (sealed at rest), the
// session token's digest, and whether the login session still stands.
//
// A key id's secret, token and principal never change, but its session can be revoked, so
// what one read found is kept for at most `cacheTtlMs` (1 s) per process: a revocation made
// by another instance sharing the database is honoured within that bound; one made through this
// process's own store at once (the store's RevocationCounter moves and every entry lapses).
// Expiry is checked against the clock on every call, cached or not, so an expired credential or
// session is refused at once. Unknown key ids are not remembered.
import { signingKeysOf, type ExpiredSigV4Credential, type SigV4CredentialLookup, type StoredSigV4Credential } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { CredentialWithSession, Store } from '../store/store.ts';
import { purposes } from '../crypto/seal-purposes.ts';
import type { SessionScope } from '../iam/authorizer.ts';
import { scopeOf } from './session-scope.ts';

/** A credential and its session as read from the store, with its secret unsealed. */
export interface KnownCredential extends CredentialWithSession {
  /**
   * What verification needs, prepared once per read: the token digest decoded and the signing
   * keys derived on first use, so calls answered from the cache hash neither the secret nor a memo key.
   */
  readonly sigv4: StoredSigV4Credential;
  /** An STS role session's session policies, tags and source identity, parsed once per read. */
  readonly scope?: SessionScope;
}

export interface CallerLookup {
  /** The credential and session a key id belongs to, as read at most `cacheTtlMs` ago. */
  find(accessKeyId: string): Promise<KnownCredential | undefined>;
  /** What SigV4 verification needs of a found credential: its secret, or that it may no longer sign. */
  secretOf(found: KnownCredential | undefined): StoredSigV4Credential | ExpiredSigV4Credential | undefined;
  /** `find` then `secretOf`, for callers that need nothing more than the verification. */
  lookupSecret: SigV4CredentialLookup;
}

export interface CallerLookupDeps {
  store: Pick<Store, 'read' | 'revocations'>;
  sealer: Sealer;
  clock: Clock;
  /** How long a read is trusted: the revocation latency across instances. Default 1000; 0 reads every time. */
  cacheTtlMs?: number;
  /** Bound on the memory the cache takes; the oldest entries go first. Default 10,000. */
  maxCachedCredentials?: number;
}

export const DEFAULT_CREDENTIAL_CACHE_TTL_MS = 1000;

const ACCESS_KEY_ID_PATTERN = /^ASIA[A-Z2-7]{16}$/;

interface CacheEntry {
  /** Clock time the read started: the entry lapses at readAt + ttl. */
  readonly readAt: number;
  /** `store.revocations.generation` when the read started. */
  readonly generation: number;
  /** In flight or settled: concurrent calls for one key id share one read. */
  readonly found: Promise<KnownCredential | undefined>;
}

export function createCallerLookup(deps: CallerLookupDeps): CallerLookup {
  const ttl = deps.cacheTtlMs ?? DEFAULT_CREDENTIAL_CACHE_TTL_MS;
  const maxEntries = deps.maxCachedCredentials ?? 10_000;
  const cache = new Map<string, CacheEntry>();

  const read = async (accessKeyId: string): Promise<KnownCredential | undefined> => {
    const found = await deps.store.read((rs) => rs.loginSessions.findCredential(accessKeyId));
    if (!found) return undefined;
    const secretAccessKey = deps.sealer.open(found.credential.secret_sealed, purposes.credentialSecret(accessKeyId));
    const sigv4: StoredSigV4Credential = {
      secretAccessKey,
      sessionTokenSha256: Buffer.from(found.credential.session_token_digest, 'base64url'),
      signingKey: signingKeysOf(secretAccessKey),
    };
    return found.sts ? { ...found, sigv4, scope: scopeOf(found.sts) } : { ...found, sigv4 };
  };

  const find = (accessKeyId: string): Promise<KnownCredential | undefined> => {
    if (!ACCESS_KEY_ID_PATTERN.test(accessKeyId)) return Promise.resolve(undefined);
    const now = deps.clock.now();
    const generation = deps.store.revocations.generation;
    const cached = cache.get(accessKeyId);
    if (cached && cached.generation === generation && now < cached.readAt + ttl && now >= cached.readAt) return cached.found;
    if (ttl <= 0) return read(accessKeyId);
    const entry: CacheEntry = { readAt: now, generation, found: read(accessKeyId) };
    cache.delete(accessKeyId);
    cache.set(accessKeyId, entry);
    // Oldest first (an entry is re-inserted when read again): drop what has lapsed, and the
    // oldest beyond the bound, so unsealed secrets do not outstay their use.
    for (const [id, old] of cache) {
      if (cache.size <= maxEntries && old.readAt + ttl > now) break;
      cache.delete(id);
    }
    // Neither a failed read nor an unknown key id is remembered.
    const forget = () => void (cache.get(accessKeyId) === entry && cache.delete(accessKeyId));
    entry.found.then((found) => found ?? forget(), forget);
    return entry.found;
  };

  const secretOf = (found: KnownCredential | undefined): StoredSigV4Credential | ExpiredSigV4Credential | undefined => {
    if (!found) return undefined;
    const now = deps.clock.now();
    const { credential, session } = found;
    if (credential.expires_at <= now || session.expires_at <= now) return { expired: true };
    if (session.revoked_at !== null) return { expired: true, revoked: true };
    return found.sigv4;
  };

  return { find, secretOf, lookupSecret: async (accessKeyId) => secretOf(await find(accessKeyId)) };
}
