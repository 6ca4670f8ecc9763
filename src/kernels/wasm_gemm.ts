// The WebAssembly SIMD matmul: copies A and B into the module's memory (A stays in its layout, the
// kernel reads it through strides; B is packed into column panels, inside the module unless it is
// transposed), runs the kernel, and copies C out. Returns false where WebAssembly SIMD is missing,
// so the caller falls back to the TypeScript kernel.
import type { GemmArgs } from './matmul';
import { GEMM_PANEL_BYTES, GEMM_TILE_ROWS } from './wasm/generated';
import { kernelsModule, memoryOf } from './wasm_module';
import { runGemm } from './wasm_threads';

/** Rows per A panel, and columns per B panel for each element size (both set in gemm.wat.mjs). */
const MR = GEMM_TILE_ROWS;
const NR = { 4: GEMM_PANEL_BYTES / 4, 8: GEMM_PANEL_BYTES / 8 } as const;

/** True when the WebAssembly kernel can run here. */
export function wasmGemmAvailable(): boolean {
  return kernelsModule() !== null;
}

/** True when a product fills at least one register tile: thinner ones waste most of the tile. */
export function fillsTile(m: number, n: number, f64: boolean): boolean {
  return m >= MR && n >= NR[f64 ? 8 : 4];
}

/** Bytes rounded up to whole 64-byte lines, so every region starts on a cache line. */
const line = (bytes: number): number => (bytes + 63) & ~63;

/**
 * C = op(A)·op(B) with the WebAssembly kernel, for Float32Array or Float64Array operands of one type.
 * Returns false (having done nothing) where the kernel is unavailable.
 */
export function wasmGemm(g: GemmArgs): boolean {
  const mod = kernelsModule();
  const f64 = g.out instanceof Float64Array;
  if (mod === null || !(f64 || g.out instanceof Float32Array)) return false;
  const { m, n, k, transA, transB } = g;
  const size = f64 ? 8 : 4;
  const nr = NR[size];
  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / nr);
  // regions, in bytes: A as given (plus the rows of the last tile past m, zeroed), B as given (plus
  // a panel's width of zeroed bytes, which the last partial panel reads), B packed, C with padded rows
  const aBytes = line((mp * MR * k + nr) * size);
  const bRaw = aBytes;
  const bRawBytes = transB ? 0 : line(k * n * size + GEMM_PANEL_BYTES);
  const bp = bRaw + bRawBytes;
  const c = bp + line(np * nr * k * size);
  const cRow = np * nr;
  const memory = memoryOf(mod, c + mp * MR * cRow * size);
  const heap = f64 ? new Float64Array(memory) : new Float32Array(memory);
  heap.set(g.a.subarray(g.aOff, g.aOff + m * k), 0);
  heap.fill(0, m * k, aBytes / size);
  if (transB) {
    packTransposedB(heap, bp / size, g.b, g.bOff, n, k, np, nr);
  } else {
    heap.set(g.b.subarray(g.bOff, g.bOff + k * n), bRaw / size);
    heap.fill(0, bRaw / size + k * n, (bRaw + bRawBytes) / size);
    mod.pack_b(bRaw, n * size, k, np, bp);
  }
  // A's element (i, p) lies at i·k + p, or at p·m + i when A is stored transposed
  const aRowStride = transA ? size : k * size;
  const aColStride = transA ? m * size : size;
  runGemm(mod, f64, 0, aRowStride, aColStride, bp, c, cRow * size, mp, np, k, m * n * k);
  const c0 = c / size;
  if (cRow === n) g.out.set(heap.subarray(c0, c0 + m * n), g.outOff);
  else for (let i = 0; i < m; i++) g.out.set(heap.subarray(c0 + i * cRow, c0 + i * cRow + n), g.outOff + i * n);
  return true;
}

