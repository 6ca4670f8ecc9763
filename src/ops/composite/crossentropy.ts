// TF's cross-entropies on logits (tg.nn): per example, no reduction, in the stable forms TF computes, so
// they are finite for logits like ±1000 and their gradients come from the ops they are built of.
import type { TensorLike } from '../../core/as_tensor';
import { isTensorish, toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { isFloat } from '../../core/dtype';
import { ArgumentError, DTypeError, ShapeError } from '../../core/errors';
import { fmtShape, normalizeAxis, sameShape } from '../../core/shape';
import { add, greaterEqual, mul, sub } from '../prims/binary';
import { exp, log1p, neg } from '../prims/unary';
import { sum } from '../prims/reduce';
import { where } from '../prims/select';
import { oneHot } from '../prims/shape';
import { cast } from '../prims/cast';
import { logSoftmax } from './nn';
import { floatArg } from './normalization';

/** Float logits, and labels of their shape (a plain value takes the logits' dtype). */
function labelsAndLogits(op: string, labels: TensorLike, logits: TensorLike): [Tensor, Tensor] {
  // plain logits take the dtype of float labels
  const hint = isTensorish(labels) && isFloat(labels.dtype) ? labels.dtype : undefined;
  const x = floatArg(op, 'logits', logits, hint);
  const z = toTensor(op, labels, x.dtype);
  if (!sameShape(z.shape, x.shape)) {
    throw new ShapeError(`${op}: labels ${fmtShape(z.shape)} and logits ${fmtShape(x.shape)} must have the same shape`);
  }
  return [z, x];
}

/**
 * Per element, −z·log(sigmoid(x)) − (1 − z)·log(1 − sigmoid(x)) for labels z and logits x, TF's
 * `tf.nn.sigmoid_cross_entropy_with_logits`, computed as max(x, 0) − x·z + log(1 + e^−|x|) with max and
 * |·| written as selections on x ≥ 0 (TF's form, whose gradient at x = 0 is sigmoid(0) − z). Labels must
 * have the logits' shape and dtype; both are differentiable.
 * @example
 * tg.nn.sigmoidCrossEntropyWithLogits([1, 0], [0, 0]); // [0.6931472, 0.6931472]
 */
export function sigmoidCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const op = 'sigmoidCrossEntropyWithLogits';
  const [z, x] = labelsAndLogits(op, labels, logits);
  if (z.dtype !== x.dtype) throw new DTypeError(`${op}: labels must have the logits' dtype ${x.dtype}, got ${z.dtype}`);
  const positive = greaterEqual(x, 0);
  const reluX = where(positive, x, 0);
  const negAbsX = where(positive, neg(x), x);
  return add(sub(reluX, mul(x, z)), log1p(exp(negAbsX)));
}

/**
 * −Σ labels·log(softmax(logits)) along `axis` (the class axis), per example, TF's
 * `tf.nn.softmax_cross_entropy_with_logits`, from the log-softmax of logits minus their max (finite for
 * logits like ±1000). Labels (cast to the logits' dtype) should be distributions; both are differentiable,
 * the labels' gradient being −log(softmax(logits)) as TF's.
 * @example
 * tg.nn.softmaxCrossEntropyWithLogits([[1, 0, 0]], [[4, 2, 1]]); // [0.16984604]
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike, axis = -1): Tensor {
  const op = 'softmaxCrossEntropyWithLogits';
  const [z, x] = labelsAndLogits(op, labels, logits);
  if (x.rank === 0) throw new ShapeError(`${op}: logits must have a class axis, got a scalar`);
  const ax = normalizeAxis(op, axis, x.rank);
  if (z.dtype === 'bool') throw new DTypeError(`${op}: labels must be numbers, got bool`);
  const zt = z.dtype === x.dtype ? z : cast(z, x.dtype);
  return neg(sum(mul(zt, logSoftmax(x, ax)), ax));
}

/**
 * −log(softmax(logits)[label]) per example, for int32 class labels of the logits' shape without its last
 * (class) axis, TF's `tf.nn.sparse_softmax_cross_entropy_with_logits`; a label outside [0, classes) is an
 * error, as on TF's CPU. The gradient of the logits is softmax − onehot(label).
 * @example
 * tg.nn.sparseSoftmaxCrossEntropyWithLogits([0], [[4, 2, 1]]); // [0.16984604]
 */
export function sparseSoftmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const op = 'sparseSoftmaxCrossEntropyWithLogits';
  const x = floatArg(op, 'logits', logits);
  const l = toTensor(op, labels, 'int32');
  if (l.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32, got ${l.dtype}`);
  if (x.rank === 0) throw new ShapeError(`${op}: logits must have a class axis, got a scalar`);
  if (!sameShape(l.shape, x.shape.slice(0, -1))) {
    throw new ShapeError(
      `${op}: labels ${fmtShape(l.shape)} must have the shape of logits ${fmtShape(x.shape)} without its last axis`,
    );
  }
  const classes = x.shape[x.rank - 1];
  for (const k of l.values) {
    if (k < 0 || k >= classes) throw new ArgumentError(`${op}: label ${k} is outside the valid range [0, ${classes})`);
  }
  return neg(sum(mul(oneHot(l, classes, 1, 0, x.dtype), logSoftmax(x, -1)), -1));
}
