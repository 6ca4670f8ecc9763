// A helper thread for large matmuls: in Node, one worker instantiates the kernels module on the
// same shared memory and, when asked, computes the lower half of C's row panels while the calling
// thread computes the upper half (measured: 1.6-1.9x on the kernel, 128x784x256 and 1024^3). The
// call stays synchronous: the caller waits on an Atomics word until the helper is done, so no other
// call can touch the memory meanwhile. Until the helper has started (it starts on the first large
// matmul, in the background), where it cannot start, and with TAPEGRAD_THREADS=1, everything runs on
// the calling thread. A helper that dies ('exit' or 'error') is never asked again, and a job it has
// not picked up is taken back by the caller (the two race for it with one compare-exchange).
import type { KernelsExports } from './wasm/generated';
import { GEMM_TILE_ROWS } from './wasm/generated';
import type { KernelsModule } from './wasm_module';
import { kernelsModule, workerThreads } from './wasm_module';

/** Below this many multiply-adds, waking the helper costs more than it saves. */
const THREAD_MIN_WORK = 1 << 22;

// Slots of the control words (an Int32Array over a SharedArrayBuffer).
const SEQ = 0; // bumped by the caller for each job
const DONE = 1; // set to the job's SEQ by the helper when it is done
const READY = 2; // 1 once the helper has instantiated the module, -1 if it could not
const FAILED = 3; // 1 if a job threw in the helper
const CLAIM = 4; // the last job taken, by the helper or by the caller (compare-exchange from job - 1)
const ARGS = 5; // f64 flag, then the kernel's arguments (as many as gemm_f32 takes)

/** The helper's code (CommonJS, run with eval), sharing the slot numbers above. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const c = new Int32Array(workerData.control);
let ex = null;
try {
  ex = new WebAssembly.Instance(workerData.compiled, { env: { memory: workerData.memory } }).exports;
  Atomics.store(c, ${READY}, 1);
} catch {
  Atomics.store(c, ${READY}, -1);
}
Atomics.notify(c, ${READY});
let seq = 0;
while (ex !== null) {
  Atomics.wait(c, ${SEQ}, seq);
  seq = Atomics.load(c, ${SEQ});
  // the caller may have taken the job back already (it does when the helper is slow to wake)
  if (Atomics.compareExchange(c, ${CLAIM}, seq - 1, seq) !== seq - 1) continue;
  try {
    const args = Array.from({ length: ex.gemm_f32.length }, (_, i) => c[${ARGS} + 1 + i]);
    (c[${ARGS}] ? ex.gemm_f64 : ex.gemm_f32)(...args);
  } catch {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}`;

interface WorkerLike {
  unref(): void;
  on(event: 'error' | 'exit', listener: (e: unknown) => void): void;
  terminate(): Promise<number>;
}
type WorkerClass = new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;

/** The control words once a helper has been asked for; null where none can run. */
let control: Int32Array | null | undefined;
let seq = 0;
/** The helper, while it runs; null once it has exited or failed (it is then never asked again). */
let helperWorker: WorkerLike | null = null;
/** Set once the helper has exited or failed: everything stays on the calling thread for good. */
let dead = false;

/** Marks the helper dead: no later matmul waits for it. */
function markDead(): void {
  dead = true;
  helperWorker = null;
}

/** Starts the helper (once); it reports READY by itself, later. */
function start(mod: KernelsModule): void {
  control = null;
  const Worker = (workerThreads() as { Worker?: WorkerClass } | undefined)?.Worker;
  if (!mod.shared || Worker === undefined) return;
  try {
    const words = new Int32Array(new SharedArrayBuffer(Math.max(64, 4 * (ARGS + 1 + mod.gemm_f32.length))));
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { compiled: mod.compiled, memory: mod.memory, control: words.buffer },
    });
    // the helper must not keep the process alive, and a helper that dies is simply not used
    worker.unref();
    worker.on('error', markDead);
    worker.on('exit', markDead);
    helperWorker = worker;
    control = words;
  } catch {
    control = null;
  }
}

/** The control words when the helper is up and has never failed, else null; asks for it the first time. */
function helper(mod: KernelsModule): Int32Array | null {
  if (control === undefined) start(mod);
  return helperRunning() ? (control as Int32Array) : null;
}

