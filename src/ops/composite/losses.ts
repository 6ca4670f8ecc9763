// Keras 3 losses, each reduced as Keras's default "sum_over_batch_size" (the mean of the per-sample
// losses). Shapes meet as in Keras's LossFunctionWrapper (squeeze_or_expand_to_same_rank), then as
// each Keras loss requires. Probabilities are clipped to [1e-7, 1 - 1e-7] (Keras's epsilon); the
// fromLogits paths work on logits directly and never take the log of 0.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import type { Shape } from '../../core/shape';
import { ArgumentError, ShapeError, describe } from '../../core/errors';
import { requireBoolean, requireOptions } from '../../core/args';
import { broadcastShapes, fmtShape, sameShape } from '../../core/shape';
import { add, div, lessEqual, mul, sub } from '../prims/binary';
import { abs, log, log1p, exp, neg, relu } from '../prims/unary';
import { sum } from '../prims/reduce';
import { where } from '../prims/select';
import { oneHot, reshape } from '../prims/shape';
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

/** The `fromLogits` option, read from the options' own properties only; unknown options and a non-boolean are refused. */
function fromLogitsOf(op: string, options: CrossentropyOptions | undefined): boolean {
  const { fromLogits } = requireOptions<CrossentropyOptions>(op, options, ['fromLogits']);
  return fromLogits === undefined ? false : requireBoolean(op, 'fromLogits', fromLogits);
}

/**
 * Keras's squeeze_or_expand_to_same_rank (keras/src/losses/loss.py), on shapes: when the ranks differ
 * by one and the longer shape ends in 1, that 1 is dropped, unless the shorter shape is a vector, which
 * gets a trailing 1 instead (`[B]` against `[B, 1]` becomes `[B, 1]` and `[B, 1]`). Other shapes are
 * left as they are.
 */
function sameRank(a: Shape, b: Shape): [Shape, Shape] {
  if (a.length === b.length + 1 && a[a.length - 1] === 1) return b.length === 1 ? [a, [...b, 1]] : [a.slice(0, -1), b];
  if (b.length === a.length + 1 && b[b.length - 1] === 1) return a.length === 1 ? [[...a, 1], b] : [a, b.slice(0, -1)];
  return [a, b];
}

/** A reshape only where the shape changes (a reshape of a watched tensor is recorded). */
function toShape(t: Tensor, shape: Shape): Tensor {
  return sameShape(t.shape, shape) ? t : reshape(t, shape);
}

/**
 * yTrue (cast to yPred's dtype) and yPred with their ranks met as Keras meets them. `broadcast`: the
 * shapes may then broadcast (Keras's mean_squared_error and the like subtract them); else they must be
 * equal (Keras's backend cross-entropies check it).
 */
function pair(op: string, yTrue: TensorLike, yPred: TensorLike, broadcast: boolean): [Tensor, Tensor] {
  // NOTE: everything is checked before the cast and the reshapes, which a tape records when yTrue is watched
  const p = toTensor(op, yPred);
  const t = toTensor(op, yTrue, p.dtype);
  const [ts, ps] = sameRank(t.shape, p.shape);
  if (broadcast) {
    try {
      broadcastShapes(op, ts, ps);
    } catch {
      throw new ShapeError(
        `${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)} must have one shape or broadcast together`,
      );
    }
  } else if (!sameShape(ts, ps)) {
    throw new ShapeError(`${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)} must have one shape`);
  }
  return [toShape(cast(t, p.dtype), ts), toShape(p, ps)];
}

