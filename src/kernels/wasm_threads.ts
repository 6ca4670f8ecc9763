// A helper thread for large matmuls: one worker (Node's worker_threads, or in a browser a Web Worker
// made from a Blob URL when the page is cross-origin isolated) instantiates the kernels module on the
// same shared memory and shares the work of a product (or a batch of products) with the calling thread.
// The work is cut into chunks (row panels of C, or whole items of a batch), and each thread takes the
// next chunk with one compare-exchange until none is left, so a helper that is slow to wake (or that
// the system does not run) costs only its chunk, never a half. The call stays synchronous: the caller
// waits on an Atomics word until every chunk is done, so no other call can touch the memory meanwhile
// (a browser's main thread may not block in Atomics.wait: there it spins on Atomics.load, which waits
// for at most the chunk the helper is in the middle of). Until the helper has started (it starts on the
// first large matmul, in the background), where it cannot start (no shared memory, a page that is not
// cross-origin isolated, a Content-Security-Policy that refuses blob: workers), and with
// TAPEGRAD_THREADS=1, everything runs on the calling thread. A helper that dies ('exit' or 'error') is
// never asked again, and the chunks it took are done again by the caller.
import type { KernelsExports } from './wasm/generated';
import { GEMM_TILE_ROWS } from './wasm/generated';
import type { KernelsModule } from './wasm_module';
import { kernelsModule, webWorkers, workerThreads } from './wasm_module';

/** Below this many multiply-adds, waking the helper costs more than it saves. */
const THREAD_MIN_WORK = 1 << 21;
/** About this many multiply-adds per chunk: small enough to balance, large enough to pay for a claim. */
const CHUNK_WORK = 1 << 19;

// Slots of the control words (an Int32Array over a SharedArrayBuffer).
const SEQ = 0; // bumped by the caller for each job: the helper waits on it
const FINISHED = 1; // chunks of the current job done, by either thread
const READY = 2; // 1 once the helper has instantiated the module, -1 if it could not
const FAILED = 3; // 1 if a chunk threw in the helper
const CLAIM = 4; // (job tag << 16) | the next chunk: each thread takes chunks by compare-exchange
const TOTAL = 5; // chunks of the current job
const ARGS = 6; // the job: what runChunk reads
/** Words of a job's arguments. */
const ARG_WORDS = 17;
/** Job tags are sequence numbers modulo this (they sit above the chunk index in CLAIM). */
const TAG_MASK = 0x7fff;

/**
 * Runs chunk `chunk` of the matmul job in `w` (words `at` on: f64 flag, then a, aRowStride,
 * aColStride, bp, c, cRowStride, mp, np, k, aStep, bStep, cStep, count, itemsPerChunk,
 * panelsPerChunk, tileRows): the items [t0, t1) of the batch, row panels [p0, p1) of each. It reads
 * only its arguments, as its source is the helper's too.
 */
function runChunk(ex: KernelsExports, w: Int32Array, at: number, chunk: number): void {
  const kernel = w[at] ? ex.gemm_f64 : ex.gemm_f32;
  const [a, ars, aps, bp, c, crs, mp, np, k, aStep, bStep, cStep, count, items, panels, rows] = w.subarray(
    at + 1,
    at + 17,
  );
  const perItem = Math.ceil(mp / panels);
  const t0 = Math.floor(chunk / perItem) * items;
  const t1 = Math.min(count, t0 + items);
  const p0 = (chunk % perItem) * panels;
  const p1 = Math.min(mp, p0 + panels);
  for (let t = t0; t < t1; t++)
    kernel(
      a + t * aStep + p0 * rows * ars,
      ars,
      aps,
      bp + t * bStep,
      c + t * cStep + p0 * rows * crs,
      crs,
      p1 - p0,
      np,
      k,
    );
}

/**
 * The helper's code, sharing the slot numbers and runChunk above: `serve(data)` instantiates the module
 * on the shared memory (data: compiled, memory, control) and then takes chunks of each job, for good.
 */
const HELPER_BODY = `
const runChunk = ${runChunk.toString()};
function serve(data) {
  const c = new Int32Array(data.control);
  let ex = null;
  try {
    ex = new WebAssembly.Instance(data.compiled, { env: { memory: data.memory } }).exports;
    Atomics.store(c, ${READY}, 1);
  } catch {
    Atomics.store(c, ${READY}, -1);
  }
  Atomics.notify(c, ${READY});
  let seq = 0;
  while (ex !== null) {
    Atomics.wait(c, ${SEQ}, seq);
    seq = Atomics.load(c, ${SEQ});
    const tag = seq & ${TAG_MASK};
    for (;;) {
      // the job's words are stable while a chunk of it is left to claim: read them, then claim
      const word = Atomics.load(c, ${CLAIM});
      const total = c[${TOTAL}];
      if (word >>> 16 !== tag || (word & 0xffff) >= total) break;
      if (Atomics.compareExchange(c, ${CLAIM}, word, word + 1) !== word) continue;
      try {
        runChunk(ex, c, ${ARGS}, word & 0xffff);
      } catch {
        Atomics.store(c, ${FAILED}, 1);
      }
      if (Atomics.add(c, ${FINISHED}, 1) + 1 === total) Atomics.notify(c, ${FINISHED});
    }
  }
}`;
/** In Node: CommonJS run with eval, its data in workerData. */
const NODE_HELPER_SOURCE = `${HELPER_BODY}
serve(require('node:worker_threads').workerData);`;
/** In a browser: a classic worker script, its data in the first message (it then never returns). */
const WEB_HELPER_SOURCE = `${HELPER_BODY}
self.onmessage = (e) => {
  self.onmessage = null;
  serve(e.data);
};`;

