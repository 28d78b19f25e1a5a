// The sign-in throttle's counters: one atomic increment per attempt, fixed windows, take-backs.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TestBackend } from '../backends.ts';
import { MINUTE, T0, concurrently, withFreshStore } from './fixtures.ts';

const WINDOW = 15 * MINUTE;

export function authThrottleContract(backend: TestBackend): void {
  const test = withFreshStore(backend);

  describe('auth throttle', () => {
    test('hit counts attempts per key within the window', async (store) => {
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('ip:192.0.2.1', T0, WINDOW)), { attempts: 1, windowStart: T0 });
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('ip:192.0.2.1', T0 + MINUTE, WINDOW)), { attempts: 2, windowStart: T0 });
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('ip:192.0.2.2', T0 + MINUTE, WINDOW)), { attempts: 1, windowStart: T0 + MINUTE });
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('ip:192.0.2.1', T0 + WINDOW - 1, WINDOW)), { attempts: 3, windowStart: T0 });
    });

    test('a window that has run out starts again at 1', async (store) => {
      await store.read((rs) => rs.authThrottle.hit('k', T0, WINDOW));
      await store.read((rs) => rs.authThrottle.hit('k', T0 + 1, WINDOW));
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('k', T0 + WINDOW, WINDOW)), { attempts: 1, windowStart: T0 + WINDOW });
      assert.deepEqual(await store.read((rs) => rs.authThrottle.hit('k', T0 + WINDOW + 1, WINDOW)), { attempts: 2, windowStart: T0 + WINDOW });
    });

    test('20 concurrent hits on one key each get a distinct count, 1 to 20', async (store) => {
      const counts = await concurrently(20, () => store.read((rs) => rs.authThrottle.hit('password:alice', T0, WINDOW)));
      assert.deepEqual(counts.map((c) => c.attempts).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.ok(counts.every((c) => c.windowStart === T0));
    });

    test('undo takes one attempt back, only in the window it was counted in, never below 0', async (store) => {
      await store.read((rs) => rs.authThrottle.hit('k', T0, WINDOW));
      await store.read((rs) => rs.authThrottle.hit('k', T0, WINDOW));
      await store.read((rs) => rs.authThrottle.undo('k', T0));
      assert.equal((await store.read((rs) => rs.authThrottle.hit('k', T0 + 1, WINDOW))).attempts, 2);
      await store.read((rs) => rs.authThrottle.undo('k', T0 - 1));
      assert.equal((await store.read((rs) => rs.authThrottle.hit('k', T0 + 2, WINDOW))).attempts, 3, 'another window: untouched');
      for (let i = 0; i < 5; i++) await store.read((rs) => rs.authThrottle.undo('k', T0));
      assert.equal((await store.read((rs) => rs.authThrottle.hit('k', T0 + 3, WINDOW))).attempts, 1);
      await store.read((rs) => rs.authThrottle.undo('unknown', T0));
    });

    test('purgeExpired drops counters whose window began before the instant', async (store) => {
      await store.read((rs) => rs.authThrottle.hit('old', T0, WINDOW));
      await store.read((rs) => rs.authThrottle.hit('new', T0 + WINDOW, WINDOW));
      assert.equal(await store.read((rs) => rs.authThrottle.purgeExpired(T0 + WINDOW)), 1);
      assert.equal((await store.read((rs) => rs.authThrottle.hit('old', T0 + WINDOW, WINDOW))).attempts, 1);
      assert.equal((await store.read((rs) => rs.authThrottle.hit('new', T0 + WINDOW, WINDOW))).attempts, 2);
    });
  });
}
