// Authorization codes: single-use by one conditional write (RFC 6749 §4.1.2, RFC 6819 §5.1.5.4).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { MINUTE, T0, authCode, concurrently, consoleSession, seedAccount, withFreshStore } from './fixtures.ts';

const NOW = T0 + MINUTE;

async function seedCode(store: Store, digest = 'code-digest') {
  const { users } = await seedAccount(store);
  const session = consoleSession('console-1', users[0]!);
  await store.read((rs) => rs.consoleSessions.create(session));
  const code = authCode(digest, session);
  await store.read((rs) => rs.authCodes.create(code));
  return { session, code };
}

export function authCodesContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('auth codes', () => {
    test('find returns the code exactly as written; unknown → undefined', async (store) => {
      const { code } = await seedCode(store);
      assert.deepEqual(await store.read((rs) => rs.authCodes.find(code.digest)), code);
      assert.equal(await store.read((rs) => rs.authCodes.find('unknown')), undefined);
    });

    test('consume returns the row marked consumed, then never again', async (store) => {
      const { code } = await seedCode(store);
      assert.deepEqual(await store.read((rs) => rs.authCodes.consume(code.digest, NOW)), { ...code, consumed_at: NOW });
      assert.equal(await store.read((rs) => rs.authCodes.consume(code.digest, NOW + 1)), undefined);
      assert.equal((await store.read((rs) => rs.authCodes.find(code.digest)))?.consumed_at, NOW, 'the first consumption time stays');
      assert.equal(await store.read((rs) => rs.authCodes.consume('unknown', NOW)), undefined);
    });

    test('20 concurrent consumes of one code: exactly one gets the row', async (store) => {
      const { code } = await seedCode(store);
      const results = await concurrently(20, (i) => store.read((rs) => rs.authCodes.consume(code.digest, NOW + i)));
      const winners = results.filter((row) => row !== undefined);
      assert.equal(winners.length, 1);
      assert.equal((await store.read((rs) => rs.authCodes.find(code.digest)))?.consumed_at, winners[0]?.consumed_at);
    });

    test('recordRedemption remembers the login session the code bought', async (store) => {
      const { code } = await seedCode(store);
      await store.read((rs) => rs.authCodes.consume(code.digest, NOW));
      await store.read((rs) => rs.authCodes.recordRedemption(code.digest, 'login-1'));
      assert.deepEqual(await store.read((rs) => rs.authCodes.find(code.digest)), { ...code, consumed_at: NOW, login_session_id: 'login-1' });
    });

    test('purgeExpired deletes codes that expired before the instant, and counts them', async (store) => {
      const { session } = await seedCode(store, 'expires-at-T0+5m');
      await store.read((rs) => rs.authCodes.create(authCode('expired', session, { expires_at: T0 + MINUTE })));
      await store.read((rs) => rs.authCodes.create(authCode('expired-and-used', session, { expires_at: T0 + 2 * MINUTE, consumed_at: T0 })));
      assert.equal(await store.read((rs) => rs.authCodes.purgeExpired(T0 + 5 * MINUTE)), 2);
      assert.equal(await store.read((rs) => rs.authCodes.find('expired')), undefined);
      assert.equal(await store.read((rs) => rs.authCodes.find('expired-and-used')), undefined);
      assert.ok(await store.read((rs) => rs.authCodes.find('expires-at-T0+5m')), 'expires_at equal to the instant is kept');
      assert.equal(await store.read((rs) => rs.authCodes.purgeExpired(T0 + 5 * MINUTE)), 0);
    });
  });
}
