// Keras losses, each the mean over the batch. Probabilities are clipped to [1e-7, 1 - 1e-7] (Keras's
// epsilon); the fromLogits paths work on logits directly and never take the log of 0.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { ShapeError } from '../../core/errors';
import { fmtShape, sameShape } from '../../core/shape';
import { add, div, lessEqual, mul, sub } from '../prims/binary';
import { abs, log, log1p, exp, neg, relu } from '../prims/unary';
import { sum } from '../prims/reduce';
import { where } from '../prims/select';
import { oneHot } from '../prims/shape';
import { cast } from '../prims/cast';
import { clipByValue, square } from './arith';
import { mean } from './reduce';
import { logSoftmax } from './nn';

const EPSILON = 1e-7;

/** Options of the cross-entropy losses. */
export interface CrossentropyOptions {
  /** True when `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
}

function pair(op: string, yTrue: TensorLike, yPred: TensorLike, classAxis = false): [Tensor, Tensor] {
  // NOTE: everything is checked before the cast, which a tape records when yTrue is watched
  const p = toTensor(op, yPred);
  const t = toTensor(op, yTrue, p.dtype);
  if (!sameShape(t.shape, p.shape))
    throw new ShapeError(`${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)} must have one shape`);
  if (classAxis && p.rank < 1) throw new ShapeError(`${op}: expected predictions with a class axis, got a scalar`);
  return [cast(t, p.dtype), p];
}

/** mean((yPred - yTrue)²). @example tg.losses.meanSquaredError([1, 2], [1, 4]); // 2  ((0 + 4) / 2) */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanSquaredError', yTrue, yPred);
  return mean(square(sub(p, t)));
}

/** mean(|yPred - yTrue|). @example tg.losses.meanAbsoluteError([1, 2], [2, 4]); // 1.5 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanAbsoluteError', yTrue, yPred);
  return mean(abs(sub(p, t)));
}

/**
 * Huber loss: ½e² where |e| <= delta, delta·|e| - ½delta² beyond (Keras's formula).
 * @example
 * tg.losses.huber([0, 0], [0.5, 3]); // 1.3125  ((0.125 + 2.5) / 2)
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  const [t, p] = pair('huber', yTrue, yPred);
  const e = sub(p, t);
  const a = abs(e);
  return mean(where(lessEqual(a, delta), mul(square(e), 0.5), sub(mul(a, delta), 0.5 * delta * delta)));
}

/**
 * Binary cross-entropy, the mean over all elements.
 * @example
 * tg.losses.binaryCrossentropy([1, 0], [0.9, 0.2]); // 0.164252  ((-ln 0.9 - ln 0.8) / 2)
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const [t, p] = pair('binaryCrossentropy', yTrue, yPred);
  if (options.fromLogits) {
    // max(x, 0) - x·z + log(1 + e^-|x|): no exp overflow, no log of 0
    return mean(add(sub(relu(p), mul(p, t)), log1p(exp(neg(abs(p))))));
  }
  const q = clipByValue(p, EPSILON, 1 - EPSILON);
  return mean(neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q))))));
}

/**
 * Categorical cross-entropy over the last axis, the mean over the batch. Probabilities are
 * renormalised to sum to 1 first, as Keras does.
 * @example
 * tg.losses.categoricalCrossentropy([[0, 1]], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 */
export function categoricalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CrossentropyOptions = {},
): Tensor {
  const [t, p] = pair('categoricalCrossentropy', yTrue, yPred, true);
  const logProbs = options.fromLogits
    ? logSoftmax(p, -1)
    : log(clipByValue(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON));
  return mean(neg(sum(mul(t, logProbs), -1)));
}

/**
 * Cross-entropy with integer class labels, the mean over the batch.
 * @example
 * tg.losses.sparseCategoricalCrossentropy([1], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 */
export function sparseCategoricalCrossentropy(
  labels: TensorLike,
  yPred: TensorLike,
  options: CrossentropyOptions = {},
): Tensor {
  const p = toTensor('sparseCategoricalCrossentropy', yPred);
  const l = toTensor('sparseCategoricalCrossentropy', labels, 'int32');
  const classes = p.shape[p.rank - 1];
  if (p.rank < 1 || !sameShape(l.shape, p.shape.slice(0, -1))) {
    throw new ShapeError(
      `sparseCategoricalCrossentropy: labels ${fmtShape(l.shape)} must have the shape of yPred ${fmtShape(p.shape)} without its class axis`,
    );
  }
  for (const k of cast(l, 'int32').values) {
    if (k < 0 || k >= classes)
      throw new RangeError(`sparseCategoricalCrossentropy: label ${k} is out of range [0, ${classes})`);
  }
  return categoricalCrossentropy(oneHot(cast(l, 'int32'), classes, 1, 0, p.dtype), p, options);
}
