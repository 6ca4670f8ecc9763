// Reduction composites: mean (int32 truncating, as TF), logSumExp with its guarded max-shift, and
// TF's reduce_variance, reduce_std and reduce_euclidean_norm.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { normalizeAxes, sizeOf } from '../../core/shape';
import { requireBoolean } from '../../core/args';
import { add, div, mul, sub } from '../prims/binary';
import { exp, isFinite, log, sqrt } from '../prims/unary';
import { max, sum } from '../prims/reduce';
import { where } from '../prims/select';
import { reshape } from '../prims/shape';
import { cast, stopGradient } from '../prims/cast';
import { fusedVariance } from '../prims/variance';
import { zerosLike } from '../create';
import { requireFloat, requireNumeric } from '../operands';

/**
 * Mean over `axis` (all axes when omitted); of int32, an int32 truncated toward zero, as TF.
 * @example
 * tg.mean([[1, 2], [3, 4]]); // 2.5  ((1 + 2 + 3 + 4) / 4)
 */
export function mean(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = toTensor('mean', x);
  requireBoolean('mean', 'keepDims', keepDims);
  const axes = normalizeAxes('mean', axis, t.rank);
  const count = sizeOf(axes.map((a) => t.shape[a]));
  if (t.dtype === 'int32') {
    // NOTE: as TF's Mean of int32 (reduction_ops.h): the sum without overflow (TF: int64; here
    // float64, exact to 2^53), divided by the count with C's truncation toward zero, back to int32;
    // an empty reduction gives 0 (TF's identity for integer means)
    const total = sum(cast(t, 'float64'), axes, keepDims);
    return cast(div(total, Math.max(count, 1)), 'int32');
  }
  return div(sum(t, axes, keepDims), count);
}

/**
 * @internal x minus its (constant) max over `axes`, kept dims; an infinite max shifts by 0 so
 * inf - inf never appears (as TF's reduce_logsumexp; softmax and logSoftmax shift without a guard). Returns the shift too. The gradient does not flow through the shift:
 * the shifted results do not depend on it.
 */
export function shiftByMax(t: Tensor, axes: readonly number[]): { shifted: Tensor; shift: Tensor } {
  const m = max(t, axes, true);
  const shift = stopGradient(where(isFinite(m), m, zerosLike(m)));
  return { shifted: sub(t, shift), shift };
}

/**
 * log(sum(exp(x))) over `axis`, finite for inputs like ±1000.
 * @example
 * tg.logSumExp([1000, 1000]); // 1000.6931
 */
export function logSumExp(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = toTensor('logSumExp', x);
  requireBoolean('logSumExp', 'keepDims', keepDims);
  const axes = normalizeAxes('logSumExp', axis, t.rank);
  const { shifted, shift } = shiftByMax(t, axes);
  const out = add(log(sum(exp(shifted), axes, true)), shift);
  return keepDims
    ? out
    : reshape(
        out,
        out.shape.filter((_, i) => !axes.includes(i)),
      );
}

/**
 * @internal The population variance over `axes` (already normalised) of a float tensor: the mean of
 * the squared deviations from the mean, as TF's reduce_variance (two passes, no cancellation).
 */
// NOTE: one primitive over adjacent axes (prims/variance.ts), the same values bit for bit
export function varianceOf(t: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const fused = fusedVariance(t, axes, keepDims);
  if (fused !== null) return fused;
  const deviations = sub(t, mean(t, axes, true));
  return mean(mul(deviations, deviations), axes, keepDims);
}

/**
 * Population variance over `axis` (all axes when omitted): the mean of squared deviations from the
 * mean, as TF's reduce_variance; float only.
 * @example
 * tg.variance([[1, 2], [3, 4]]); // 1.25  ((2.25 + 0.25 + 0.25 + 2.25) / 4)
 * tg.variance([[1, 2], [3, 4]], 1); // [0.25, 0.25]
 */
export function variance(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = toTensor('variance', x);
  requireFloat('variance', t);
  requireBoolean('variance', 'keepDims', keepDims);
  return varianceOf(t, normalizeAxes('variance', axis, t.rank), keepDims);
}

/**
 * Population standard deviation over `axis` (all axes when omitted), sqrt(variance), as TF's
 * reduce_std; float only.
 * @example
 * tg.std([[1, 2], [3, 4]]); // 1.1180340  (sqrt(1.25))
 */
// NOTE: as TF, where the variance is 0 (all equal) the gradient is NaN: sqrt's 0.5/0 = inf meets the
// deviations' 0 (TF's reduce_std is sqrt(reduce_variance) too; its SqrtGrad gives inf·0 there)
export function std(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = toTensor('std', x);
  requireFloat('std', t);
  requireBoolean('std', 'keepDims', keepDims);
  return sqrt(varianceOf(t, normalizeAxes('std', axis, t.rank), keepDims));
}

/**
 * sqrt(sum(x²)) over `axis` (all axes when omitted), as TF's reduce_euclidean_norm; of int32, an
 * int32 (the root truncated, as TF).
 * @example
 * tg.euclideanNorm([[3, 4], [5, 12]], 1); // [5, 13]
 */
// NOTE: the gradient is x·dy/norm, as TF's _EuclideanNormGrad: NaN where the norm is 0 (0/0); TF computes
// x / (norm / dy), which also gives NaN where both the norm and dy are 0, here 0 (sqrt's guarded gradient)
export function euclideanNorm(x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const t = toTensor('euclideanNorm', x);
  requireNumeric('euclideanNorm', t);
  requireBoolean('euclideanNorm', 'keepDims', keepDims);
  const axes = normalizeAxes('euclideanNorm', axis, t.rank);
  const squares = sum(mul(t, t), axes, keepDims);
  // int32: the sum of squares in int32 arithmetic, its root in doubles truncated back, as TF's int kernel
  return t.dtype === 'int32' ? cast(sqrt(cast(squares, 'float64')), 'int32') : sqrt(squares);
}
