// The driver of the float32 elementwise kernels in WebAssembly SIMD (sin, cos, tanh): copy in, run,
// copy out. Each has a JavaScript twin that repeats its float32 operations bit for bit, which short
// arrays take (the call into WebAssembly costs more there) and everything takes where WebAssembly
// is missing, so a value's result never depends on its tensor's size or on the platform.
import type { KernelsModule } from './wasm_module';
import { RESERVED_BYTES, kernelsModule, memoryOf } from './wasm_module';

/** Below this many elements the call into WebAssembly costs more than it saves. */
const WASM_MIN = 16;

/** A kernel of the module: dst[i] = f(src[i]) for i < n rounded up to 4; a non-zero result flags the call. */
type Float32Kernel = (src: number, dst: number, n: number) => number | void;

/**
 * out[i] = f(x[i]) by `pick(module)` where it pays, else by `scalar`. When the kernel flags a call
 * (inputs it cannot take), the elements `outside` picks are redone by `scalar`.
 */
export function runFloat32(
  x: Float32Array,
  out: Float32Array,
  pick: (mod: KernelsModule) => Float32Kernel,
  scalar: (v: number) => number,
  outside?: (v: number) => boolean,
): void {
  const n = x.length;
  const mod = n >= WASM_MIN ? kernelsModule() : null;
  if (mod === null) {
    for (let i = 0; i < n; i++) out[i] = scalar(x[i]);
    return;
  }
  // input past the reserved tables, output after it, each rounded up to whole vectors
  const bytes = ((n + 3) & ~3) * 4;
  const src = RESERVED_BYTES;
  const heap = new Float32Array(memoryOf(mod, src + 2 * bytes));
  heap.set(x, src >> 2);
  const flagged = pick(mod)(src, src + bytes, n);
  out.set(heap.subarray((src + bytes) >> 2, ((src + bytes) >> 2) + n));
  if (flagged && outside !== undefined) for (let i = 0; i < n; i++) if (outside(x[i])) out[i] = scalar(x[i]);
}
