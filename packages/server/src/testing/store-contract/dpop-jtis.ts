// The DPoP jti replay store (RFC 9449 §11.1): a proof's jti is accepted once, by every instance.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { MINUTE, T0, concurrently, withFreshStore } from './fixtures.ts';

export function dpopJtisContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('dpop jtis', () => {
    test('remember: true the first time, false for the same digest again', async (store) => {
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('jti-a', T0 + MINUTE)), true);
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('jti-a', T0 + 2 * MINUTE)), false);
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('jti-b', T0 + MINUTE)), true);
    });

    test('20 concurrent remembers of one digest: exactly one true', async (store) => {
      const results = await concurrently(20, () => store.read((rs) => rs.dpopJtis.remember('jti-a', T0 + MINUTE)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('purgeExpired removes only digests that expired before the instant, and counts them', async (store) => {
      await store.read((rs) => rs.dpopJtis.remember('expired', T0));
      await store.read((rs) => rs.dpopJtis.remember('expires-now', T0 + MINUTE));
      await store.read((rs) => rs.dpopJtis.remember('live', T0 + 2 * MINUTE));
      assert.equal(await store.read((rs) => rs.dpopJtis.purgeExpired(T0 + MINUTE)), 1);
      // A purged digest can be remembered again (its proof is too old to pass the iat check anyway).
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('expired', T0 + 3 * MINUTE)), true);
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('expires-now', T0 + 3 * MINUTE)), false, 'kept');
      assert.equal(await store.read((rs) => rs.dpopJtis.remember('live', T0 + 3 * MINUTE)), false, 'kept');
    });
  });
}
