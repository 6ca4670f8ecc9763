// Matrix multiply: the WebAssembly SIMD kernel for float tensors where it is available and the work
// is large enough to pay for packing; otherwise the TypeScript kernel, i-k-j order so the inner loop
// streams rows of B and C (B copied once when transposed). gemmBatch runs a batch of one shape,
// each item by the kernel gemm would give it.
import { float64Array } from '../core/arena';
import type { NumArray } from './offsets';
import { fillsTile, wasmGemm, wasmGemmBatch, wasmMatvec, wasmMatvecBatch } from './wasm_gemm';

/** One matrix product C[m,n] = op(A) · op(B), op(A) being [m,k] and op(B) [k,n]; C is zero on entry. */
export interface GemmArgs {
  a: NumArray;
  aOff: number;
  b: NumArray;
  bOff: number;
  out: NumArray;
  outOff: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

/** Copies the k×n operand out of an n×k block (B stored transposed). */
function untranspose(b: NumArray, off: number, k: number, n: number): Float64Array {
  const t = float64Array(k * n);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) t[p * n + j] = b[off + j * k + p];
  return t;
}

/** The TypeScript kernel: rows of C accumulated in doubles and rounded once, like the reductions. */
export function gemmReference(g: GemmArgs): void {
  const { a, aOff, m, k, n, transA } = g;
  if (n === 1) {
    // matrix-vector (B is a k-vector in either layout): a dot product per row of A, or, for Aᵀ·v,
    // a sum of A's rows scaled by v, so both walk A contiguously
    if (transA) {
      const acc = float64Array(m);
      for (let p = 0; p < k; p++) {
        const v = g.b[g.bOff + p];
        const row = aOff + p * m;
        for (let i = 0; i < m; i++) acc[i] += v * a[row + i];
      }
      for (let i = 0; i < m; i++) g.out[g.outOff + i] = acc[i];
    } else {
      // NOTE: four partial sums, so the adds do not wait on each other (one sum is bound by the
      // add's latency: measured 2x slower at k = 64)
      const b = g.b;
      const bOff = g.bOff;
      const k4 = k & ~3;
      for (let i = 0; i < m; i++) {
        const row = aOff + i * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          s0 += a[row + p] * b[bOff + p];
          s1 += a[row + p + 1] * b[bOff + p + 1];
          s2 += a[row + p + 2] * b[bOff + p + 2];
          s3 += a[row + p + 3] * b[bOff + p + 3];
        }
        for (; p < k; p++) s0 += a[row + p] * b[bOff + p];
        g.out[g.outOff + i] = s0 + s1 + (s2 + s3);
      }
    }
    return;
  }
  const b = g.transB ? untranspose(g.b, g.bOff, k, n) : g.b;
  const bOff = g.transB ? 0 : g.bOff;
  const row = float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
      if (aip === 0) continue;
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) row[j] += aip * b[bRow + j];
    }
    const o = g.outOff + i * n;
    for (let j = 0; j < n; j++) g.out[o + j] = row[j];
  }
}

/** Below this many multiply-adds, packing for the WebAssembly kernel costs more than it saves. */
const WASM_MIN_WORK = 16384;

/** Below this many multiply-adds a thin product stays in TypeScript (copying in costs more). */
const WASM_MIN_MATVEC = 512;

/** C = op(A)·op(B), by whichever kernel suits the operands (measured: bench/, W4 and W5). */
export function gemm(g: GemmArgs): void {
  const work = g.m * g.n * g.k;
  if (work >= WASM_MIN_WORK && fillsTile(g.m, g.n, g.out instanceof Float64Array) && wasmGemm(g)) return;
  if (work >= WASM_MIN_MATVEC && wasmMatvec(g)) return;
  gemmReference(g);
}

/**
 * A batch of products of one shape: item t is op(A)·op(B) with A at aOffs[t] and B at bOffs[t]
 * (g.aOff and g.bOff are not read), written at g.outOff + t·m·n. Each item takes the kernel gemm would
 * give it; WebAssembly items are copied in and run as one batch (and split with the helper thread).
 */
export function gemmBatch(g: GemmArgs, aOffs: ArrayLike<number>, bOffs: ArrayLike<number>): void {
  const { m, n, k } = g;
  const count = aOffs.length;
  const work = m * n * k;
  if (count > 1 && work >= WASM_MIN_WORK && fillsTile(m, n, g.out instanceof Float64Array)) {
    if (wasmGemmBatch(g, aOffs, bOffs)) return;
  } else if (count > 1 && work >= WASM_MIN_MATVEC && wasmMatvecBatch(g, aOffs, bOffs)) return;
  for (let t = 0; t < count; t++) gemm({ ...g, aOff: aOffs[t], bOff: bOffs[t], outOff: g.outOff + t * m * n });
}
