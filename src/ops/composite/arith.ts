// Elementwise composites: built from primitives, no gradient code of their own.
import type { TensorLike } from '../../core/as_tensor';
import { isTensorish, toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { isFloat, upcast } from '../../core/dtype';
import { DTypeError, ShapeError } from '../../core/errors';
import { requireNumber } from '../../core/args';
import { broadcastShapes, fmtShape, sameShape } from '../../core/shape';
import { div, greater, greaterEqual, less, maximum, minimum, mul, sub } from '../prims/binary';
import { expm1, leakyReluFloat, reciprocalFloat, relu, rsqrt as rsqrtP } from '../prims/unary';
import { where } from '../prims/select';
import { geluFloat } from '../prims/gelu';
import { binaryOperands, requireNumeric } from '../operands';

/** x². @example tg.square([2, -3]); // [4, 9] */
export function square(x: TensorLike): Tensor {
  const t = toTensor('square', x);
  return mul(t, t);
}

/**
 * 1 / x. The gradient is TF's ReciprocalGrad, -dy/x², and 0 where dy is 0 (even at x = 0).
 * @example
 * tg.reciprocal([2, 4]); // [0.5, 0.25]
 */
export function reciprocal(x: TensorLike): Tensor {
  const t = toTensor('reciprocal', x);
  // NOTE: floats run TF's Reciprocal (a primitive, for its guarded gradient); int32 is 1 / x as div computes it
  return isFloat(t.dtype) ? reciprocalFloat(t) : div(1, t);
}

/**
 * 1 / sqrt(x). The gradient is TF's RsqrtGrad, -dy/(2 x^1.5), and 0 where dy is 0 (even at x = 0).
 * @example
 * tg.rsqrt([4]); // [0.5]
 */
export function rsqrt(x: TensorLike): Tensor {
  return rsqrtP(x);
}

/** (a - b)². @example tg.squaredDifference([3], [1]); // [4] */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  // checked under its own name before sub runs: the errors name the op the user called
  const [x, y] = binaryOperands('squaredDifference', a, b);
  requireNumeric('squaredDifference', x);
  broadcastShapes('squaredDifference', x.shape, y.shape);
  return square(sub(x, y));
}

/**
 * Clips to [lo, hi]. As TF's clip_by_value this is max(min(x, hi), lo), so lo wins where lo > hi;
 * the gradient passes where lo <= x <= hi (bounds included), and nowhere where lo > hi.
 * @example
 * tg.clipByValue([-2, 0.5, 3], 0, 1); // [0, 0.5, 1]
 * tg.clipByValue([-2, 0.5, 3], 1, 0); // [1, 1, 1]
 */
export function clipByValue(x: TensorLike, lo: TensorLike, hi: TensorLike): Tensor {
  // NOTE: all three shapes are checked before minimum runs, or a refused lo would leave the minimum
  // on the tape; the operands are converted as maximum and minimum would convert them
  const hint = isTensorish(x) ? x.dtype : isTensorish(lo) ? lo.dtype : undefined;
  const t = toTensor('clipByValue', x, hint);
  const l = toTensor('clipByValue', lo, hint);
  const h = toTensor('clipByValue', hi, upcast(t.dtype, l.dtype));
  const shape = broadcastShapes('clipByValue', broadcastShapes('clipByValue', t.shape, h.shape), l.shape);
  // NOTE: as TF (clip_ops.py asserts the clipped shape is x's): the bounds may not broadcast x larger
  if (!sameShape(shape, t.shape)) {
    throw new ShapeError(`clipByValue: the bounds would broadcast x ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  }
  // NOTE: min then max, as TF (clip_ops.py): the gradient is Minimum's (x <= hi) then Maximum's
  // (min(x, hi) >= lo), so both bounds pass it, and where lo > hi all of it goes to lo
  return maximum(minimum(t, h), l);
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

/** TF's selu constants (relu_op_functor.h): scale, and scale·alpha as one constant. */
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

/**
 * scale · elu with alpha, the self-normalising constants. As TF: scale·x for x >= 0, scale·alpha·(e^x - 1)
 * below, and selu'(0) = scale.
 * @example
 * tg.selu([1]); // [1.050701]
 */
export function selu(x: TensorLike): Tensor {
  const t = floatInput('selu', x);
  // NOTE: the linear branch takes x = 0, as TF's Selu and SeluGrad (x < 0 selects the exponential):
  // selu'(0) = scale, not scale·alpha; expm1 of min(x, 0), so the branch not taken never overflows
  return where(less(t, 0), mul(expm1(minimum(t, 0)), SELU_SCALE_ALPHA), mul(t, SELU_SCALE));
}

/**
 * x where x > 0, alpha·x elsewhere (alpha defaults to 0.2, as TF). As TF's float attribute, alpha is
 * rounded to float32 (also for float64 x); leakyRelu'(0) = alpha.
 * @example
 * tg.leakyRelu([-1, 2], 0.1); // [-0.1, 2]
 */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  requireNumber('leakyRelu', 'alpha', alpha);
  return leakyReluFloat(floatInput('leakyRelu', x), alpha);
}

/** The exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)). @example tg.gelu([1]); // [0.8413447] */
// NOTE: one primitive (prims/gelu.ts), bit for bit mul(mul(x, 0.5), add(erf(mul(x, √½)), 1)) and its gradient
export function gelu(x: TensorLike): Tensor {
  return geluFloat(floatInput('gelu', x));
}
