// Transactions: all of `work` commits or none of it, and refresh rotation inside one has one winner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore, TransactionMisuse, type Principal, type Repos, type Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { HOUR, T0, auditEvent, barrier, concurrently, credential, loginSession, refreshToken, seedAccount, seedLoginSession, withFreshStore } from './fixtures.ts';

const NOW = T0 + HOUR;

async function nothingOf(store: Store, ids: { session: string; token: string }): Promise<void> {
  assert.equal(await store.read((rs) => rs.loginSessions.find(ids.session)), undefined, 'login session rolled back');
  assert.equal(await store.read((rs) => rs.loginSessions.findRefreshToken(ids.token)), undefined, 'refresh token rolled back');
  assert.deepEqual(await store.read((rs) => rs.audit.list({})), [], 'audit event rolled back');
}

/** Three writes to three tables, which `nothingOf` finds none of once they roll back. */
async function writeThree(tx: Repos, user: Principal): Promise<void> {
  await tx.loginSessions.create(loginSession('login-1', user));
  await tx.loginSessions.insertRefreshToken(refreshToken('rt-0', 'login-1'));
  await tx.audit.append(auditEvent('event-1'));
}

/** Two stores on one fresh database, as two server workers have them. */
async function withTwoStores(backend: TestBackend, body: (first: Store, second: Store) => Promise<void>): Promise<void> {
  const database = await backend.create();
  try {
    const [first, second] = [await openStore(database.location), await openStore(database.location)];
    try {
      await body(first, second);
    } finally {
      await first.close();
      await second.close();
    }
  } finally {
    await database.drop();
  }
}

