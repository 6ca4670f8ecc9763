// softmax and logSoftmax, computed from x minus its max, so they are exact and finite for large inputs;
// biasAdd (TF's BiasAdd checks) and dropout (a seeded keep mask, the same on every platform).
import type { TensorLike } from '../../core/as_tensor';
import { isTensorish, toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { allocate, isFloat } from '../../core/dtype';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../core/errors';
import { requireInteger, requireNumber } from '../../core/args';
import { broadcastShapes, checkShape, fmtShape, normalizeAxis, sameShape, sizeOf } from '../../core/shape';
import { keepMask, xoshiro128 } from '../../kernels/random';
import { exp, log } from '../prims/unary';
import { add, mul, sub } from '../prims/binary';
import { max, sum } from '../prims/reduce';
import { stopGradient } from '../prims/cast';
import { softmaxFloat } from '../prims/softmax';

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
// NOTE: one primitive (prims/softmax.ts): the values of exp(x − max) / sum bit for bit, the gradient TF's
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor('softmax', x);
  const ax = normalizeAxis('softmax', axis, t.rank);
  return softmaxFloat(t, ax);
}

/**
 * x + bias, the 1-D bias added along the last axis, TF's `tf.nn.bias_add` (NHWC): x at least 2-D, bias of
 * x's last dimension and dtype. The gradient of bias is dy summed over every other axis.
 * @example
 * tg.biasAdd([[1, 2], [3, 4]], [10, 20]); // [[11, 22], [13, 24]]
 */
export function biasAdd(x: TensorLike, bias: TensorLike): Tensor {
  const op = 'biasAdd';
  const hint = isTensorish(x) ? x.dtype : isTensorish(bias) ? bias.dtype : undefined;
  const t = toTensor(op, x, hint);
  const b = toTensor(op, bias, t.dtype);
  if (t.dtype === 'bool' || b.dtype === 'bool') throw new DTypeError(`${op}: expected numeric tensors, got bool`);
  if (t.dtype !== b.dtype) throw new DTypeError(`${op}: x and bias must have one dtype, got ${t.dtype} and ${b.dtype}`);
  if (t.rank < 2) throw new ShapeError(`${op}: x must be at least 2-D, got shape ${fmtShape(t.shape)}`);
  if (b.rank !== 1) throw new ShapeError(`${op}: bias must be 1-D, got shape ${fmtShape(b.shape)}`);
  if (b.shape[0] !== t.shape[t.rank - 1]) {
    throw new ShapeError(
      `${op}: bias of shape ${fmtShape(b.shape)} must have as many values as the last dimension of x ${fmtShape(t.shape)}`,
    );
  }
  return add(t, b);
}

/**
 * Randomly zeroes elements of x with probability `rate` and scales the others by 1 / (1 − rate), TF's
 * `tf.nn.dropout`. Keep flags are drawn for `noiseShape` (default x's shape; it must broadcast to x's shape,
 * a null entry taking x's dimension), so size-1 axes share one flag. The same `seed` gives the same mask on
 * every platform; the mask is a constant of the result, so the gradient is dy times the same mask and scale.
 * Rate 0 returns x.
 * @example
 * tg.dropout([1, 1, 1, 1], 0.5, null, 5); // [2, 2, 0, 2]
 */
export function dropout(
  x: TensorLike,
  rate: number,
  noiseShape?: readonly (number | null)[] | null,
  seed?: number | null,
): Tensor {
  const op = 'dropout';
  requireNumber(op, 'rate', rate);
  if (!(rate >= 0 && rate < 1))
    throw new ArgumentError(`${op}: rate must be a number in [0, 1), got ${describe(rate)}`);
  const t = toTensor(op, x);
  if (!isFloat(t.dtype)) {
    throw new DTypeError(`${op}: x must be a float32 or float64 tensor, since it is scaled; got ${t.dtype}`);
  }
  let shape = t.shape;
  if (noiseShape !== undefined && noiseShape !== null) {
    if (!Array.isArray(noiseShape))
      throw new ArgumentError(`${op}: noiseShape must be an array of dimensions, got ${describe(noiseShape)}`);
    // TF's _get_noise_shape: a null entry of a noise shape of x's rank takes x's dimension
    const dims = (noiseShape as readonly (number | null)[]).map((d, i) =>
      d === null && noiseShape.length === t.rank ? t.shape[i] : d,
    );
    shape = checkShape(op, dims, 'noiseShape');
    let fits = true;
    try {
      fits = sameShape(broadcastShapes(op, shape, t.shape), t.shape);
    } catch {
      fits = false;
    }
    if (!fits) {
      throw new ShapeError(
        `${op}: noiseShape ${fmtShape(shape)} must broadcast to the shape of x ${fmtShape(t.shape)}`,
      );
    }
  }
  const s = seed === undefined || seed === null ? undefined : requireInteger(op, 'seed', seed);
  if (rate === 0) return t;
  const mask = allocate(t.dtype, sizeOf(shape)) as Float32Array | Float64Array;
  keepMask(mask, rate, xoshiro128(s ?? Math.floor(Math.random() * 0x100000000)));
  // TF: (x · 1/(1 − rate)) · mask, the scale rounded to x's dtype
  return mul(mul(t, 1 / (1 - rate)), new Tensor(mask, shape, t.dtype));
}
