// The one WebAssembly module of the kernels (matmul, matrix-vector, float32 sin/cos), instantiated on first use,
// with its memory: the kernels copy operands in, run, and copy results out, one call at a time.
import { KERNELS_WASM_BASE64 } from './wasm/generated';

/** The exports of the kernels module (see src/kernels/wasm/*.wat.mjs). */
export interface KernelsModule {
  memory: WebAssembly.Memory;
  gemm_f32(a: number, aRowStride: number, aColStride: number, bp: number, c: number, cRowStride: number, mPanels: number, nPanels: number, k: number): void;
  gemm_f64(a: number, aRowStride: number, aColStride: number, bp: number, c: number, cRowStride: number, mPanels: number, nPanels: number, k: number): void;
  pack_b(src: number, rowBytes: number, k: number, nPanels: number, dst: number): void;
  dot_rows_f32(a: number, rowBytes: number, x: number, y: number, m: number, k: number): void;
  dot_rows_f64(a: number, rowBytes: number, x: number, y: number, m: number, k: number): void;
  axpy_rows_f32(a: number, rowBytes: number, x: number, y: number, m: number, k: number): void;
  axpy_rows_f64(a: number, rowBytes: number, x: number, y: number, m: number, k: number): void;
  sin_f32(src: number, dst: number, n: number): number;
  cos_f32(src: number, dst: number, n: number): number;
}

let loaded: KernelsModule | null | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The module; null where WebAssembly or its SIMD is not available (the callers fall back to TypeScript). */
export function kernelsModule(): KernelsModule | null {
  if (loaded !== undefined) return loaded;
  try {
    // a few KB, well under the size browsers compile synchronously on the main thread
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(KERNELS_WASM_BASE64)), {});
    loaded = instance.exports as unknown as KernelsModule;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** The module's memory, grown to at least `bytes`. */
export function memoryOf(mod: KernelsModule, bytes: number): ArrayBuffer {
  const missing = bytes - mod.memory.buffer.byteLength;
  if (missing > 0) mod.memory.grow(Math.ceil(missing / 65536));
  return mod.memory.buffer;
}
