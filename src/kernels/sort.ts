// Sorting kernels: argsort / top-k along one axis (stable: ties keep index order, as TF's TopK), and
// the gather and scatter-add of values along that axis at per-line indices (sort's values and gradient).
import type { NumArray } from './offsets';

/**
 * For each line of an input seen as [outer, n, inner], the indices of its first `k` elements in sorted
 * order (descending or ascending; NaN counts as the largest value; equal values keep their index
 * order), written to out[o, q, i]. With `byIndex`, the k chosen indices are written in increasing
 * order instead (topk's sorted = false). O(n log n) a line.
 */
export function argsortKernel(
  x: NumArray,
  outer: number,
  n: number,
  inner: number,
  descending: boolean,
  k: number,
  byIndex: boolean,
  out: Int32Array,
): void {
  const keys = new Float64Array(n);
  const perm = new Int32Array(n);
  // a total order on (key, index): NaN above every number, ties by the lower index
  const before = descending
    ? (a: number, b: number): number => {
        const ka = keys[a];
        const kb = keys[b];
        if (ka > kb || (ka !== ka && kb === kb)) return -1;
        if (ka < kb || (kb !== kb && ka === ka)) return 1;
        return a - b;
      }
    : (a: number, b: number): number => {
        const ka = keys[a];
        const kb = keys[b];
        if (ka < kb || (kb !== kb && ka === ka)) return -1;
        if (ka > kb || (ka !== ka && kb === kb)) return 1;
        return a - b;
      };
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) {
        keys[j] = x[base + j * inner];
        perm[j] = j;
      }
      perm.sort(before);
      const chosen = byIndex ? perm.subarray(0, k).sort() : perm;
      const dst = o * k * inner + i;
      for (let q = 0; q < k; q++) out[dst + q * inner] = chosen[q];
    }
  }
}

/**
 * out[o, q, i] = x[o, idx[o', q, i], i] for an input seen as [outer, n, inner] and indices as
 * [idxOuter, k, inner] with o' = o mod idxOuter (leading batch axes of a tangent reuse the indices).
 */
export function takeAlongAxisKernel(
  x: NumArray,
  idx: Int32Array,
  outer: number,
  n: number,
  k: number,
  inner: number,
  out: NumArray,
): void {
  const idxOuter = idx.length / (k * inner) || 1;
  for (let o = 0; o < outer; o++) {
    const io = (o % idxOuter) * k * inner;
    const src = o * n * inner;
    const dst = o * k * inner;
    for (let q = 0; q < k; q++) {
      for (let i = 0; i < inner; i++) out[dst + q * inner + i] = x[src + idx[io + q * inner + i] * inner + i];
    }
  }
}

/** The adjoint of takeAlongAxisKernel: out[o, idx[o', q, i], i] += dy[o, q, i]; out must start at zero. */
export function putAlongAxisAddKernel(
  dy: NumArray,
  idx: Int32Array,
  outer: number,
  n: number,
  k: number,
  inner: number,
  out: NumArray,
): void {
  const idxOuter = idx.length / (k * inner) || 1;
  for (let o = 0; o < outer; o++) {
    const io = (o % idxOuter) * k * inner;
    const dst = o * n * inner;
    const src = o * k * inner;
    for (let q = 0; q < k; q++) {
      for (let i = 0; i < inner; i++) out[dst + idx[io + q * inner + i] * inner + i] += dy[src + q * inner + i];
    }
  }
}
