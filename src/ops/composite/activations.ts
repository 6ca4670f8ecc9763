// Activation composites (logSigmoid, softsign, silu): built from primitives, no gradient code of their own.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { add, div, mul } from '../prims/binary';
import { abs, neg, sigmoid, softplus } from '../prims/unary';
import { requireFloat } from '../operands';

/** x as a float tensor, or a DTypeError naming the op. */
function floatTensor(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, x);
  requireFloat(op, t);
  return t;
}

/**
 * log(sigmoid(x)) = −softplus(−x), finite for any input (−1000 at −1000, and −0 at 1000), as TF's log_sigmoid.
 * @example
 * tg.logSigmoid([0, -1000]); // [-0.6931472, -1000]
 */
// NOTE: the gradient is softplus's, sigmoid(−x): 1 at −1000 and 0 at 1000, never NaN
export function logSigmoid(x: TensorLike): Tensor {
  return neg(softplus(neg(floatTensor('logSigmoid', x))));
}

/**
 * x / (1 + |x|), as TF's softsign; its gradient is 1 / (1 + |x|)² (1 at x = 0, as TF's SoftsignGrad).
 * @example
 * tg.softsign([-3, 0, 1]); // [-0.75, 0, 0.5]
 */
export function softsign(x: TensorLike): Tensor {
  const t = floatTensor('softsign', x);
  return div(t, add(abs(t), 1));
}

/**
 * x · sigmoid(x), the SiLU (TF's silu, also called swish), finite for any input.
 * @example
 * tg.silu([0, 1]); // [0, 0.7310586]
 */
// NOTE: the gradient sigmoid(x)·(1 + x·(1 − sigmoid(x))) is what TF's custom gradient of swish computes
export function silu(x: TensorLike): Tensor {
  const t = floatTensor('silu', x);
  return mul(t, sigmoid(t));
}