/**
 * Runs the matmul kernel over `mp` row panels of A (each `GEMM_TILE_ROWS·aRowStride` bytes apart in
 * A and `GEMM_TILE_ROWS·cRowStride` in C), splitting them with the helper thread when the work is
 * large enough.
 */
export function runGemm(
  mod: KernelsModule,
  f64: boolean,
  a: number,
  aRowStride: number,
  aColStride: number,
  bp: number,
  c: number,
  cRowStride: number,
  mp: number,
  np: number,
  k: number,
  work: number,
): void {
  const kernel = f64 ? mod.gemm_f64 : mod.gemm_f32;
  const words = work >= THREAD_MIN_WORK && mp >= 2 ? helper(mod) : null;
  if (words === null) {
    kernel(a, aRowStride, aColStride, bp, c, cRowStride, mp, np, k);
    return;
  }
  const mine = mp >> 1;
  // the f64 flag, then the kernel's arguments: typed by the table, so a change there shows here
  const theirs: [f64: number, ...args: Parameters<KernelsExports['gemm_f32']>] = [
    f64 ? 1 : 0,
    a + mine * GEMM_TILE_ROWS * aRowStride,
    aRowStride,
    aColStride,
    bp,
    c + mine * GEMM_TILE_ROWS * cRowStride,
    cRowStride,
    mp - mine,
    np,
    k,
  ];
  for (let i = 0; i < theirs.length; i++) words[ARGS + i] = theirs[i];
  const job = ++seq;
  Atomics.store(words, SEQ, job);
  Atomics.notify(words, SEQ);
  const started = Date.now();
  kernel(a, aRowStride, aColStride, bp, c, cRowStride, mine, np, k);
  const own = Date.now() - started;
  // NOTE: the helper runs the same kernel on disjoint panels, so results are bit for bit those of
  // one thread. A job the helper has not claimed (it is slow to wake, or it died before its 'exit'
  // event could be handled) is taken back and done here.
  if (Atomics.compareExchange(words, CLAIM, job - 1, job) === job - 1) {
    kernel(theirs[1], aRowStride, aColStride, bp, theirs[5], cRowStride, mp - mine, np, k);
    return;
  }
  // The helper claimed it: its half takes about as long as ours. A helper killed in the middle of a
  // job cannot say so (its 'exit' event waits for this thread), so after far longer than our half
  // took it is given up for good and its half done here.
  const deadline = Date.now() + Math.max(2_000, 50 * own);
  let failed = false;
  while (Atomics.load(words, DONE) !== job) {
    Atomics.wait(words, DONE, Atomics.load(words, DONE), 20);
    if (Date.now() > deadline) {
      markDead();
      failed = true;
      break;
    }
  }
  // a job that threw in the helper is done again here, and the helper is not asked again
  if (failed || Atomics.load(words, FAILED) !== 0)
    kernel(theirs[1], aRowStride, aColStride, bp, theirs[5], cRowStride, mp - mine, np, k);
}

/** True once the helper thread is up (for tests and the benchmark's report). */
export function helperRunning(): boolean {
  return (
    !dead &&
    control !== null &&
    control !== undefined &&
    Atomics.load(control, READY) === 1 &&
    Atomics.load(control, FAILED) === 0
  );
}

/**
 * Internal, for tests: terminates the helper thread as if it had died, and resolves once its 'exit'
 * event has marked it dead. Resolves at once when no helper runs.
 */
export async function terminateHelperForTests(): Promise<void> {
  const worker = helperWorker;
  if (worker === null) return;
  await worker.terminate();
  // the 'exit' event is delivered on a later turn of the event loop
  while (!dead) await new Promise((r) => setTimeout(r, 5));
}

/**
 * The helper thread's state for `tg.backendInfo()`: `'running'`, `'not started'` (it starts on the
 * first large matmul) or `'unavailable'`.
 */
export function helperThreadState(): 'running' | 'not started' | 'unavailable' {
  const mod = kernelsModule();
  if (helperRunning()) return 'running';
  if (
    mod === null ||
    !mod.shared ||
    dead ||
    control === null ||
    workerThreads() === undefined ||
    (control !== undefined && (Atomics.load(control, READY) === -1 || Atomics.load(control, FAILED) !== 0))
  )
    return 'unavailable';
  return 'not started';
}
