// Installation settings (set once, by whichever instance gets there first) and signing keys.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { HOUR, T0, concurrently, signingKey, withFreshStore } from './fixtures.ts';

export function settingsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('settings', () => {
    test('insertIfAbsent sets a key once; later values are refused and the first stays', async (store) => {
      assert.equal(await store.read((rs) => rs.settings.get('issuer')), undefined);
      assert.equal(await store.read((rs) => rs.settings.insertIfAbsent('issuer', 'first')), true);
      assert.equal(await store.read((rs) => rs.settings.insertIfAbsent('issuer', 'second')), false);
      assert.equal(await store.read((rs) => rs.settings.get('issuer')), 'first');
    });

    test('10 concurrent insertIfAbsent of one key: exactly one true, and its value is stored', async (store) => {
      const results = await concurrently(10, (i) => store.read((rs) => rs.settings.insertIfAbsent('issuer', `value-${i}`)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.read((rs) => rs.settings.get('issuer')), `value-${results.indexOf(true)}`);
    });

    test('signing keys: read back exactly as inserted, newest first; a kid is unique', async (store) => {
      const keys = [signingKey('kid-old', T0), signingKey('kid-new', T0 + 2 * HOUR), signingKey('kid-mid', T0 + HOUR)];
      for (const key of keys) await store.read((rs) => rs.settings.insertSigningKey(key));
      assert.deepEqual(await store.read((rs) => rs.settings.listSigningKeys()), [keys[1], keys[2], keys[0]]);
      await assert.rejects(store.read((rs) => rs.settings.insertSigningKey(signingKey('kid-old', T0 + 3 * HOUR))));
    });
  });
}