/** Bᵀ stored n×k, packed into nr-column panels: bp[(jp·k + p)·nr + c] = B[p][jp·nr + c], zero past column n. */
function packTransposedB(
  heap: Float32Array | Float64Array,
  base: number,
  b: GemmArgs['b'],
  off: number,
  n: number,
  k: number,
  np: number,
  nr: number,
): void {
  /** Where column j's row 0 lands: in panel ⌊j/nr⌋, at column j mod nr. */
  const start = (j: number): number => base + (j - (j % nr)) * k + (j % nr);
  // walk the stored rows (each one a column of B), so the reads are contiguous
  for (let j = 0; j < n; j++) {
    const row = off + j * k;
    let dst = start(j);
    for (let p = 0; p < k; p++, dst += nr) heap[dst] = b[row + p];
  }
  for (let j = n; j < np * nr; j++) for (let p = 0, dst = start(j); p < k; p++, dst += nr) heap[dst] = 0;
}

/**
 * A thin product, too narrow for the register tile (fewer columns than a B panel, or fewer rows
 * than the tile: n < 8 float32 or 4 float64 columns, or m < 4 rows today), as a few
 * matrix-vector products with the WebAssembly kernels: C's columns are A times B's columns, or C's
 * rows are Bᵀ times A's rows. Each is a dot product per row where the matrix's rows are contiguous,
 * else a sum of its rows scaled by the vector. Returns false (having done nothing) unless it
 * applies and can run.
 */
export function wasmMatvec(g: GemmArgs): boolean {
  const mod = kernelsModule();
  const f64 = g.out instanceof Float64Array;
  if (mod === null || !(f64 || g.out instanceof Float32Array)) return false;
  const { m, n, k } = g;
  const narrow = n < NR[f64 ? 8 : 4];
  if (!narrow && m >= MR) return false;
  // by columns when C is narrow (the fewer vectors when it is also short)
  const byColumns = narrow && (m >= MR || n <= m);
  // y_j = M·v_j, j < count, with M held as `len` rows of k (row-major, `dot`) or as k rows of len
  const [mat, matOff, len, dot, count] = byColumns ? [g.a, g.aOff, m, !g.transA, n] : [g.b, g.bOff, n, g.transB, m];
  /** Element p of vector j: B[p][j] (a column of B), or A[j][p] (a row of A). */
  const vec = byColumns
    ? (j: number, p: number) => (g.transB ? g.b[g.bOff + j * k + p] : g.b[g.bOff + p * n + j])
    : (j: number, p: number) => (g.transA ? g.a[g.aOff + p * m + j] : g.a[g.aOff + j * k + p]);
  const size = f64 ? 8 : 4;
  const matLen = len * k;
  // regions: the matrix (plus a vector of slack the last overread takes), the vectors, the results
  // (each rounded up to whole vectors)
  const vLen = line(k * size) / size;
  const yLen = (len + 3) & ~3;
  const v0 = line((matLen + 4) * size) / size;
  const y0 = v0 + count * vLen;
  const memory = memoryOf(mod, (y0 + count * yLen) * size);
  const heap = f64 ? new Float64Array(memory) : new Float32Array(memory);
  heap.set(mat.subarray(matOff, matOff + matLen), 0);
  for (let j = 0; j < count; j++) for (let p = 0, at = v0 + j * vLen; p < k; p++) heap[at + p] = vec(j, p);
  if (!dot) {
    heap.fill(0, matLen, matLen + 4);
    heap.fill(0, y0, y0 + count * yLen);
  }
  const kernel = dot ? (f64 ? mod.dot_rows_f64 : mod.dot_rows_f32) : f64 ? mod.axpy_rows_f64 : mod.axpy_rows_f32;
  for (let j = 0; j < count; j++)
    kernel(0, (dot ? k : len) * size, (v0 + j * vLen) * size, (y0 + j * yLen) * size, len, k);
  // result j is column j of C, or row j
  for (let j = 0; j < count; j++) {
    const y = y0 + j * yLen;
    if (byColumns) for (let i = 0; i < len; i++) g.out[g.outOff + i * n + j] = heap[y + i];
    else g.out.set(heap.subarray(y, y + len), g.outOff + j * n);
  }
  return true;
}
