// Reduction composites: mean (int32 truncating, as TF), and logSumExp with its guarded max-shift.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { normalizeAxes, sizeOf } from '../../core/shape';
import { requireBoolean } from '../../core/args';
import { add, div, sub } from '../prims/binary';
import { exp, isFinite, log } from '../prims/unary';
import { max, sum } from '../prims/reduce';
import { where } from '../prims/select';
import { reshape } from '../prims/shape';
import { cast, stopGradient } from '../prims/cast';
import { zerosLike } from '../create';

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
