// Timing: warm up by time (so the JIT settles), then the median of several timed batches.
const now = () => performance.now();

/** Milliseconds per call of `fn`: the median over `batches` batches of at least `minBatchMs` each. */
export function measure(fn, { warmupMs = 300, minBatchMs = 30, batches = 7 } = {}) {
  const start = now();
  let calls = 0;
  while (calls < 3 || now() - start < warmupMs) {
    fn();
    calls++;
  }
  const perCall = (now() - start) / calls;
  const k = Math.max(1, Math.ceil(minBatchMs / perCall));
  const times = [];
  for (let b = 0; b < batches; b++) {
    const t0 = now();
    for (let i = 0; i < k; i++) fn();
    times.push((now() - t0) / k);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/**
 * One peer's results: `workload(name, fn)` runs a workload, and a peer that cannot do it reports
 * why while the others still run; `print()` writes the one JSON line the runner reads.
 */
export function reporter() {
  const results = {};
  return {
    results,
    workload(name, fn) {
      try {
        fn();
      } catch (e) {
        results[name] = { error: String(e.message ?? e).split('\n')[0] };
      }
    },
    print: () => console.log(JSON.stringify(results)),
  };
}
