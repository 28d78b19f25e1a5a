// The ES256 key that signs id tokens, shared by all instances through the database.
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Sealer } from '../crypto/sealer.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../clock.ts';
import { sha256Base64url } from '@keyless/protocol';
import { purposes } from '../crypto/seal-purposes.ts';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

export interface SigningKeys {
  kid: string;
  privateKey: SigningKey;
  /** Every published key, for the JWKS document. */
  jwks: { keys: JWK[] };
}

export async function loadSigningKeys(store: Store, sealer: Sealer, clock: Clock): Promise<SigningKeys> {
  let rows = await store.read((rs) => rs.settings.listSigningKeys());
  if (rows.length === 0) {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = sha256Base64url(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y })).slice(0, 16);
    const row = {
      kid,
      alg: 'ES256',
      private_jwk_sealed: sealer.seal(JSON.stringify(await exportJWK(privateKey)), purposes.signingKey),
      public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' }),
      created_at: clock.now(),
    };
    await store.read((rs) => rs.settings.insertSigningKey(row));
    rows = await store.read((rs) => rs.settings.listSigningKeys());
  }
  const current = rows[0]!;
  const privateKey = await importJWK(JSON.parse(sealer.open(current.private_jwk_sealed, purposes.signingKey)) as JWK, 'ES256');
  return { kid: current.kid, privateKey, jwks: { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) } };
}
