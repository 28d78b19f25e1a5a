// Instances that start together on an empty database agree on one signing key, and a key added
// later reaches a running instance without a restart (keys/signing-keys.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { manualClock } from '../clock.ts';
import { purposes } from '../crypto/seal-purposes.ts';
import { createSealer } from '../crypto/sealer.ts';
import { openStore, type Store } from '../store/store.ts';
import { backends, TEST_POOL_SIZE } from '../testing/backends.ts';
import { loadSigningKeys, type SigningKeys } from './signing-keys.ts';

const ROUNDS = 6;
const INSTANCES = 3;
const sealer = createSealer(randomBytes(32));
const clock = manualClock(Date.UTC(2026, 11, 4));

for (const backend of backends()) {
  describe(`signing keys (${backend.name})`, { skip: backend.skip }, () => {
    it(`${INSTANCES} instances starting at once on an empty database make one key and publish the same JWKS, round after round`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const database = await backend.create();
        // Opened one after another (migrations are not what this tests); the keys are loaded at once.
        const stores: Store[] = [];
        for (let i = 0; i < INSTANCES; i++) stores.push(await openStore(database.location, { poolSize: TEST_POOL_SIZE }));
        const rings: SigningKeys[] = [];
        try {
          rings.push(...(await Promise.all(stores.map((store) => loadSigningKeys(store, sealer, clock)))));
          const published = rings.map((ring) => JSON.stringify(ring.jwks()));
          assert.equal(rings[0]!.jwks().keys.length, 1, `round ${round}: one key`);
          assert.deepEqual(published, Array(INSTANCES).fill(published[0]), `round ${round}: the same JWKS everywhere`);
          assert.deepEqual(new Set(rings.map((ring) => ring.current().kid)).size, 1, `round ${round}: the same key signs everywhere`);
          assert.equal((await stores[0]!.read((repos) => repos.settings.listSigningKeys())).length, 1);
        } finally {
          rings.forEach((ring) => ring.stop());
          await Promise.all(stores.map((store) => store.close()));
          await database.drop();
        }
      }
    });

    it('a key added later is published and signs after the next reload, without a restart', async () => {
      const database = await backend.create();
      const store = await openStore(database.location);
      const ring = await loadSigningKeys(store, sealer, clock);
      try {
        const first = ring.current().kid;
        const jwksBefore = ring.jwks();
        const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
        const [privateJwk, publicJwk] = [await exportJWK(privateKey), await exportJWK(publicKey)];
        await store.transaction((tx) =>
          tx.settings.insertSigningKey({
            kid: 'second-key',
            alg: 'ES256',
            private_jwk_sealed: sealer.seal(JSON.stringify(privateJwk), purposes.signingKey),
            public_jwk: JSON.stringify({ ...publicJwk, kid: 'second-key', alg: 'ES256', use: 'sig' }),
            created_at: clock.now() + 1000,
          }),
        );
        assert.equal(ring.current().kid, first, 'nothing changes before the reload');
        await ring.reload();
        assert.equal(ring.current().kid, 'second-key', 'the newest key signs');
        assert.deepEqual(ring.jwks().keys.map((key) => key.kid), ['second-key', first], 'both are published');
        assert.notEqual(ring.jwks(), jwksBefore);
        await ring.reload();
        assert.equal(ring.jwks(), ring.jwks(), 'an unchanged set keeps its object (the JWKS text is not made again)');
      } finally {
        ring.stop();
        await store.close();
        await database.drop();
      }
    });
  });
}
