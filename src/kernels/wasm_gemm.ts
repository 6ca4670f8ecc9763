// The WebAssembly SIMD matmul: packs A and B into the kernel's panel layout (absorbing any
// transpose), runs the kernel, and copies C out. Returns false where WebAssembly SIMD is missing,
// so the caller falls back to the TypeScript kernel.
import type { GemmArgs } from './matmul';
import { GEMM_TILE_ROWS, GEMM_WASM_BASE64 } from './wasm/generated';

type Kernel = (ap: number, bp: number, c: number, mPanels: number, nPanels: number, k: number) => void;

interface GemmModule {
  memory: WebAssembly.Memory;
  f32: Kernel;
  f64: Kernel;
}

/** Rows per A panel, and columns per B panel for each element size. */
const MR = GEMM_TILE_ROWS;
const NR = { 4: 8, 8: 4 } as const;

let loaded: GemmModule | null | undefined;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The module, instantiated on first use; null where WebAssembly or its SIMD is not available. */
function gemmModule(): GemmModule | null {
  if (loaded !== undefined) return loaded;
  try {
    // the module is about 1 KB, well under the size browsers compile synchronously on the main thread
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(GEMM_WASM_BASE64)), {});
    const e = instance.exports as unknown as { memory: WebAssembly.Memory; gemm_f32: Kernel; gemm_f64: Kernel };
    loaded = { memory: e.memory, f32: e.gemm_f32, f64: e.gemm_f64 };
  } catch {
    loaded = null;
  }
  return loaded;
}

/** Grows the module's memory to at least `bytes`. */
function ensure(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

/** True when the WebAssembly kernel can run here. */
export function wasmGemmAvailable(): boolean {
  return gemmModule() !== null;
}

/** True when a product fills at least one register tile: thinner ones waste most of the tile. */
export function fillsTile(m: number, n: number, f64: boolean): boolean {
  return m >= MR && n >= NR[f64 ? 8 : 4];
}

/**
 * C = op(A)·op(B) with the WebAssembly kernel, for Float32Array or Float64Array operands of one type.
 * Returns false (having done nothing) where the kernel is unavailable.
 */
export function wasmGemm(g: GemmArgs): boolean {
  const mod = gemmModule();
  const f64 = g.out instanceof Float64Array;
  if (mod === null || !(f64 || g.out instanceof Float32Array)) return false;
  const { m, n, k, transA, transB } = g;
  const size = f64 ? 8 : 4;
  const nr = NR[size];
  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / nr);
  const aLen = mp * MR * k;
  const bLen = np * nr * k;
  const cLen = mp * MR * np * nr;
  ensure(mod.memory, (aLen + bLen + cLen) * size);
  const View = f64 ? Float64Array : Float32Array;
  const heap = new View(mod.memory.buffer);
  const a = g.a;
  const b = g.b;
  // A in MR-row panels: ap[(ip·k + p)·MR + r] = A[ip·MR + r][p], zero past the last row
  for (let ip = 0; ip < mp; ip++) {
    for (let r = 0; r < MR; r++) {
      const i = ip * MR + r;
      let dst = ip * k * MR + r;
      if (i >= m) {
        for (let p = 0; p < k; p++, dst += MR) heap[dst] = 0;
      } else if (transA) {
        for (let p = 0; p < k; p++, dst += MR) heap[dst] = a[g.aOff + p * m + i];
      } else {
        const row = g.aOff + i * k;
        for (let p = 0; p < k; p++, dst += MR) heap[dst] = a[row + p];
      }
    }
  }
  // B in nr-column panels: bp[(jp·k + p)·nr + c] = B[p][jp·nr + c], zero past the last column
  const bBase = aLen;
  for (let jp = 0; jp < np; jp++) {
    for (let c = 0; c < nr; c++) {
      const j = jp * nr + c;
      let dst = bBase + jp * k * nr + c;
      if (j >= n) {
        for (let p = 0; p < k; p++, dst += nr) heap[dst] = 0;
      } else if (transB) {
        const row = g.bOff + j * k;
        for (let p = 0; p < k; p++, dst += nr) heap[dst] = b[row + p];
      } else {
        for (let p = 0; p < k; p++, dst += nr) heap[dst] = b[g.bOff + p * n + j];
      }
    }
  }
  const cBase = aLen + bLen;
  (f64 ? mod.f64 : mod.f32)(0, bBase * size, cBase * size, mp, np, k);
  const rowLen = np * nr;
  for (let i = 0; i < m; i++) g.out.set(heap.subarray(cBase + i * rowLen, cBase + i * rowLen + n), g.outOff + i * n);
  return true;
}
