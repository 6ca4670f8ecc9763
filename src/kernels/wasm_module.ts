// The one WebAssembly module of the kernels (matmul, matrix-vector, float32 sin/cos/tanh/exp/erf, gelu,
// softmax), instantiated on first use, with its memory: the kernels copy operands in, run, and copy
// results out, one call at a time. Where a helper thread can run (Node's worker_threads, or a Web Worker
// on a cross-origin isolated page), the memory is shared so that the helper can share the work of a
// large matmul (see wasm_threads.ts).
import type { KernelsExports } from './wasm/generated';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './wasm/generated';

/**
 * The kernels module: its exported functions (KernelsExports, generated from the KERNELS table of
 * scripts/build-wasm.mjs), its memory and how it was built.
 */
export interface KernelsModule extends KernelsExports {
  readonly memory: WebAssembly.Memory;
  /** The compiled module, which a helper thread instantiates on the same (shared) memory. */
  readonly compiled: WebAssembly.Module;
  /** True when the memory is shared (a helper thread can work in it). */
  readonly shared: boolean;
}

/** Node's worker_threads where this runs in Node 20.16+ (or Bun, Deno), else undefined. */
export function workerThreads(): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:worker_threads') : undefined;
}

/** What a browser (or a worker in one) offers to start a Web Worker from source text. */
interface WebWorkerGlobals {
  crossOriginIsolated?: boolean;
  Worker?: unknown;
  Blob?: unknown;
  URL?: { createObjectURL?: unknown };
}

/**
 * True where a Web Worker can share memory with this thread: a cross-origin isolated page (COOP/COEP,
 * `crossOriginIsolated === true`) or a worker of one, with Worker, Blob and URL.createObjectURL.
 */
export function webWorkers(): boolean {
  const g = globalThis as WebWorkerGlobals;
  return (
    g.crossOriginIsolated === true &&
    typeof g.Worker === 'function' &&
    typeof g.Blob === 'function' &&
    typeof g.URL?.createObjectURL === 'function'
  );
}

/**
 * True unless TAPEGRAD_THREADS=1 asks for one thread, or no helper thread can be made here (neither
 * Node's worker_threads nor Web Workers on a cross-origin isolated page).
 */
export function threadsWanted(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return (
    env?.TAPEGRAD_THREADS !== '1' &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    (workerThreads() !== undefined || webWorkers())
  );
}

/**
 * The memory's first bytes hold the constant tables of the exp and erf kernels (wasm_special.ts
 * writes them once): every call lays its operands out from here on.
 */
export const RESERVED_BYTES = 36864;

let loaded: KernelsModule | null | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(shared: boolean): KernelsModule | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared });
    // a few KB, well under the size browsers compile synchronously on the main thread
    const compiled = new WebAssembly.Module(decode(shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64));
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    return { ...(instance.exports as unknown as KernelsExports), memory, compiled, shared };
  } catch {
    return null;
  }
}

/** The module; null where WebAssembly or its SIMD is not available (the callers fall back to TypeScript). */
export function kernelsModule(): KernelsModule | null {
  if (loaded === undefined) loaded = (threadsWanted() ? instantiate(true) : null) ?? instantiate(false);
  return loaded;
}

/** The module's memory, grown to at least `bytes`. */
export function memoryOf(mod: KernelsModule, bytes: number): ArrayBuffer | SharedArrayBuffer {
  const missing = bytes - mod.memory.buffer.byteLength;
  if (missing > 0) mod.memory.grow(Math.ceil(missing / 65536));
  return mod.memory.buffer;
}