/**
 * mean((yPred - yTrue)²), the shapes met as in Keras (they may broadcast).
 * @example
 * tg.losses.meanSquaredError([1, 2], [1, 4]); // 2  ((0 + 4) / 2)
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanSquaredError', yTrue, yPred, true);
  return mean(square(sub(p, t)));
}

/**
 * mean(|yPred - yTrue|), the shapes met as in Keras (they may broadcast).
 * @example
 * tg.losses.meanAbsoluteError([1, 2], [2, 4]); // 1.5
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = pair('meanAbsoluteError', yTrue, yPred, true);
  return mean(abs(sub(p, t)));
}

/**
 * Huber loss: ½e² where |e| <= delta, delta·|e| - ½delta² beyond (Keras's formula).
 * @example
 * tg.losses.huber([0, 0], [0.5, 3]); // 1.3125  ((0.125 + 2.5) / 2)
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  if (typeof delta !== 'number') throw new ArgumentError(`huber: delta must be a number, got ${describe(delta)}`);
  const [t, p] = pair('huber', yTrue, yPred, true);
  const e = sub(p, t);
  const a = abs(e);
  // NOTE: Keras takes delta as it is (no check of its sign)
  return mean(where(lessEqual(a, delta), mul(square(e), 0.5), sub(mul(a, delta), 0.5 * delta * delta)));
}

/**
 * Binary cross-entropy, the mean over all elements; yTrue and yPred of one shape once their ranks met.
 * @example
 * tg.losses.binaryCrossentropy([1, 0], [0.9, 0.2]); // 0.164252  ((-ln 0.9 - ln 0.8) / 2)
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const fromLogits = fromLogitsOf('binaryCrossentropy', options);
  const [t, p] = pair('binaryCrossentropy', yTrue, yPred, false);
  if (fromLogits) {
    // max(x, 0) - x·z + log(1 + e^-|x|): no exp overflow, no log of 0 (TF's sigmoid_cross_entropy_with_logits)
    return mean(add(sub(relu(p), mul(p, t)), log1p(exp(neg(abs(p))))));
  }
  // -(z·log q + (1 - z)·log(1 - q)), q = clip(p, ε, 1 - ε) (Keras's TF backend binary_crossentropy)
  const q = clipByValue(p, EPSILON, 1 - EPSILON);
  return mean(neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q))))));
}

/**
 * Categorical cross-entropy over the last axis, the mean over the batch. Probabilities are divided by
 * their sum first, then clipped, as Keras does.
 * @example
 * tg.losses.categoricalCrossentropy([[0, 1]], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 */
export function categoricalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CrossentropyOptions = {},
): Tensor {
  const op = 'categoricalCrossentropy';
  const fromLogits = fromLogitsOf(op, options);
  const p0 = toTensor(op, yPred);
  const t0 = toTensor(op, yTrue, p0.dtype);
  if (p0.rank < 1) throw new ShapeError(`${op}: expected predictions with a class axis, got a scalar`);
  const [t, p] = pair(op, t0, p0, false);
  // -Σ z·log(clip(p / Σp, ε, 1 - ε)) (Keras's TF backend categorical_crossentropy: divide, then clip)
  const logProbs = fromLogits ? logSoftmax(p, -1) : log(clipByValue(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON));
  return mean(neg(sum(mul(t, logProbs), -1)));
}

/**
 * Cross-entropy with integer class labels, the mean over the batch. Labels have yPred's shape
 * without its class axis, or with a class axis of 1 (`[B, 1]` against `[B, C]`), as Keras accepts.
 * Probabilities are clipped to [ε, 1 - ε] first and then renormalised (Keras's order).
 * @example
 * tg.losses.sparseCategoricalCrossentropy([1], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 */
export function sparseCategoricalCrossentropy(
  labels: TensorLike,
  yPred: TensorLike,
  options: CrossentropyOptions = {},
): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const fromLogits = fromLogitsOf(op, options);
  const p0 = toTensor(op, yPred);
  const l0 = toTensor(op, labels, 'int32');
  // Keras: LossFunctionWrapper meets the ranks, then sparse_categorical_crossentropy squeezes a
  // trailing 1 of labels of yPred's rank
  const [ranked, ps] = sameRank(l0.shape, p0.shape);
  const ls = ranked.length === ps.length && ranked[ranked.length - 1] === 1 ? ranked.slice(0, -1) : ranked;
  if (ps.length < 1 || !sameShape(ls, ps.slice(0, -1))) {
    throw new ShapeError(
      `${op}: labels ${fmtShape(l0.shape)} must have the shape of yPred ${fmtShape(p0.shape)} without its class axis`,
    );
  }
  const classes = ps[ps.length - 1];
  const l = cast(l0, 'int32');
  for (const k of l.values) {
    if (k < 0 || k >= classes) throw new RangeError(`${op}: label ${k} is out of range [0, ${classes})`);
  }
  const p = toShape(p0, ps);
  // NOTE: probabilities are clipped, then their logs go through a log-softmax, which renormalises them
  // (Keras's TF backend: clip_by_value, log, sparse_softmax_cross_entropy_with_logits):
  // -log(q_k / Σq), q = clip(p, ε, 1 - ε)
  const logits = fromLogits ? p : log(clipByValue(p, EPSILON, 1 - EPSILON));
  const target = oneHot(toShape(l, ls), classes, 1, 0, p.dtype);
  return mean(neg(sum(mul(target, logSoftmax(logits, -1)), -1)));
}
