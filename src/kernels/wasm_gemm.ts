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
/** log2(MR): panel index and row within it by shift and mask (MR is a power of two). */
const MR_SHIFT = Math.log2(MR);
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
  packA(heap, a, g.aOff, m, k, transA, mp);
  const bBase = aLen;
  packB(heap, bBase, b, g.bOff, n, k, transB, np, nr);
  const cBase = aLen + bLen;
  (f64 ? mod.f64 : mod.f32)(0, bBase * size, cBase * size, mp, np, k);
  const rowLen = np * nr;
  for (let i = 0; i < m; i++) g.out.set(heap.subarray(cBase + i * rowLen, cBase + i * rowLen + n), g.outOff + i * n);
  return true;
}

/**
 * A in MR-row panels: ap[(ip·k + p)·MR + r] = A[ip·MR + r][p], zero past the last row. Reads are
 * contiguous in either layout: along rows of A, or along rows of Aᵀ when transposed.
 */
function packA(heap: Float32Array | Float64Array, a: GemmArgs['a'], off: number, m: number, k: number, trans: boolean, mp: number): void {
  if (trans) {
    // A is stored k×m: row p of it holds column p of A; each run of MR becomes one panel row
    for (let p = 0; p < k; p++) {
      const row = off + p * m;
      for (let i0 = 0, dst = p * MR; i0 < m; i0 += MR, dst += k * MR) {
        const end = Math.min(MR, m - i0);
        for (let r = 0; r < end; r++) heap[dst + r] = a[row + i0 + r];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const row = off + i * k;
      let dst = (i >> MR_SHIFT) * k * MR + (i & (MR - 1));
      for (let p = 0; p < k; p++, dst += MR) heap[dst] = a[row + p];
    }
  }
  for (let i = m; i < mp * MR; i++) for (let p = 0, dst = (i >> MR_SHIFT) * k * MR + (i & (MR - 1)); p < k; p++, dst += MR) heap[dst] = 0;
}

/** B in nr-column panels: bp[(jp·k + p)·nr + c] = B[p][jp·nr + c], zero past the last column; contiguous reads. */
function packB(heap: Float32Array | Float64Array, base: number, b: GemmArgs['b'], off: number, n: number, k: number, trans: boolean, np: number, nr: number): void {
  const shift = nr === 8 ? 3 : 2;
  if (trans) {
    // B is stored n×k: walk it row by row (one column of B at a time)
    for (let j = 0; j < n; j++) {
      const row = off + j * k;
      let dst = base + (j >> shift) * k * nr + (j & (nr - 1));
      for (let p = 0; p < k; p++, dst += nr) heap[dst] = b[row + p];
    }
  } else {
    // each row of B splits into panel rows of nr contiguous values
    for (let p = 0; p < k; p++) {
      const row = off + p * n;
      for (let j0 = 0, dst = base + p * nr; j0 < n; j0 += nr, dst += k * nr) {
        const end = Math.min(nr, n - j0);
        for (let c = 0; c < end; c++) heap[dst + c] = b[row + j0 + c];
      }
    }
  }
  for (let j = n; j < np * nr; j++) for (let p = 0, dst = base + (j >> shift) * k * nr + (j & (nr - 1)); p < k; p++, dst += nr) heap[dst] = 0;
}