export function transactionsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('transactions', () => {
    test("using the store's own repository inside a transaction throws instead of hanging, and nothing of the work commits", async (store) => {
      const { users } = await seedAccount(store);
      await assert.rejects(
        store.transaction(async (tx) => {
          await writeThree(tx, users[0]!);
          // On SQLite this waited for the connection the transaction holds: it never returned.
          return store.read((rs) => rs.loginSessions.find('login-1'));
        }),
        TransactionMisuse,
      );
      await nothingOf(store, { session: 'login-1', token: 'rt-0' });
      // Outside a transaction the store's repositories serve as ever.
      await store.read((rs) => rs.loginSessions.create(loginSession('login-2', users[0]!)));
      assert.ok(await store.read((rs) => rs.loginSessions.find('login-2')));
    });

    test('a transaction begun inside a transaction throws instead of hanging, and the outer one rolls back', async (store) => {
      const { users } = await seedAccount(store);
      await assert.rejects(
        store.transaction(async (tx) => {
          await writeThree(tx, users[0]!);
          // On SQLite the inner one queued behind the commit of the group it was called from.
          await store.transaction((inner) => inner.loginSessions.find('login-1'));
        }),
        TransactionMisuse,
      );
      await nothingOf(store, { session: 'login-1', token: 'rt-0' });
      assert.equal(await store.transaction((tx) => tx.loginSessions.find('login-1')), undefined, 'a transaction after it runs as usual');
    });

    test('a throw inside rolls back every write made in it, and the error comes out unchanged', async (store) => {
      const { users } = await seedAccount(store);
      const failure = new Error('step three failed');
      await assert.rejects(
        store.transaction(async (tx) => {
          await writeThree(tx, users[0]!);
          throw failure;
        }),
        (error) => error === failure,
      );
      await nothingOf(store, { session: 'login-1', token: 'rt-0' });
      // The connection is not left inside a transaction: later writes commit as usual.
      await store.read((rs) => rs.loginSessions.create(loginSession('login-2', users[0]!)));
      assert.ok(await store.read((rs) => rs.loginSessions.find('login-2')));
    });

    test('a failing statement inside rolls back the writes before it', async (store) => {
      const { users } = await seedAccount(store);
      await assert.rejects(
        store.transaction(async (tx) => {
          await writeThree(tx, users[0]!);
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
      assert.deepEqual(await store.read((rs) => rs.loginSessions.find('login-1')), loginSession('login-1', users[0]!));
      assert.ok(await store.read((rs) => rs.loginSessions.findRefreshToken('rt-0')));
      assert.deepEqual(
        (await store.read((rs) => rs.audit.list({}))).map((event) => event.event_id),
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
          // What the refresh grant does: read, then rotate (consume conditionally, and only then issue the successor).
          if (!(await tx.loginSessions.findRefreshToken('rt-0'))) return false;
          await allHaveRead();
          const key = `ASIATX${String(i).padStart(14, '0')}`;
          return tx.loginSessions.rotate({ digest: 'rt-0', now: NOW + i, replaySealed: `reply-${i}`, successorDigest: `rt-1-${i}`, credential: credential(key, session.id, { issued_at: NOW + i }) });
        }),
      );
      assert.equal(rotated.filter(Boolean).length, 1);
      const winner = rotated.indexOf(true);
      const successors = await concurrently(10, (i) => store.read((rs) => rs.loginSessions.findRefreshToken(`rt-1-${i}`)));
      assert.deepEqual(
        successors.flatMap((token) => (token ? [token.digest] : [])),
        [`rt-1-${winner}`],
      );
      assert.equal((await store.read((rs) => rs.loginSessions.findRefreshToken('rt-0')))?.replay_sealed, `reply-${winner}`);
    });

    // SQLite commits concurrent transactions together (sqlite-group-commit.ts): each must still
    // stand or fall alone, and its caller get its own result or its own error.
    test('20 concurrent transactions, every third throwing after its writes: exactly the others commit', async (store) => {
      const { users } = await seedAccount(store);
      const failures = new Map<number, Error>();
      const outcomes = await concurrently(20, (i) =>
        store
          .transaction(async (tx) => {
            await tx.loginSessions.create(loginSession(`login-${i}`, users[0]!));
            await tx.audit.append(auditEvent(`event-${i}`));
            if (i % 3 === 0) {
              failures.set(i, new Error(`work ${i} failed`));
              throw failures.get(i);
            }
            return `result-${i}`;
          })
          .catch((error: unknown) => error),
      );
      outcomes.forEach((outcome, i) => assert.equal(outcome, i % 3 === 0 ? failures.get(i) : `result-${i}`, `outcome of work ${i}`));
      const committed = (await store.read((rs) => rs.audit.list({}))).map((event) => event.event_id).sort();
      const expected = Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 3 !== 0);
      assert.deepEqual(committed, expected.map((i) => `event-${i}`).sort());
      for (let i = 0; i < 20; i++) assert.equal((await store.read((rs) => rs.loginSessions.find(`login-${i}`))) !== undefined, i % 3 !== 0, `login-${i}`);
    });

    test('a statement failing in one of several concurrent transactions leaves the others committed', async (store) => {
      const { users } = await seedAccount(store);
      await store.read((rs) => rs.audit.append(auditEvent('taken')));
      const outcomes = await concurrently(5, (i) =>
        store
          .transaction(async (tx) => {
            await tx.loginSessions.create(loginSession(`login-${i}`, users[0]!));
            await tx.audit.append(auditEvent(i === 2 ? 'taken' : `event-${i}`)); // event_id is unique
            return true;
          })
          .catch(() => false),
      );
      assert.deepEqual(outcomes, [true, true, false, true, true]);
      assert.equal(await store.read((rs) => rs.loginSessions.find('login-2')), undefined, 'the failed one rolled back');
      assert.ok(await store.read((rs) => rs.loginSessions.find('login-4')), 'the one after it committed');
    });
  });

  // Two server workers are two stores on one database; on SQLite they take turns at its write lock.
  it('two stores on one database, writing concurrently: every transaction of both commits', () =>
    withTwoStores(backend, async (first, second) => {
      const { users } = await seedAccount(first);
      const write = (store: Store, name: string) =>
        store.transaction(async (tx) => {
          await tx.loginSessions.create(loginSession(name, users[0]!));
          await tx.audit.append(auditEvent(`event-${name}`));
        });
      await concurrently(100, (i) => write(i % 2 ? first : second, `login-${i}`));
      const found = await concurrently(100, (i) => second.read((rs) => rs.loginSessions.find(`login-${i}`)));
      assert.equal(found.filter(Boolean).length, 100);
    }));

  // SQLite's own busy handler would sleep the whole process while the other worker commits; in
  // one process (as here) it could never see that commit and would fail after its 5 s timeout.
  it('a transaction waits for another store holding the write lock, and the event loop keeps running', () =>
    withTwoStores(backend, async (first, second) => {
      const { users } = await seedAccount(first);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const slow = first.transaction(async (tx) => {
        await tx.loginSessions.create(loginSession('login-slow', users[0]!));
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const started = Date.now();
      await second.transaction((tx) => tx.loginSessions.create(loginSession('login-waiting', users[0]!)));
      await slow;
      clearInterval(ticker);
      assert.ok(Date.now() - started < 2_000, 'the waiting transaction committed soon after the slow one');
      assert.ok(ticks >= 20, `timers kept firing while it waited (${ticks} ticks)`);
      assert.ok(await first.read((rs) => rs.loginSessions.find('login-waiting')));
      assert.ok(await second.read((rs) => rs.loginSessions.find('login-slow')));
    }));
}
