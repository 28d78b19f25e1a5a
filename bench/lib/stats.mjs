// Latency statistics computed exactly from every sample (no histogram buckets, no sampling).

/** A growable Float64Array of latencies in milliseconds. */
export class Samples {
  constructor(capacity = 1 << 16) {
    this.values = new Float64Array(capacity);
    this.count = 0;
  }

  add(value) {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** The recorded values, sorted ascending (a copy). */
  sorted() {
    return this.values.slice(0, this.count).sort();
  }
}

/** Nearest-rank percentile (the smallest sample with at least p% of samples at or below it). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** @param {Samples} samples */
export function summarize(samples) {
  const sorted = samples.sorted();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}
