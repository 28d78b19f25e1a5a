// Concurrent callers share one run of `task`: when ten requests reach serve-credentials at the
// moment a refresh is due, one refresh runs and all ten get its result. The next call after it
// settles starts afresh (nothing is cached here; load-credentials reads the cache file).
export function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () =>
    (running ??= task().finally(() => {
      running = undefined;
    }));
}
