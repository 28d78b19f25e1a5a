// The store's revocation count (revocations.ts), on every backend: it moves with each revocation
// or user deletion made through the store, again once the transaction holding it has ended, and
// not for other writes. The credential cache's "at once on this instance" rests on it.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { backends } from '../testing/backends.ts';
import { HOUR, T0, credential, seedLoginSession, withFreshStore } from '../testing/store-contract/fixtures.ts';

for (const backend of backends()) {
  describe(`revocation count (${backend.name})`, { skip: backend.skip }, () => {
    const test = withFreshStore(backend);

    test('moves before and after a revocation, and not for other writes', async (store) => {
      const { session } = await seedLoginSession(store);
      await store.read((rs) => rs.loginSessions.insertCredential(credential('ASIAEXAMPLE0000001', session.id)));
      await store.transaction(async (tx) => tx.loginSessions.insertCredential(credential('ASIAEXAMPLE0000002', session.id)));
      assert.equal(store.revocations.generation, 0, 'inserts and transactions without a revocation leave it alone');
      let during = -1;
      const pending = store.read((rs) => rs.loginSessions.revoke(session.id, 'USER_SIGNED_OUT', T0 + HOUR)).then(() => (during = store.revocations.generation));
      assert.equal(store.revocations.generation, 1, 'moved before the write is sent');
      await pending;
      assert.equal(during, 2, 'and again once it is done');
    });

    test('moves again once the transaction that revoked has committed', async (store) => {
      const { session } = await seedLoginSession(store);
      const inside = await store.transaction(async (tx) => {
        await tx.loginSessions.revoke(session.id, 'USER_SIGNED_OUT', T0 + HOUR);
        return store.revocations.generation;
      });
      assert.ok(store.revocations.generation > inside, `${store.revocations.generation} > ${inside}`);
      assert.equal((await store.read((rs) => rs.loginSessions.find(session.id)))?.revoked_at, T0 + HOUR);
    });

    test('moves when a user is deleted with its credentials', async (store) => {
      const { principal } = await seedLoginSession(store);
      const before = store.revocations.generation;
      assert.equal(await store.transaction((tx) => tx.iamUsers.deleteCascade(principal.id)), true);
      assert.ok(store.revocations.generation > before);
    });
  });
}
