// Reads what a runtime's GET /metrics already exposes (Prometheus text) and turns two scrapes into per-function
// rates: calls/s, error rate, p50 and p99 from the duration histogram's buckets (as Prometheus's histogram_quantile).

export interface Sample { name: string; labels: Record<string, string>; value: number }

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string, prefix = 'wafer_function_'): Sample[] {
  const samples: Sample[] = [];
  for (const row of text.split('\n')) {
    if (!row.startsWith(prefix)) continue;
    const m = line.exec(row);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(label)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return samples;
}

export interface FunctionTotals { calls: number; errors: number; buckets: [number, number][] }

/** Totals since start per "plugin/function". */
export function totals(samples: Sample[]): Map<string, FunctionTotals> {
  const byFunction = new Map<string, FunctionTotals>();
  const get = (s: Sample) => {
    const key = `${s.labels.plugin}/${s.labels.function}`;
    let t = byFunction.get(key);
    if (!t) byFunction.set(key, (t = { calls: 0, errors: 0, buckets: [] }));
    return t;
  };
  for (const s of samples) {
    if (s.name === 'wafer_function_calls_total') {
      const t = get(s);
      t.calls += s.value;
      if (s.labels.outcome !== 'ok') t.errors += s.value;
    } else if (s.name === 'wafer_function_call_duration_seconds_bucket') {
      get(s).buckets.push([s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
    }
  }
  for (const t of byFunction.values()) t.buckets.sort((a, b) => a[0] - b[0]);
  return byFunction;
}

/** The q-quantile of the calls counted by cumulative buckets (upper bound, count), linear within a bucket. */
export function quantile(q: number, buckets: [number, number][]): number | undefined {
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0, lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? bound : lowerBound + (bound - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

export interface FunctionRates { callsPerSecond: number; errorRate: number; p50?: number; p99?: number; calls: number; errors: number }

/** What happened between two scrapes seconds apart. */
export function rates(before: FunctionTotals | undefined, after: FunctionTotals, seconds: number): FunctionRates {
  const calls = after.calls - (before?.calls ?? 0);
  const errors = after.errors - (before?.errors ?? 0);
  const buckets = after.buckets.map(([bound, count], i): [number, number] => [bound, count - (before?.buckets[i]?.[1] ?? 0)]);
  return {
    callsPerSecond: seconds > 0 ? calls / seconds : 0,
    errorRate: calls > 0 ? errors / calls : 0,
    p50: quantile(0.5, buckets),
    p99: quantile(0.99, buckets),
    calls: after.calls,
    errors: after.errors,
  };
}
