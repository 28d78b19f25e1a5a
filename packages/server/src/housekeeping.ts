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
    // Outside a transaction: each purge commits statement by statement, never holding SQLite's write lock for long.
    void store
      .read((rs) =>
        Promise.all([
          rs.dpopJtis.purgeExpired(at),
          rs.authCodes.purgeExpired(at - 24 * 3600_000),
          rs.authThrottle.purgeExpired(at - THROTTLE_WINDOW_MS),
          rs.federation.purgeExpiredRequests(at),
          audit && rs.audit.purgeBefore(at - audit.days * 24 * 3600_000, { exportedOnly: audit.exportFirst }),
        ]),
      )
      .catch(() => {});
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
