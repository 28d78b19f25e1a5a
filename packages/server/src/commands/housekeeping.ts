import { THROTTLE_WINDOW_MS } from '../console/throttle.ts';
import type { Store } from '../store/store.ts';

/** How long audit events stay in the database, and whether they must be exported before they go. */
export interface AuditRetention {
  days: number;
  exportFirst: boolean;
}

/**
 * Drops expired jtis, codes, throttle windows, federated sign-in requests and the marks of renewed browser cookies every minute; nothing correct depends on it, only
 * table size. With `audit`, also audit events past the retention period — never one not yet in a
 * written log file when export is on.
 */
export function startHousekeeping(store: Store, now: () => number = Date.now, audit?: AuditRetention): () => void {
  const timer = setInterval(() => {
    const at = now();
    void Promise.all([
      store.dpopJtis.purgeExpired(at),
      store.authCodes.purgeExpired(at - 24 * 3600_000),
      store.authThrottle.purgeExpired(at - THROTTLE_WINDOW_MS),
      store.federation.purgeExpiredRequests(at),
      store.consoleSessions.purgeRenewedBrowsers(at - 24 * 3600_000),
      audit && store.audit.purgeBefore(at - audit.days * 24 * 3600_000, { exportedOnly: audit.exportFirst }),
    ]).catch(() => {});
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
