// A helper thread for large matmuls: in Node, one worker instantiates the kernels module on the
// same shared memory and, when asked, computes the lower half of C's row panels while the calling
// thread computes the upper half (measured: 1.6-1.9x on the kernel, 128x784x256 and 1024^3). The
// call stays synchronous: the caller waits on an Atomics word until the helper is done, so no other
// call can touch the memory meanwhile. Until the helper has started (it starts on the first large
// matmul, in the background), where it cannot start, and with TAPEGRAD_THREADS=1, everything runs on
// the calling thread.
import type { KernelsExports } from './wasm/generated';
import { GEMM_TILE_ROWS } from './wasm/generated';
import type { KernelsModule } from './wasm_module';
import { workerThreads } from './wasm_module';

/** Below this many multiply-adds, waking the helper costs more than it saves. */
const THREAD_MIN_WORK = 1 << 22;

// Slots of the control words (an Int32Array over a SharedArrayBuffer).
const SEQ = 0; // bumped by the caller for each job
const DONE = 1; // set to the job's SEQ by the helper when it is done
const READY = 2; // 1 once the helper has instantiated the module, -1 if it could not
const FAILED = 3; // 1 if a job threw in the helper
const ARGS = 4; // f64 flag, then the kernel's arguments (as many as gemm_f32 takes)

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
  on(event: 'error', listener: (e: unknown) => void): void;
}
type WorkerClass = new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;

/** The control words once a helper has been asked for; null where none can run. */
let control: Int32Array | null | undefined;
let seq = 0;

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
    worker.on('error', () => Atomics.store(words, READY, -1));
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
  kernel(a, aRowStride, aColStride, bp, c, cRowStride, mine, np, k);
  // NOTE: the helper runs the same kernel on disjoint panels, so results are bit for bit those of
  // one thread; a wait that never ends would mean the helper thread was killed from outside
  const deadline = Date.now() + 60_000;
  while (Atomics.load(words, DONE) !== job) {
    Atomics.wait(words, DONE, Atomics.load(words, DONE), 100);
    if (Date.now() > deadline)
      throw new Error(
        'matmul: the helper thread stopped answering (60 s); set TAPEGRAD_THREADS=1 to run on one thread',
      );
  }
  // a job that threw in the helper is done again here, and the helper is not asked again
  if (Atomics.load(words, FAILED) !== 0)
    kernel(theirs[1], aRowStride, aColStride, bp, theirs[5], cRowStride, mp - mine, np, k);
}

/** True once the helper thread is up (for tests and the benchmark's report). */
export function helperRunning(): boolean {
  return (
    control !== null &&
    control !== undefined &&
    Atomics.load(control, READY) === 1 &&
    Atomics.load(control, FAILED) === 0
  );
}