/** What the helper is given: the compiled module, the shared memory and the control words' buffer. */
interface HelperData {
  compiled: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}

/** A started helper, whichever kind: how to end it (tests only). */
interface HelperHandle {
  terminate(): Promise<unknown>;
}

interface NodeWorker {
  unref(): void;
  on(event: 'error' | 'exit', listener: (e: unknown) => void): void;
  terminate(): Promise<number>;
}
type NodeWorkerClass = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

interface WebWorker {
  addEventListener(event: 'error', listener: () => void): void;
  postMessage(message: unknown): void;
  terminate(): void;
}
type WebWorkerClass = new (url: string) => WebWorker;

/** Starts the helper with Node's worker_threads; null where there are none. */
function startNodeHelper(data: HelperData): HelperHandle | null {
  const Worker = (workerThreads() as { Worker?: NodeWorkerClass } | undefined)?.Worker;
  if (Worker === undefined) return null;
  const worker = new Worker(NODE_HELPER_SOURCE, { eval: true, workerData: data });
  // the helper must not keep the process alive, and a helper that dies is simply not used
  worker.unref();
  worker.on('error', markDead);
  worker.on('exit', markDead);
  return worker;
}

/** The Blob URL of the Web Worker's script, until the helper has said whether it started. */
let blobUrl: string | null = null;

/** Forgets the Blob URL of the helper's script once the worker has loaded it (or failed to). */
function revokeBlobUrl(): void {
  if (blobUrl !== null) URL.revokeObjectURL(blobUrl);
  blobUrl = null;
}

/**
 * Starts the helper as a Web Worker from a Blob URL, on a cross-origin isolated page (or in a worker
 * of one); null elsewhere. A Content-Security-Policy that refuses blob: workers makes the constructor
 * throw (the caller then stays on one thread) or the worker fire 'error' (it is then marked dead).
 */
function startWebHelper(data: HelperData): HelperHandle | null {
  if (!webWorkers()) return null;
  const Worker = (globalThis as unknown as { Worker: WebWorkerClass }).Worker;
  blobUrl = URL.createObjectURL(new Blob([WEB_HELPER_SOURCE], { type: 'text/javascript' }));
  let worker: WebWorker | null = null;
  try {
    worker = new Worker(blobUrl);
    worker.addEventListener('error', markDead);
    worker.postMessage(data);
    const started = worker;
    return {
      terminate: async () => {
        started.terminate();
        markDead();
      },
    };
  } catch (e) {
    // a worker that was made but could not be sent its data would wait for it for good
    worker?.terminate();
    revokeBlobUrl();
    throw e;
  }
}

/** The control words once a helper has been asked for; null where none can run. */
let control: Int32Array | null | undefined;
let seq = 0;
/** The helper, while it runs; null once it has exited or failed (it is then never asked again). */
let helperWorker: HelperHandle | null = null;
/**
 * True where this thread may block in Atomics.wait (Node, a worker); false on a browser's main thread,
 * where it throws. Found out by one wait that returns at once ('not-equal') or throws.
 */
let mayBlock: boolean | undefined;
/** Set once the helper has exited or failed: everything stays on the calling thread for good. */
let dead = false;

/** Marks the helper dead: no later matmul waits for it. */
function markDead(): void {
  dead = true;
  helperWorker = null;
  revokeBlobUrl();
}

/** Starts the helper (once); it reports READY by itself, later. */
function start(mod: KernelsModule): void {
  control = null;
  if (!mod.shared) return;
  try {
    const words = new Int32Array(new SharedArrayBuffer(4 * (ARGS + ARG_WORDS)));
    const data: HelperData = { compiled: mod.compiled, memory: mod.memory, control: words.buffer as SharedArrayBuffer };
    const worker = startNodeHelper(data) ?? startWebHelper(data);
    if (worker === null) return;
    helperWorker = worker;
    control = words;
  } catch {
    // e.g. a page whose Content-Security-Policy refuses blob: workers: one thread, silently
    control = null;
  }
}

/** The control words when the helper is up and has never failed, else null; asks for it the first time. */
function helper(mod: KernelsModule): Int32Array | null {
  if (control === undefined) start(mod);
  if (control === null || control === undefined) return null;
  if (blobUrl !== null && Atomics.load(control, READY) !== 0) revokeBlobUrl();
  if (!helperRunning()) return null;
  if (mayBlock === undefined) {
    try {
      Atomics.wait(control, READY, -2, 0);
      mayBlock = true;
    } catch {
      mayBlock = false;
    }
  }
  return control;
}

