// Console sessions: several per browser, each found only with that browser's cookie digest.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Store } from '../../store/store.ts';
import type { TestBackend } from '../backends.ts';
import { BROWSER, HOUR, MINUTE, OTHER_BROWSER, T0, barrier, concurrently, consoleSession, seedAccount, withFreshStore } from './fixtures.ts';

const NOW = T0 + HOUR;

/** Four sessions of BROWSER (two active, one ended, one expired at NOW) and one of another browser. */
async function seedSessions(store: Store): Promise<void> {
  const { root, users } = await seedAccount(store, ['alice', 'bob']);
  const [alice, bob] = users;
  for (const session of [
    consoleSession('newer', bob!, { created_at: T0 + 2 * MINUTE }),
    consoleSession('older', alice!, { created_at: T0 + MINUTE }),
    consoleSession('ended', root, { ended_at: T0 + 30 * MINUTE }),
    consoleSession('expired', root, { expires_at: NOW }),
    consoleSession('elsewhere', root, { browser_digest: OTHER_BROWSER }),
  ]) {
    await store.read((rs) => rs.consoleSessions.create(session));
  }
}

const ids = (rows: Array<{ id: string }>): string[] => rows.map((row) => row.id);

export function consoleSessionsContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('console sessions', () => {
    test("listActive: this browser's sessions neither ended nor expired (expires_at = now is expired), oldest first", async (store) => {
      await seedSessions(store);
      const active = await store.read((rs) => rs.consoleSessions.listActive(BROWSER, NOW));
      assert.deepEqual(ids(active), ['older', 'newer']);
      assert.equal(active[0]?.created_at, T0 + MINUTE);
      assert.deepEqual(ids(await store.read((rs) => rs.consoleSessions.listActive(OTHER_BROWSER, NOW))), ['elsewhere']);
      assert.deepEqual(await store.read((rs) => rs.consoleSessions.listActive('unknown-browser', NOW)), []);
    });

    test('findActive needs the right browser digest and an active session', async (store) => {
      await seedSessions(store);
      assert.equal((await store.read((rs) => rs.consoleSessions.findActive('older', BROWSER, NOW)))?.principal_id, 'AIDA111122223333ALICE');
      assert.equal(await store.read((rs) => rs.consoleSessions.findActive('older', OTHER_BROWSER, NOW)), undefined);
      assert.equal(await store.read((rs) => rs.consoleSessions.findActive('ended', BROWSER, NOW)), undefined);
      assert.equal(await store.read((rs) => rs.consoleSessions.findActive('expired', BROWSER, NOW)), undefined);
      assert.equal((await store.read((rs) => rs.consoleSessions.findActive('expired', BROWSER, NOW - 1)))?.id, 'expired', 'active until its last millisecond');
    });

    test('findActiveById ignores the browser but not ending or expiry', async (store) => {
      await seedSessions(store);
      assert.equal((await store.read((rs) => rs.consoleSessions.findActiveById('elsewhere', NOW)))?.browser_digest, OTHER_BROWSER);
      assert.equal(await store.read((rs) => rs.consoleSessions.findActiveById('ended', NOW)), undefined);
      assert.equal(await store.read((rs) => rs.consoleSessions.findActiveById('expired', NOW)), undefined);
      assert.equal(await store.read((rs) => rs.consoleSessions.findActiveById('unknown', NOW)), undefined);
    });

    test('end one: returns the ended row, once; other sessions stay active', async (store) => {
      await seedSessions(store);
      const ended = await store.read((rs) => rs.consoleSessions.end(BROWSER, 'older', NOW));
      assert.deepEqual(ids(ended), ['older']);
      assert.equal(ended[0]?.ended_at, NOW);
      assert.deepEqual(await store.read((rs) => rs.consoleSessions.end(BROWSER, 'older', NOW + 1)), [], 'already ended');
      assert.deepEqual(await store.read((rs) => rs.consoleSessions.end(OTHER_BROWSER, 'newer', NOW)), [], "another browser's cookie cannot end it");
      assert.deepEqual(ids(await store.read((rs) => rs.consoleSessions.listActive(BROWSER, NOW))), ['newer']);
    });

    test("end all: ends every not-yet-ended session of this browser and returns them; others' untouched", async (store) => {
      await seedSessions(store);
      const ended = await store.read((rs) => rs.consoleSessions.end(BROWSER, undefined, NOW));
      // Expired-but-not-ended sessions are ended too; the already-ended one keeps its time.
      assert.deepEqual(ids(ended).sort(), ['expired', 'newer', 'older']);
      assert.ok(ended.every((session) => session.ended_at === NOW));
      assert.deepEqual(await store.read((rs) => rs.consoleSessions.listActive(BROWSER, NOW)), []);
      assert.deepEqual(ids(await store.read((rs) => rs.consoleSessions.listActive(OTHER_BROWSER, NOW))), ['elsewhere']);
      assert.deepEqual(await store.read((rs) => rs.consoleSessions.end(BROWSER, undefined, NOW + 1)), []);
    });
  });
}

/**
 * The five-session limit under concurrency: what openConsoleSession does, in every transaction —
 * lock the browser, count, insert below the limit. Ten tabs at once leave exactly five sessions.
 */
export function consoleSessionLimitContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('console session limit', () => {
    test('10 concurrent lock-count-insert transactions on one browser: exactly 5 sessions', async (store) => {
      const { users } = await seedAccount(store, ['alice']);
      const alice = users[0]!;
      // Everyone has begun before anyone locks: the interleaving that breaks count-then-insert.
      const allStarted = barrier(store.dialect === 'postgres' ? 10 : 1);
      const created = await concurrently(10, (i) =>
        store.transaction(async (tx) => {
          await allStarted();
          await tx.consoleSessions.lockBrowser(BROWSER, NOW);
          if ((await tx.consoleSessions.listActive(BROWSER, NOW)).length >= 5) return false;
          await tx.consoleSessions.create(consoleSession(`tab-${i}`, alice, { created_at: NOW + i }));
          return true;
        }),
      );
      assert.equal(created.filter(Boolean).length, 5);
      assert.equal((await store.read((rs) => rs.consoleSessions.listActive(BROWSER, NOW))).length, 5);
    });

    test('lockBrowser on another browser does not wait for this one', async (store) => {
      // Another request locks the other browser while this transaction holds its lock: a second
      // connection (PostgreSQL) or none needed (SQLite serialises), and it must not deadlock.
      let locked = () => {};
      const holding = new Promise<void>((resolve) => (locked = resolve));
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        await tx.consoleSessions.lockBrowser(BROWSER, NOW);
        locked();
        await released;
      });
      await holding;
      if (store.dialect === 'postgres') await store.read((rs) => rs.consoleSessions.lockBrowser(OTHER_BROWSER, NOW));
      release();
      await first;
      await store.read((rs) => rs.consoleSessions.lockBrowser(BROWSER, NOW + 1));
    });
  });
}
