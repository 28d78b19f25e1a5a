// The audit indexer: copies journaled events into audit_lookup, a few hundred per transaction,
// so that each lookup index is written once per batch rather than once per refresh (migration
// 0004 says why). It runs in the background every second, and before every lookup and export,
// so a lookup never misses an event that committed before it began.
import type { Store } from '../store/store.ts';

/** Events per indexing transaction: short enough that a refresh waiting for the lock barely notices. */
export const INDEX_BATCH = 500;
export const INDEX_INTERVAL_MS = 1000;

/** Indexes what is queued, batch by batch, at most `maxBatches` of them. Returns how many events. */
export async function indexPending(store: Pick<Store, 'read' | 'transaction'>, maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    if (!(await store.read((rs) => rs.audit.hasUnindexed()))) break;
    const indexed = await store.transaction((tx) => tx.audit.indexQueued(INDEX_BATCH));
    total += indexed;
    if (indexed < INDEX_BATCH) break;
    // Let the requests queued behind the write lock in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

/** Indexes every `intervalMs`; returns the function that stops it. */
export function startIndexer(store: Pick<Store, 'read' | 'transaction'>, onError: (error: unknown) => void, intervalMs = INDEX_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    indexPending(store)
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
