// softmax and logSoftmax, stable for large inputs.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { exp } from '../prims/unary';
import { sub } from '../prims/binary';
import { logSumExp } from './reduce';

/**
 * log(softmax(x)) along `axis`, computed as x - logSumExp(x) so it stays finite.
 * @example
 * tg.logSoftmax([0, 0]); // [-0.6931472, -0.6931472]
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor('logSoftmax', x);
  return sub(t, logSumExp(t, axis, true));
}

/**
 * exp(x) / sum(exp(x)) along `axis`, finite for inputs like ±1000.
 * @example
 * tg.softmax([1000, 1000]); // [0.5, 0.5]
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
