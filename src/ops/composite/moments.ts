// moments: the mean and the population variance over some axes in one call, as TF's tf.nn.moments.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { requireBoolean } from '../../core/args';
import { normalizeAxes } from '../../core/shape';
import type { Tensor } from '../../core/tensor';
import { requireNumeric } from '../operands';
import { mul, sub } from '../prims/binary';
import { reshape } from '../prims/shape';
import { mean } from './reduce';
import { fusedVariance } from '../prims/variance';
import { isFloat } from '../../core/dtype';

/**
 * The mean and population variance of `x` over `axes` (all axes when omitted), as TF's tf.nn.moments;
 * of int32, both int32 (each mean truncated toward zero, as TF).
 * @example
 * tg.moments([[1, 2], [3, 4]], 0).variance; // [1, 1]  (((1 - 2)² + (3 - 2)²) / 2)
 */
// NOTE: a deliberate difference from TF: tf.nn.moments takes the squared differences from
// stop_gradient(mean). First derivatives are the same (the dropped term is Σ(x - mean) = 0), but
// through the stopped mean TF's second derivatives of the variance are wrong (2/n·I instead of
// 2/n·(I - 11ᵀ/n)); here the mean is not stopped, so every order is right.
export function moments(
  x: TensorLike,
  axes?: number | readonly number[] | null,
  keepDims = false,
): { mean: Tensor; variance: Tensor } {
  const t = toTensor('moments', x);
  requireNumeric('moments', t);
  requireBoolean('moments', 'keepDims', keepDims);
  const ax = normalizeAxes('moments', axes, t.rank);
  const m = mean(t, ax, true);
  // float: the variance in one primitive where the axes are adjacent (the same values)
  const fused = isFloat(t.dtype) ? fusedVariance(t, ax, keepDims) : null;
  let v: Tensor;
  if (fused !== null) v = fused;
  else {
    const deviations = sub(t, m);
    v = mean(mul(deviations, deviations), ax, keepDims);
  }
  return { mean: keepDims ? m : reshape(m, v.shape), variance: v };
}
