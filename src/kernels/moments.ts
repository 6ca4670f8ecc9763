// The population variance over the middle extent of x seen as [outer, n, inner], and its backward
// pass, one pass each. The variance rounds every step to the dtype and sums in doubles in order, as
// the ops sum, div, sub, mul, sum, div of mean((x − mean(x))²) do, so its values are theirs bit for
// bit; the backward pass is TF's, (2·dy/n)·(x − mean(x)).
import type { NumArray } from './offsets';

/** The mean of each (o, ·, j) line as mean(x) computes it: summed in doubles from the first, rounded, divided, rounded. */
function lineMean(x: NumArray, base: number, n: number, inner: number, f32: boolean): number {
  let s = x[base];
  for (let k = 1, at = base + inner; k < n; k++, at += inner) s += x[at];
  return f32 ? Math.fround(Math.fround(s) / n) : s / n;
}

/** out[o, j] = mean((x[o, ·, j] − mean)²); x and out both Float32Array or both Float64Array, n ≥ 1. */
export function varianceKernel(x: NumArray, outer: number, n: number, inner: number, out: NumArray): void {
  const f32 = out instanceof Float32Array;
  const fr = Math.fround;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      const m = lineMean(x, base, n, inner, f32);
      let s = 0;
      if (f32) {
        const d0 = fr(x[base] - m);
        s = fr(d0 * d0);
        for (let k = 1, at = base + inner; k < n; k++, at += inner) {
          const d = fr(x[at] - m);
          s += fr(d * d);
        }
        out[o * inner + j] = fr(s) / n;
      } else {
        const d0 = x[base] - m;
        s = d0 * d0;
        for (let k = 1, at = base + inner; k < n; k++, at += inner) {
          const d = x[at] - m;
          s += d * d;
        }
        out[o * inner + j] = s / n;
      }
    }
  }
}

/**
 * out[o, k, j] = (2·(g[o, j] / n))·(x[o, k, j] − mean(x[o, ·, j])): the variance's backward pass, as
 * TF computes it; every product rounded to the dtype. All arrays of one float type, n ≥ 1.
 */
export function varianceGradKernel(
  x: NumArray,
  g: NumArray,
  outer: number,
  n: number,
  inner: number,
  out: NumArray,
): void {
  const f32 = out instanceof Float32Array;
  const fr = Math.fround;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      const m = lineMean(x, base, n, inner, f32);
      const gi = g[o * inner + j];
      if (f32) {
        const scale = 2 * fr(gi / n);
        for (let k = 0, at = base; k < n; k++, at += inner) out[at] = scale * fr(x[at] - m);
      } else {
        const scale = 2 * (gi / n);
        for (let k = 0, at = base; k < n; k++, at += inner) out[at] = scale * (x[at] - m);
      }
    }
  }
}
