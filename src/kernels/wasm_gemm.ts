// The WebAssembly SIMD matmul: copies A and B into the module's memory (A stays in its layout, the
// kernel reads it through strides; B is packed into column panels, inside the module unless it is
// transposed), runs the kernel, and copies C out. A batch of products of one shape is copied in once
// (an operand shared by every item, once) and run as one job, which the helper thread shares. Thin
// products go to the matrix-vector kernels. Returns false where WebAssembly SIMD is missing, so the
// caller falls back to the TypeScript kernel.
import type { GemmArgs } from './matmul';
import { GEMM_PANEL_BYTES, GEMM_TILE_ROWS } from './wasm/generated';
import { RESERVED_BYTES, kernelsModule, memoryOf } from './wasm_module';
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
  return wasmGemmBatch(g, [g.aOff], [g.bOff]);
}

/** Where each item of a batch lies: one place for all (step 0), consecutive blocks, or anywhere. */
function strideOf(offsets: ArrayLike<number>, block: number): number | null {
  const first = offsets[0];
  let same = true;
  let consecutive = true;
  for (let t = 1; t < offsets.length; t++) {
    if (offsets[t] !== first) same = false;
    if (offsets[t] !== first + t * block) consecutive = false;
  }
  return same ? 0 : consecutive ? block : null;
}

/**
 * Copies the operand blocks at `offsets` (each `block` elements of `src`) into the heap from element
 * `at` on, one after the other (once when they are all the same block); returns the elements from
 * one item's copy to the next (0 for a shared one).
 */
function copyBlocks(
  heap: Float32Array | Float64Array,
  at: number,
  src: GemmArgs['a'],
  offsets: ArrayLike<number>,
  block: number,
): number {
  const stride = strideOf(offsets, block);
  if (stride !== null) {
    const count = stride === 0 ? 1 : offsets.length;
    heap.set(src.subarray(offsets[0], offsets[0] + count * block), at);
    return stride === 0 ? 0 : block;
  }
  for (let t = 0; t < offsets.length; t++) heap.set(src.subarray(offsets[t], offsets[t] + block), at + t * block);
  return block;
}

/**
 * A batch of products of one shape with the WebAssembly kernel: item t is op(A)·op(B) with A at
 * aOffs[t] and B at bOffs[t] (the other fields as in `g`, whose aOff and bOff are not read), written
 * at g.outOff + t·m·n. Operands are copied into the module's memory once for the whole batch (a shared
 * one once), B packed, and the items split with the helper thread when the batch is large. Returns
 * false (having done nothing) where the kernel is unavailable.
 */
export function wasmGemmBatch(g: GemmArgs, aOffs: ArrayLike<number>, bOffs: ArrayLike<number>): boolean {
  const mod = kernelsModule();
  const f64 = g.out instanceof Float64Array;
  if (mod === null || !(f64 || g.out instanceof Float32Array)) return false;
  const { m, n, k, transA, transB } = g;
  const count = aOffs.length;
  const size = f64 ? 8 : 4;
  const nr = NR[size];
  const mp = Math.ceil(m / MR);
  const np = Math.ceil(n / nr);
  const aItems = strideOf(aOffs, m * k) === 0 ? 1 : count;
  const bItems = strideOf(bOffs, k * n) === 0 ? 1 : count;
  // regions, in bytes: the A blocks one after the other, then zeros for the rows of the last tile
  // past m (and a panel's width more); the B blocks likewise, with a panel's width of zeroed bytes,
  // which the last partial panel reads (only when B is packed in the module, i.e. not transposed);
  // B packed; C with padded rows. A partial tile or panel may also read the next block: those values
  // reach only rows and columns of C that are never copied out.
  const aBytes = line(((aItems - 1) * m * k + mp * MR * k + nr) * size);
  const bRaw = RESERVED_BYTES + aBytes;
  const bRawBytes = transB ? 0 : line(bItems * k * n * size + GEMM_PANEL_BYTES);
  const bp = bRaw + bRawBytes;
  const bpItem = np * nr * k * size;
  const c = bp + line(bItems * bpItem);
  const cRow = np * nr;
  const cItem = mp * MR * cRow * size;
  const memory = memoryOf(mod, c + count * cItem);
  const heap = f64 ? new Float64Array(memory) : new Float32Array(memory);
  const a0 = RESERVED_BYTES / size;
  const aStep = copyBlocks(heap, a0, g.a, aOffs, m * k);
  const aEnd = a0 + (aItems - 1) * m * k + m * k;
  heap.fill(0, aEnd, (RESERVED_BYTES + aBytes) / size);
  if (transB) {
    for (let t = 0; t < bItems; t++) packTransposedB(heap, (bp + t * bpItem) / size, g.b, bOffs[t], n, k, np, nr);
  } else {
    copyBlocks(heap, bRaw / size, g.b, bOffs, k * n);
    heap.fill(0, bRaw / size + bItems * k * n, (bRaw + bRawBytes) / size);
    for (let t = 0; t < bItems; t++) mod.pack_b(bRaw + t * k * n * size, n * size, k, np, bp + t * bpItem);
  }
  // A's element (i, p) lies at i·k + p, or at p·m + i when A is stored transposed
  const aRowStride = transA ? size : k * size;
  const aColStride = transA ? m * size : size;
  runGemm(
    mod,
    f64,
    { a: RESERVED_BYTES, aRowStride, aColStride, bp, c, cRowStride: cRow * size, mp, np, k },
    { count, aStep: aStep * size, bStep: bItems === 1 ? 0 : bpItem, cStep: cItem },
    count * m * n * k,
  );
  const c0 = c / size;
  const cItemElems = cItem / size;
  if (cRow === n && mp * MR === m) g.out.set(heap.subarray(c0, c0 + count * m * n), g.outOff);
  else
    for (let t = 0; t < count; t++)
      for (let i = 0; i < m; i++) {
        const from = c0 + t * cItemElems + i * cRow;
        g.out.set(heap.subarray(from, from + n), g.outOff + t * m * n + i * n);
      }
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
  return wasmMatvecBatch(g, [g.aOff], [g.bOff]);
}

