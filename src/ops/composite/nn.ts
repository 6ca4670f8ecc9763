// softmax and logSoftmax, computed from x minus its max, so they are exact and finite for large inputs.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { normalizeAxis } from '../../core/shape';
import { exp, log } from '../prims/unary';
import { div, sub } from '../prims/binary';
import { max, sum } from '../prims/reduce';
import { stopGradient } from '../prims/cast';

/** x minus its max along `axis` (kept dims), the max held constant: the results do not depend on it. */
// NOTE: no guard for an infinite max, as TF's Softmax and LogSoftmax kernels (softmax_op_functor.h
// subtracts the max as it is): a +Infinity in a row makes the whole row NaN (inf - inf), and so does
// a row all -Infinity; a -Infinity beside finite values gives 0 (softmax) or -Infinity (logSoftmax).
// logSumExp keeps its guard, as TF's reduce_logsumexp.
function shiftedByMax(t: Tensor, axis: number): Tensor {
  return sub(t, stopGradient(max(t, axis, true)));
}

/**
 * log(softmax(x)) along `axis`: (x - max) - log(sum(exp(x - max))).
 * @example
 * tg.logSoftmax([0, 0]); // [-0.6931472, -0.6931472]
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor('logSoftmax', x);
  const ax = normalizeAxis('logSoftmax', axis, t.rank);
  const shifted = shiftedByMax(t, ax);
  return sub(shifted, log(sum(exp(shifted), ax, true)));
}

/**
 * exp(x) / sum(exp(x)) along `axis`, computed from x - max: finite and exact for inputs like ±1000.
 * @example
 * tg.softmax([1000, 1000]); // [0.5, 0.5]
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor('softmax', x);
  const ax = normalizeAxis('softmax', axis, t.rank);
  const e = exp(shiftedByMax(t, ax));
  return div(e, sum(e, ax, true));
}
