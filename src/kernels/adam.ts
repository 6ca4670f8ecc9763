// Adam's step (Keras 3's rule) in one pass over the variable: the new moments and the new value,
// every step rounded to the dtype as the ops add, sub, mul, square, sqrt and div round it, so the
// results are bit for bit those of the ops, with three output arrays instead of about twelve.
import type { NumArray } from './offsets';

/** The step's constants, already in the variable's dtype (rounded to float32 for float32). */
export interface AdamConstants {
  /** 1 − β1 */
  oneMinusBeta1: number;
  /** 1 − β2 */
  oneMinusBeta2: number;
  /** lr·√(1 − β2^t) / (1 − β1^t) */
  alpha: number;
  epsilon: number;
}

/**
 * m' = m + (g − m)(1 − β1), v' = v + (g² − v)(1 − β2), w' = w − m'·α / (√v' + ε), written into
 * outW, outM and outV; every array of one length and one float type.
 */
export function adamKernel(
  g: NumArray,
  w: NumArray,
  m: NumArray,
  v: NumArray,
  c: AdamConstants,
  outW: NumArray,
  outM: NumArray,
  outV: NumArray,
): void {
  const { oneMinusBeta1: b1, oneMinusBeta2: b2, alpha, epsilon } = c;
  const n = g.length;
  if (outW instanceof Float32Array) {
    const fr = Math.fround;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = fr(m[i] + fr(fr(gi - m[i]) * b1));
      const vi = fr(v[i] + fr(fr(fr(gi * gi) - v[i]) * b2));
      outM[i] = mi;
      outV[i] = vi;
      outW[i] = w[i] - fr(fr(mi * alpha) / fr(fr(Math.sqrt(vi)) + epsilon));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * b1;
      const vi = v[i] + (gi * gi - v[i]) * b2;
      outM[i] = mi;
      outV[i] = vi;
      outW[i] = w[i] - (mi * alpha) / (Math.sqrt(vi) + epsilon);
    }
  }
}
