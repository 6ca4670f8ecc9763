// Elementwise kernels of TF's Reciprocal, Rsqrt and LeakyRelu and of the fused backward passes
// SqrtGrad, RsqrtGrad, ReciprocalGrad and LeakyReluGrad, with TF's scalar formulas and rounding.
import type { NumArray } from './offsets';

// NOTE: float32 results round each intermediate to float32, as TF's float kernels do; the formulas
// are Eigen's scalar paths (cwise_ops_gradients.h), which TF runs on the elements that do not fill a
// SIMD packet, so on all of a small tensor (its packet paths order the products otherwise, and may
// differ from these in the last bit)

/** out[i] = 1 / x[i] (TF's Reciprocal; one correctly rounded division in either dtype). */
export function reciprocalKernel(x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = 1 / x[i];
}

/** out[i] = 1 / sqrt(x[i]) (TF's Rsqrt, Eigen's scalar rsqrt: the square root rounded, then divided). */
export function rsqrtKernel(x: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) out[i] = 1 / Math.fround(Math.sqrt(x[i]));
  } else {
    for (let i = 0; i < out.length; i++) out[i] = 1 / Math.sqrt(x[i]);
  }
}

/**
 * out[i] = dy[i] == 0 ? 0 : (0.5·dy[i]) / y[i], sqrt's backward from its output y (TF's SqrtGrad):
 * a zero upstream gradient gives 0 even where y is 0 or NaN.
 */
export function sqrtGradKernel(y: NumArray, dy: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] === 0 ? 0 : Math.fround(0.5 * dy[i]) / y[i];
  } else {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] === 0 ? 0 : (0.5 * dy[i]) / y[i];
  }
}

/**
 * out[i] = dy[i] == 0 ? 0 : (-0.5·(dy[i]·y[i]))·(y[i]·y[i]), rsqrt's backward from its output y
 * (TF's RsqrtGrad), guarded as sqrtGradKernel.
 */
export function rsqrtGradKernel(y: NumArray, dy: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) {
      const g = dy[i];
      const v = y[i];
      out[i] = g === 0 ? 0 : Math.fround(-0.5 * Math.fround(g * v)) * Math.fround(v * v);
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      const g = dy[i];
      const v = y[i];
      out[i] = g === 0 ? 0 : -0.5 * (g * v) * (v * v);
    }
  }
}

/**
 * out[i] = dy[i] == 0 ? 0 : (-y[i]·y[i])·dy[i], reciprocal's backward from its output y (TF's
 * ReciprocalGrad), guarded as sqrtGradKernel.
 */
export function reciprocalGradKernel(y: NumArray, dy: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] === 0 ? 0 : Math.fround(-y[i] * y[i]) * dy[i];
  } else {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] === 0 ? 0 : -y[i] * y[i] * dy[i];
  }
}

/**
 * out[i] = x[i] > 0 ? x[i] : x[i]·alpha (TF's LeakyRelu; NaN stays NaN). `alpha` is used as given:
 * the caller rounds it to float32 as TF's float attribute.
 */
export function leakyReluKernel(x: NumArray, alpha: number, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] > 0 ? x[i] : x[i] * alpha;
}

/** out[i] = x[i] > 0 ? dy[i] : dy[i]·alpha: leakyRelu's backward (TF's LeakyReluGrad). */
export function leakyReluGradKernel(dy: NumArray, x: NumArray, alpha: number, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] > 0 ? dy[i] : dy[i] * alpha;
}
