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
 * Whether the workload filter (`run.mjs --only F1,W5`, passed to the peers as BENCH_ONLY) takes the
 * row `name`: no filter takes every row; an entry takes the row it names and the rows it begins
 * ('W5' takes 'W5', 'W5 nested, persistent' and 'W5 tg.hessian'; 'W4' takes 'W4 512').
 */
export function selected(name, only = process.env.BENCH_ONLY) {
  const picks = (only ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return picks.length === 0 || picks.some((p) => name === p || name.startsWith(`${p} `) || name.startsWith(`${p},`));
}

/**
 * One peer's results: `workload(name, fn)` runs a workload (unless the filter leaves it out), and a
 * peer that cannot do it reports why while the others still run; `print()` writes the one JSON
 * line the runner reads.
 */
export function reporter() {
  const results = {};
  return {
    results,
    workload(name, fn) {
      if (!selected(name)) return;
      try {
        fn();
      } catch (e) {
        results[name] = { error: String(e.message ?? e).split('\n')[0] };
      }
    },
    print: () => console.log(JSON.stringify(results)),
  };
}
