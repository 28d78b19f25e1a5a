// The ES256 keys that sign id tokens, shared by all instances through the database.
//
// Exactly one key is made however many instances start at once on an empty database: the first
// key is claimed through a settings row (`signing-key:first`, a unique key), inside the
// transaction that inserts it. A second instance's claim waits for the first's commit (PostgreSQL's
// unique index; SQLite's write lock) and then finds it taken, so it publishes the key the first made.
// Before, each instance inserted a key when it read none and kept the set it read at start: three
// instances started together published different JWKS in 2 of 4 rounds.
//
// A running instance reads the keys again every REFRESH_MS, so a key added or retired later reaches
// every instance within that bound without a restart (the newest key signs; all are published).
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { sha256Base64url } from '@keyless/protocol';
import type { Clock } from '../clock.ts';
import { purposes } from '../crypto/seal-purposes.ts';
import type { Sealer } from '../crypto/sealer.ts';
import type { SigningKeyRow, Store } from '../store/store.ts';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/** How often a running instance reads the signing keys again (the bound a new key takes to reach it). */
export const SIGNING_KEYS_REFRESH_MS = 60_000;

export interface SigningKeys {
  /** The key id and private key that sign now: the newest key. */
  current(): { kid: string; privateKey: SigningKey };
  /** Every published key, for the JWKS document (the same object until the set changes). */
  jwks(): { keys: JWK[] };
  /** Reads the keys again now (the timer does it every SIGNING_KEYS_REFRESH_MS). */
  reload(): Promise<void>;
  /** Stops the timer. */
  stop(): void;
}

const FIRST_KEY_CLAIM = 'signing-key:first';

export async function loadSigningKeys(store: Store, sealer: Sealer, clock: Clock, options: { refreshMs?: number } = {}): Promise<SigningKeys> {
  const list = () => store.read((repos) => repos.settings.listSigningKeys());
  let rows = await list();
  if (rows.length === 0) {
    await createFirstKey(store, sealer, clock);
    rows = await list();
  }
  let state = await stateOf(rows, sealer);
  const reload = async () => {
    const fresh = await list();
    if (fresh.length > 0 && fingerprint(fresh) !== state.fingerprint) state = await stateOf(fresh, sealer);
  };
  // A failed reload (the database briefly away) keeps the keys it has and tries again next time.
  const timer = setInterval(() => void reload().catch(() => {}), options.refreshMs ?? SIGNING_KEYS_REFRESH_MS);
  timer.unref();
  return {
    current: () => state.current,
    jwks: () => state.jwks,
    reload,
    stop: () => clearInterval(timer),
  };
}

async function createFirstKey(store: Store, sealer: Sealer, clock: Clock): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = sha256Base64url(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y })).slice(0, 16);
  const row: SigningKeyRow = {
    kid,
    alg: 'ES256',
    private_jwk_sealed: sealer.seal(JSON.stringify(await exportJWK(privateKey)), purposes.signingKey),
    public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' }),
    created_at: clock.now(),
  };
  await store.transaction(async (tx) => {
    if ((await tx.settings.listSigningKeys()).length > 0) return;
    if (await tx.settings.insertIfAbsent(FIRST_KEY_CLAIM, kid)) await tx.settings.insertSigningKey(row);
  });
}

const fingerprint = (rows: SigningKeyRow[]) => rows.map((row) => row.kid).join(',');

async function stateOf(rows: SigningKeyRow[], sealer: Sealer) {
  const newest = rows[0]!;
  const privateKey = await importJWK(JSON.parse(sealer.open(newest.private_jwk_sealed, purposes.signingKey)) as JWK, 'ES256');
  return {
    fingerprint: fingerprint(rows),
    current: { kid: newest.kid, privateKey },
    jwks: { keys: rows.map((row) => JSON.parse(row.public_jwk) as JWK) },
  };
}
