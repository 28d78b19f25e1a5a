import { THROTTLE_WINDOW_MS } from '../console/throttle.ts';
import type { Store } from '../store/store.ts';

/** Drops expired jtis, codes and throttle windows every minute; nothing correct depends on it, only table size. */
export function startHousekeeping(store: Store, now: () => number = Date.now): () => void {
  const timer = setInterval(() => {
    const at = now();
    void Promise.all([
      store.dpopJtis.purgeExpired(at),
      store.authCodes.purgeExpired(at - 24 * 3600_000),
      store.authThrottle.purgeExpired(at - THROTTLE_WINDOW_MS),
    ]).catch(() => {});
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
