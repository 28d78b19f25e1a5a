// Transactions: all of `work` commits or none of it, and refresh rotation inside one has one winner.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Store } from '../store.ts';
import type { TestBackend } from '../test-backends.ts';
import { HOUR, T0, auditEvent, barrier, concurrently, loginSession, refreshToken, seedAccount, seedLoginSession, withFreshStore } from './fixtures.ts';

const NOW = T0 + HOUR;

async function nothingOf(store: Store, ids: { session: string; token: string }): Promise<void> {
  assert.equal(await store.loginSessions.find(ids.session), undefined, 'login session rolled back');
  assert.equal(await store.loginSessions.findRefreshToken(ids.token), undefined, 'refresh token rolled back');
  assert.deepEqual(await store.audit.list({}), [], 'audit event rolled back');
}

export function transactionsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('transactions', () => {
    test('a throw inside rolls back every write made in it, and the error comes out unchanged', async (store) => {
      const { users } = await seedAccount(store);
      const failure = new Error('step three failed');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.loginSessions.create(loginSession('login-1', users[0]!));
          await tx.loginSessions.insertRefreshToken(refreshToken('rt-0', 'login-1'));
          await tx.audit.append(auditEvent('event-1'));
          throw failure;
        }),
        (error) => error === failure,
      );
      await nothingOf(store, { session: 'login-1', token: 'rt-0' });
      // The connection is not left inside a transaction: later writes commit as usual.
      await store.loginSessions.create(loginSession('login-2', users[0]!));
      assert.ok(await store.loginSessions.find('login-2'));
    });

    test('a failing statement inside rolls back the writes before it', async (store) => {
      const { users } = await seedAccount(store);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.loginSessions.create(loginSession('login-1', users[0]!));
          await tx.loginSessions.insertRefreshToken(refreshToken('rt-0', 'login-1'));
          await tx.audit.append(auditEvent('event-1'));
          await tx.audit.append(auditEvent('event-1')); // event_id is unique
        }),
      );
      await nothingOf(store, { session: 'login-1', token: 'rt-0' });
    });

    test("writes made through tx's repositories are all visible after commit, and the result is returned", async (store) => {
      const { users } = await seedAccount(store);
      const result = await store.transaction(async (tx) => {
        await tx.loginSessions.create(loginSession('login-1', users[0]!));
        await tx.loginSessions.insertRefreshToken(refreshToken('rt-0', 'login-1'));
        await tx.audit.append(auditEvent('event-1'));
        // Reads inside see the transaction's own writes.
        return (await tx.loginSessions.find('login-1'))?.id;
      });
      assert.equal(result, 'login-1');
      assert.deepEqual(await store.loginSessions.find('login-1'), loginSession('login-1', users[0]!));
      assert.ok(await store.loginSessions.findRefreshToken('rt-0'));
      assert.deepEqual(
        (await store.audit.list({})).map((event) => event.event_id),
        ['event-1'],
      );
    });

    test('10 concurrent rotations of one refresh token, each in a transaction: exactly one successor', async (store) => {
      const { session } = await seedLoginSession(store, 'rt-0');
      // PostgreSQL runs the ten side by side; SQLite runs one write transaction at a time (BEGIN
      // IMMEDIATE on its one connection), so there a transaction has nobody to wait for.
      const allHaveRead = barrier(store.dialect === 'postgres' ? 10 : 1);
      const rotated = await concurrently(10, (i) =>
        store.transaction(async (tx) => {
          // What the refresh grant does: read, consume conditionally, then issue the successor.
          if (!(await tx.loginSessions.findRefreshToken('rt-0'))) return false;
          await allHaveRead();
          if (!(await tx.loginSessions.consumeRefreshToken('rt-0', NOW + i, `reply-${i}`))) return false;
          await tx.loginSessions.insertRefreshToken(refreshToken(`rt-1-${i}`, session.id, { created_at: NOW + i }));
          return true;
        }),
      );
      assert.equal(rotated.filter(Boolean).length, 1);
      const winner = rotated.indexOf(true);
      const successors = await concurrently(10, (i) => store.loginSessions.findRefreshToken(`rt-1-${i}`));
      assert.deepEqual(
        successors.flatMap((token) => (token ? [token.digest] : [])),
        [`rt-1-${winner}`],
      );
      assert.equal((await store.loginSessions.findRefreshToken('rt-0'))?.replay_sealed, `reply-${winner}`);
    });
  });
}