/**
 * A batch of thin products of one shape (item t: A at aOffs[t], B at bOffs[t], C at g.outOff + t·m·n)
 * whose matrix operand (A when the products are narrow, else B) is the same for every item, as
 * wasmMatvec computes each: the matrix is copied in once. Returns false (having done nothing) where
 * wasmMatvec would, or where the items' matrices differ.
 */
export function wasmMatvecBatch(g: GemmArgs, aOffs: ArrayLike<number>, bOffs: ArrayLike<number>): boolean {
  const mod = kernelsModule();
  const f64 = g.out instanceof Float64Array;
  if (mod === null || !(f64 || g.out instanceof Float32Array)) return false;
  const { m, n, k } = g;
  const narrow = n < NR[f64 ? 8 : 4];
  if (!narrow && m >= MR) return false;
  // by columns when C is narrow (the fewer vectors when it is also short)
  const byColumns = narrow && (m >= MR || n <= m);
  // y_j = M·v_j, j < count, with M held as `len` rows of k (row-major, `dot`) or as k rows of len
  const [mat, matOffs, len, dot, count] = byColumns ? [g.a, aOffs, m, !g.transA, n] : [g.b, bOffs, n, g.transB, m];
  const items = aOffs.length;
  if (items > 1 && strideOf(matOffs, len * k) !== 0) return false;
  const matOff = matOffs[0];
  /** Element p of vector j of item t: B[p][j] (a column of B), or A[j][p] (a row of A). */
  const vec = byColumns
    ? (t: number, j: number, p: number) => (g.transB ? g.b[bOffs[t] + j * k + p] : g.b[bOffs[t] + p * n + j])
    : (t: number, j: number, p: number) => (g.transA ? g.a[aOffs[t] + p * m + j] : g.a[aOffs[t] + j * k + p]);
  const size = f64 ? 8 : 4;
  const matLen = len * k;
  const vectors = items * count;
  // regions: the matrix (plus a vector of slack the last overread takes), the vectors, the results
  // (each rounded up to whole vectors), as element indices into the heap past the reserved tables
  const base = RESERVED_BYTES / size;
  const vLen = line(k * size) / size;
  const yLen = (len + 3) & ~3;
  const v0 = base + line((matLen + 4) * size) / size;
  const y0 = v0 + vectors * vLen;
  const memory = memoryOf(mod, (y0 + vectors * yLen) * size);
  const heap = f64 ? new Float64Array(memory) : new Float32Array(memory);
  heap.set(mat.subarray(matOff, matOff + matLen), base);
  // a vector that lies contiguous (a column of B stored transposed or of one column; a row of A) is
  // copied whole
  const contiguous = byColumns ? g.transB || n === 1 : !g.transA;
  for (let t = 0; t < items; t++)
    for (let j = 0; j < count; j++) {
      const at = v0 + (t * count + j) * vLen;
      if (contiguous) {
        const [src, from] = byColumns ? [g.b, bOffs[t] + j * k] : [g.a, aOffs[t] + j * k];
        heap.set(src.subarray(from, from + k), at);
      } else for (let p = 0; p < k; p++) heap[at + p] = vec(t, j, p);
    }
  if (!dot) {
    heap.fill(0, base + matLen, base + matLen + 4);
    heap.fill(0, y0, y0 + vectors * yLen);
  }
  const kernel = dot ? (f64 ? mod.dot_rows_f64 : mod.dot_rows_f32) : f64 ? mod.axpy_rows_f64 : mod.axpy_rows_f32;
  for (let v = 0; v < vectors; v++)
    kernel(RESERVED_BYTES, (dot ? k : len) * size, (v0 + v * vLen) * size, (y0 + v * yLen) * size, len, k);
  // result j of item t is column j of its C, or row j
  for (let t = 0; t < items; t++) {
    const outOff = g.outOff + t * m * n;
    for (let j = 0; j < count; j++) {
      const y = y0 + (t * count + j) * yLen;
      if (byColumns && n > 1) for (let i = 0; i < len; i++) g.out[outOff + i * n + j] = heap[y + i];
      else g.out.set(heap.subarray(y, y + len), outOff + j * n);
    }
  }
  return true;
}
