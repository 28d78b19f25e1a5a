// SQLite's grouped commits: transactions of one event-loop turn share one commit, run in order,
// each seeing the writes of those before it, and none is answered before that commit.
// (That each still stands or falls alone is in the store contract: testing/store-contract/transactions.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../testing/backends.ts';
import { loginSession, seedAccount } from '../testing/store-contract/fixtures.ts';

const sqlite = backends().find((backend) => backend.name === 'sqlite')!;

describe('SQLite group commit', () => {
  it('transactions begun in one turn run in order in one commit: none resolves before the last has run', async () => {
    const store = await sqlite.open();
    try {
      const { users } = await seedAccount(store);
      const resolved: number[] = [];
      const seen: boolean[] = [];
      const calls = [0, 1, 2, 3].map((i) =>
        store
          .transaction(async (tx) => {
            // The writes of the transactions before this one are visible: they ran first, in the same transaction.
            seen.push(i === 0 || (await tx.loginSessions.find(`login-${i - 1}`)) !== undefined);
            await tx.loginSessions.create(loginSession(`login-${i}`, users[0]!));
            return i;
          })
          .then((value) => {
            resolved.push(value);
            // Each caller is answered only once every work of the group has run (and committed).
            assert.equal(seen.length, 4, `transaction ${value} resolved after all four ran`);
            return value;
          }),
      );
      assert.deepEqual(await Promise.all(calls), [0, 1, 2, 3]);
      assert.deepEqual(seen, [true, true, true, true]);
      assert.deepEqual(resolved, [0, 1, 2, 3]);
    } finally {
      await store.close();
    }
  });

  it('a transaction begun while a group runs waits for the next group, and sees the first group committed', async () => {
    const store = await sqlite.open();
    try {
      const { users } = await seedAccount(store);
      // The second is begun by another request while the first group runs (begun inside the
      // first's work, it would be refused: testing/store-contract/transactions.ts).
      let started = () => {};
      const running = new Promise<void>((resolve) => (started = resolve));
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        await tx.loginSessions.create(loginSession('login-first', users[0]!));
        started();
        await released;
      });
      await running;
      const later = store.transaction(async (tx2) => (await tx2.loginSessions.find('login-first')) !== undefined);
      release();
      await first;
      assert.equal(await later, true);
    } finally {
      await store.close();
    }
  });
});
