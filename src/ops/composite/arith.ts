// Elementwise composites: built from primitives, no gradient code of their own.
import type { TensorLike } from '../../core/as_tensor';
import { isTensorish, toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { isFloat, upcast } from '../../core/dtype';
import { DTypeError } from '../../core/errors';
import { broadcastShapes } from '../../core/shape';
import { add, div, greater, greaterEqual, maximum, minimum, mul, sub } from '../prims/binary';
import { erf, expm1, relu, sqrt } from '../prims/unary';
import { where } from '../prims/select';

/** x². @example tg.square([2, -3]); // [4, 9] */
export function square(x: TensorLike): Tensor {
  const t = toTensor('square', x);
  return mul(t, t);
}

/** 1 / x. @example tg.reciprocal([2, 4]); // [0.5, 0.25] */
export function reciprocal(x: TensorLike): Tensor {
  return div(1, toTensor('reciprocal', x));
}

/** 1 / sqrt(x). @example tg.rsqrt([4]); // [0.5] */
export function rsqrt(x: TensorLike): Tensor {
  return reciprocal(sqrt(x));
}

/** (a - b)². @example tg.squaredDifference([3], [1]); // [4] */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return square(sub(a, b));
}

/**
 * Clips to [lo, hi]. The gradient passes where lo <= x <= hi (bounds included), as TF.
 * @example
 * tg.clipByValue([-2, 0.5, 3], 0, 1); // [0, 0.5, 1]
 */
export function clipByValue(x: TensorLike, lo: TensorLike, hi: TensorLike): Tensor {
  // NOTE: all three shapes are checked before maximum runs, or a refused hi would leave the maximum
  // on the tape; the operands are converted as maximum and minimum would convert them
  const hint = isTensorish(x) ? x.dtype : isTensorish(lo) ? lo.dtype : undefined;
  const t = toTensor('maximum', x, hint);
  const l = toTensor('maximum', lo, hint);
  const h = toTensor('minimum', hi, upcast(t.dtype, l.dtype));
  broadcastShapes('minimum', broadcastShapes('maximum', t.shape, l.shape), h.shape);
  return minimum(maximum(t, l), h);
}

/**
 * min(max(x, 0), 6).
 * @example
 * tg.relu6([-1, 3, 9]); // [0, 3, 6]
 */
// NOTE: the gradient is 1 on (0, 6) only: 0 at x = 0 and at x = 6, as TF
export function relu6(x: TensorLike): Tensor {
  const t = toTensor('relu6', x);
  return where(greaterEqual(t, 6), 6, relu(t));
}

function floatInput(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, x);
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${t.dtype}`);
  return t;
}

/** x where x > 0, e^x - 1 elsewhere. @example tg.elu([-1, 2]); // [-0.6321206, 2] */
export function elu(x: TensorLike): Tensor {
  const t = floatInput('elu', x);
  // NOTE: expm1 of min(x, 0), so the branch not taken never overflows and cannot put NaN in the gradient
  return where(greater(t, 0), t, expm1(minimum(t, 0)));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** scale · elu with alpha, the self-normalising constants. @example tg.selu([1]); // [1.050701] */
export function selu(x: TensorLike): Tensor {
  const t = floatInput('selu', x);
  return mul(where(greater(t, 0), t, mul(expm1(minimum(t, 0)), SELU_ALPHA)), SELU_SCALE);
}

/** x where x > 0, alpha·x elsewhere (alpha defaults to 0.2, as TF). @example tg.leakyRelu([-1, 2], 0.1); // [-0.1, 2] */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = floatInput('leakyRelu', x);
  return where(greater(t, 0), t, mul(t, alpha));
}

/** The exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)). @example tg.gelu([1]); // [0.8413447] */
export function gelu(x: TensorLike): Tensor {
  const t = floatInput('gelu', x);
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}