/** One product's place in the module's memory: the kernel's arguments (byte addresses and strides). */
export interface GemmPlace {
  a: number;
  aRowStride: number;
  aColStride: number;
  bp: number;
  c: number;
  cRowStride: number;
  mp: number;
  np: number;
  k: number;
}

/** A batch of `count` products of one shape, item t's operands `t·step` bytes past item 0's. */
export interface GemmItems {
  count: number;
  aStep: number;
  bStep: number;
  cStep: number;
}

/**
 * Runs the matmul kernel over a batch of products (one, for a plain matmul) of `work` multiply-adds,
 * sharing the chunks with the helper thread when the work is large enough.
 */
export function runGemm(mod: KernelsModule, f64: boolean, g: GemmPlace, items: GemmItems, work: number): void {
  const { count } = items;
  const { mp } = g;
  // chunks: whole items (several when they are small), or row panels of a single product
  const perPanel = work / count / mp;
  const panels = count >= 2 ? mp : Math.max(1, Math.floor(CHUNK_WORK / perPanel));
  const itemsPerChunk = count >= 2 ? Math.max(1, Math.floor(CHUNK_WORK / (perPanel * mp))) : 1;
  const total = Math.ceil(count / itemsPerChunk) * Math.ceil(mp / panels);
  const words = work >= THREAD_MIN_WORK && total >= 2 && total <= 0xffff ? helper(mod) : null;
  /** The job's words (what runChunk reads), cut into chunks of `perChunk` items × `panelsPerChunk` panels. */
  const jobWords = (perChunk: number, panelsPerChunk: number): number[] => [
    f64 ? 1 : 0,
    g.a,
    g.aRowStride,
    g.aColStride,
    g.bp,
    g.c,
    g.cRowStride,
    mp,
    g.np,
    g.k,
    items.aStep,
    items.bStep,
    items.cStep,
    count,
    perChunk,
    panelsPerChunk,
    GEMM_TILE_ROWS,
  ];
  if (words === null) {
    // one chunk that is the whole job
    runChunk(mod, Int32Array.from(jobWords(count, mp)), 0, 0);
    return;
  }
  const job = jobWords(itemsPerChunk, panels);
  for (let i = 0; i < job.length; i++) words[ARGS + i] = job[i];
  words[TOTAL] = total;
  Atomics.store(words, FINISHED, 0);
  const id = ++seq;
  const tag = id & TAG_MASK;
  Atomics.store(words, CLAIM, tag << 16);
  Atomics.store(words, SEQ, id);
  Atomics.notify(words, SEQ);
  // take chunks until none is left, noting which ones this thread did
  const mine = new Uint8Array(total);
  const started = Date.now();
  for (;;) {
    const word = Atomics.load(words, CLAIM);
    const chunk = word & 0xffff;
    if (chunk >= total) break;
    if (Atomics.compareExchange(words, CLAIM, word, word + 1) !== word) continue;
    runChunk(mod, words, ARGS, chunk);
    mine[chunk] = 1;
    Atomics.add(words, FINISHED, 1);
  }
  const own = Date.now() - started;
  // NOTE: the helper runs the same kernel on disjoint chunks, so results are bit for bit those of one
  // thread. A helper killed in the middle of a chunk cannot say so (its 'exit' event waits for this
  // thread), so after far longer than our share took it is given up for good and its chunks done here.
  // Where this thread may not block (a browser's main thread) it spins: what is left is at most the
  // one chunk the helper is running, about CHUNK_WORK multiply-adds.
  const deadline = Date.now() + Math.max(2_000, 50 * own);
  let failed = false;
  for (let done = Atomics.load(words, FINISHED); done !== total; done = Atomics.load(words, FINISHED)) {
    if (mayBlock === true) Atomics.wait(words, FINISHED, done, 20);
    if (Date.now() > deadline) {
      markDead();
      failed = true;
      break;
    }
  }
  // chunks the helper took but did not finish, or in a run where one threw, are done again here
  if (failed || Atomics.load(words, FAILED) !== 0)
    for (let chunk = 0; chunk < total; chunk++) if (mine[chunk] === 0) runChunk(mod, words, ARGS, chunk);
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
 * first large matmul; in a browser it is 'running' once the Web Worker has loaded, a moment later) or
 * `'unavailable'`.
 */
export function helperThreadState(): 'running' | 'not started' | 'unavailable' {
  const mod = kernelsModule();
  if (helperRunning()) return 'running';
  if (
    mod === null ||
    !mod.shared ||
    dead ||
    control === null ||
    (workerThreads() === undefined && !webWorkers()) ||
    (control !== undefined && (Atomics.load(control, READY) === -1 || Atomics.load(control, FAILED) !== 0))
  )
    return 'unavailable';
  return 'not started';
}
