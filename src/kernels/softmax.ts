// softmax along one axis in three passes over the output: x minus the row's max, exp, then each
// divided by the row's sum. Every step rounds to the dtype and sums in doubles in order, as the ops
// max, sub, exp, sum and div do, so the values are theirs bit for bit.
import { EXP_TABLE, expF32 } from './exp';
import { runSoftmax } from './wasm_special';
import type { NumArray } from './offsets';

/**
 * out = softmax(x) over the middle extent of x seen as [outer, n, inner] (inner 1: the last axis).
 * x and out are both Float32Array or both Float64Array.
 */
export function softmaxKernel(x: NumArray, outer: number, n: number, inner: number, out: NumArray): void {
  if (n === 0) return;
  const f32 = out instanceof Float32Array;
  // the last axis of float32, by whole vectors: the WebAssembly kernels (the same values)
  if (f32 && inner === 1 && runSoftmax(EXP_TABLE, x as Float32Array, out, outer, n)) return;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      // the max as the max reduction takes it: a NaN wins
      let m = x[base];
      for (let k = 1, at = base + inner; k < n; k++, at += inner) {
        const e = x[at];
        if (e > m || e !== e) m = e;
      }
      for (let k = 0, at = base; k < n; k++, at += inner) out[at] = x[at] - m;
    }
  }
  if (f32) expF32(out, out);
  else for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let s = out[base];
      for (let k = 1, at = base + inner; k < n; k++, at += inner) s += out[at];
      // the sum rounded to the dtype once, as the sum reduction stores it
      const total = f32 ? Math.fround(s) : s;
      for (let k = 0, at = base; k < n; k++, at += inner) out[at] = out[at] / total;
    }
  }
}

/**
 * out = (dy − Σ dy·y)·y over the middle extent (TF's SoftmaxGrad) in one pass per line: each product
 * and difference rounded to the dtype and the sum taken in doubles in order, as the ops mul, sum, sub
 * and mul give it, bit for bit. All arrays Float32Array or all Float64Array.
 */
export function softmaxGradKernel(
  y: NumArray,
  dy: NumArray,
  outer: number,
  n: number,
  inner: number,
  out: NumArray,
): void {
  if (n === 0) return;
  const f32 = out instanceof Float32Array;
  const fr = Math.fround;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let s = f32 ? fr(dy[base] * y[base]) : dy[base] * y[base];
      for (let k = 1, at = base + inner; k < n; k++, at += inner) s += f32 ? fr(dy[at] * y[at]) : dy[at] * y[at];
      if (f32) {
        const total = fr(s);
        for (let k = 0, at = base; k < n; k++, at += inner) out[at] = fr(dy[at] - total) * y[at];
      } else for (let k = 0, at = base; k < n; k++, at += inner) out[at] = (dy[at] - s) * y[at];
    }
  }
}
