// Row kernels for gather/scatter by index: a tensor seen as [batch, rows, slice] is read or written a
// whole slice at a time at the rows an index list names (gatherND, scatterND, the segment ops,
// booleanMask), plus the coordinates of one-argument where. A row of -1 means "none" (dropped).
import type { NumArray } from './offsets';

/** out[b, r, :] = x[b, rows[r], :] (zeros where rows[r] < 0), x seen as [batch, nIn, slice]. */
export function gatherRowsKernel(x: NumArray, rows: Int32Array, nIn: number, slice: number, out: NumArray): void {
  const nOut = rows.length;
  const batch = nOut * slice === 0 ? 0 : out.length / (nOut * slice);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < nOut; r++) {
      const row = rows[r];
      if (row < 0) continue;
      const src = (b * nIn + row) * slice;
      const dst = (b * nOut + r) * slice;
      for (let j = 0; j < slice; j++) out[dst + j] = x[src + j];
    }
  }
}

/** The adjoint of gatherRowsKernel: out[b, rows[r], :] += u[b, r, :] (rows < 0 dropped); out starts at zero. */
export function scatterAddRowsKernel(u: NumArray, rows: Int32Array, nOut: number, slice: number, out: NumArray): void {
  const nIn = rows.length;
  const batch = nIn * slice === 0 ? 0 : u.length / (nIn * slice);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < nIn; r++) {
      const row = rows[r];
      if (row < 0) continue;
      const dst = (b * nOut + row) * slice;
      const src = (b * nIn + r) * slice;
      for (let j = 0; j < slice; j++) out[dst + j] += u[src + j];
    }
  }
}

/** out = t, then out[b, rows[r], :] = u[b, r, :] in order (the last of duplicate rows wins). */
export function scatterUpdateRowsKernel(
  t: NumArray,
  u: NumArray,
  rows: Int32Array,
  nOut: number,
  slice: number,
  out: NumArray,
): void {
  out.set(t);
  const nIn = rows.length;
  const batch = nIn * slice === 0 ? 0 : u.length / (nIn * slice);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < nIn; r++) {
      const row = rows[r];
      if (row < 0) continue;
      const dst = (b * nOut + row) * slice;
      const src = (b * nIn + r) * slice;
      for (let j = 0; j < slice; j++) out[dst + j] = u[src + j];
    }
  }
}

/**
 * Segment max (or min): out[b, s, :] is the max of x[b, r, :] over the rows r with rows[r] = s, and
 * `empty` (the dtype's lowest value for max, highest for min) where no row goes. NaN propagates.
 */
export function segmentExtremumKernel(
  x: NumArray,
  rows: Int32Array,
  nOut: number,
  slice: number,
  largest: boolean,
  empty: number,
  out: NumArray,
): void {
  out.fill(empty);
  const nIn = rows.length;
  const batch = nIn * slice === 0 ? 0 : x.length / (nIn * slice);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < nIn; r++) {
      const row = rows[r];
      if (row < 0) continue;
      const dst = (b * nOut + row) * slice;
      const src = (b * nIn + r) * slice;
      for (let j = 0; j < slice; j++) {
        const v = x[src + j];
        const cur = out[dst + j];
        if (largest ? v > cur || v !== v : v < cur || v !== v) out[dst + j] = v;
      }
    }
  }
}

/** The row-major coordinates of the n nonzero elements of a tensor of `shape`: [n, rank] int32 values, and n. */
export function nonzeroCoordinates(x: NumArray, shape: readonly number[]): { coords: Int32Array; count: number } {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n++;
  const rank = shape.length;
  const out = new Int32Array(n * rank);
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    let rest = i;
    for (let a = rank - 1; a >= 0; a--) {
      out[at + a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    at += rank;
  }
  return { coords: out, count: n };
}
