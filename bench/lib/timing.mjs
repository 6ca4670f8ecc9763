// Timing: warm up by time (so the JIT settles), then the median of several timed batches.
const now = () => performance.now();

/**
 * Thrown when a variant's first call is so slow it cannot be the peer's fastest: the runner passes
 * BENCH_CUTOFF_MS (3× the best variant's median so far plus 2 s, generous enough for a jit's first
 * compile), and a slower first call ends the run with its one time instead of minutes of batches.
 */
export class Screened extends Error {
  constructor(ms) {
    super(`screened out: first call ${ms.toFixed(0)} ms`);
    this.ms = ms;
  }
}

const cutoff = () => Number(process.env.BENCH_CUTOFF_MS) || Infinity;

/** Calls `fn` once and returns its result, throwing `Screened` when it took longer than the cutoff. */
export function screen(fn) {
  const t0 = now();
  const out = fn();
  const ms = now() - t0;
  if (ms > cutoff()) throw new Screened(ms);
  return out;
}

/**
 * The training rows' check: the first step's loss and the loss's change after `steps − 1` more
 * updates (which depends on every gradient: a wrong one moves it by far more than float32 noise).
 * The first step is screened; the steps also warm the step up for `measure`.
 */
export function trainingCheck(step, steps) {
  const first = screen(step);
  let last = first;
  for (let s = 1; s < steps; s++) last = step();
  return [first, last - first];
}

/**
 * Milliseconds per call of `fn`: the median over `batches` batches of at least `minBatchMs` each.
 * The warm-up stops after a second whatever its count, and calls over a second get three batches
 * of one call: rows of several seconds a call (TF.js cpu's W7) would otherwise take minutes each.
 */
export function measure(fn, { warmupMs = 300, minBatchMs = 30, batches = 7 } = {}) {
  const start = now();
  screen(fn);
  let calls = 1;
  while (now() - start < 1000 && (calls < 3 || now() - start < warmupMs)) {
    fn();
    calls++;
  }
  const perCall = (now() - start) / calls;
  const k = Math.max(1, Math.ceil(minBatchMs / perCall));
  const n = perCall > 1000 ? Math.min(3, batches) : batches;
  const times = [];
  for (let b = 0; b < n; b++) {
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

/** The peak resident set of this process so far, in MB (`maxRSS` is in KiB on Linux and macOS). */
export const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

/**
 * One peer's results. `workload(name, fn, variants)` declares a row and the idioms ("variants") the
 * peer can run it in; `fn(variant)` runs one and returns `{ ms, check, gflops? }`. A row the peer
 * cannot run by design is declared with `unsupported(name, reason)`. What runs depends on the
 * environment the runner sets:
 * - BENCH_LIST=1: nothing; `print()` lists the rows and their variants (and the process's memory
 *   with the library loaded: the idle baseline).
 * - BENCH_ROW and BENCH_VARIANT: that one variant of that one row, so the process's peak memory is
 *   that workload's.
 * - neither: every selected row (BENCH_ONLY) in every variant, for running a peer by hand.
 * `print()` writes the one JSON line the runner reads: `{ list }` or `{ results: { row: { variant:
 * result } } }`, each with `maxRssMB`.
 */
export function reporter() {
  const listing = process.env.BENCH_LIST === '1';
  const onlyRow = process.env.BENCH_ROW;
  const onlyVariant = process.env.BENCH_VARIANT;
  const list = [];
  const results = {};
  const runOne = (name, variant, fn) => {
    results[name] ??= {};
    try {
      results[name][variant] = fn(variant);
    } catch (e) {
      results[name][variant] =
        e instanceof Screened ? { ms: e.ms, screened: true } : { error: String(e.message ?? e).split('\n')[0] };
    }
  };
  return {
    workload(name, fn, variants = ['']) {
      if (!selected(name)) return;
      if (listing) list.push({ row: name, variants });
      else if (onlyRow === undefined) variants.forEach((v) => runOne(name, v, fn));
      else if (onlyRow === name && variants.includes(onlyVariant ?? '')) runOne(name, onlyVariant ?? '', fn);
    },
    unsupported(name, reason) {
      if (!selected(name)) return;
      if (listing) list.push({ row: name, variants: [], error: reason });
      else if (onlyRow === undefined || onlyRow === name) results[name] = { '': { error: reason } };
    },
    print: () => console.log(JSON.stringify({ ...(listing ? { list } : { results }), maxRssMB: peakRssMB() })),
  };
}
