import { THROTTLE_WINDOW_MS } from './console/throttle.ts';
import type { Clock } from './clock.ts';
import type { Store } from './store/store.ts';

/** How long audit events stay in the database, and whether they must be exported before they go. */
export interface AuditRetention {
  days: number;
  exportFirst: boolean;
}

/**
 * Drops expired jtis, codes, throttle windows and federated sign-in requests every minute; nothing correct depends on it, only
 * table size. With `audit`, also audit events past the retention period — never one not yet in a
 * written log file when export is on.
 */
export function startHousekeeping(store: Store, clock: Clock, audit?: AuditRetention): () => void {
  const timer = setInterval(() => {
    const at = clock.now();
    void Promise.all([
      store.read((rs) => rs.dpopJtis.purgeExpired(at)),
      store.read((rs) => rs.authCodes.purgeExpired(at - 24 * 3600_000)),
      store.read((rs) => rs.authThrottle.purgeExpired(at - THROTTLE_WINDOW_MS)),
      store.read((rs) => rs.federation.purgeExpiredRequests(at)),
      audit && store.read((rs) => rs.audit.purgeBefore(at - audit.days * 24 * 3600_000, { exportedOnly: audit.exportFirst })),
    ]).catch(() => {});
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
