// Keras 3 losses, as its loss classes compute them (keras/src/losses/losses.py and loss.py): the ranks of
// yTrue and yPred met as squeeze_or_expand_to_same_rank, one value per sample (the loss function's
// reduction over the last or the given axis), then the `reduction` option: "sum_over_batch_size" (the
// default, the mean of the per-sample values), "sum", or "none" (the per-sample values). Probabilities are
// clipped to [1e-7, 1 - 1e-7] (Keras's epsilon); the fromLogits paths work on logits directly and never
// take the log of 0. The shared helpers are here; the losses Keras added later are in losses_more.ts.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import type { Shape } from '../../core/shape';
import { isFloat } from '../../core/dtype';
import { ArgumentError, ShapeError, describe } from '../../core/errors';
import {
  requireAxis,
  requireBoolean,
  requireInteger,
  requireNumber,
  requireOneOf,
  requireOptions,
} from '../../core/args';
import { broadcastShapes, fmtShape, sameShape } from '../../core/shape';
import { add, div, divNoNan, lessEqual, mul, sub } from '../prims/binary';
import { abs, log, log1p, exp, neg, relu } from '../prims/unary';
import { sum } from '../prims/reduce';
import { where } from '../prims/select';
import { oneHot, reshape } from '../prims/shape';
import { cast } from '../prims/cast';
import { tensor } from '../create';
import { clipByValue, square } from './arith';
import { mean } from './reduce';
import { logSoftmax } from './nn';

/** @internal Keras's backend epsilon, the clipping bound of probabilities. */
export const EPSILON = 1e-7;

/**
 * How the per-sample losses are reduced, as Keras's `reduction`: `'sum_over_batch_size'` (the default)
 * divides their sum by their count, `'sum'` sums them, `'none'` returns them.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none'];

/** The option every loss takes. */
export interface LossOptions {
  /** How the per-sample losses are reduced. Default `'sum_over_batch_size'` (their mean). */
  reduction?: Reduction;
}

/** Options of binaryCrossentropy and categoricalCrossentropy. */
export interface CrossentropyOptions extends LossOptions {
  /** True when `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * Smooths the labels: binary `z·(1 - s) + 0.5·s`, categorical `z·(1 - s) + s / classes`. Default 0.
   */
  labelSmoothing?: number;
  /**
   * binaryCrossentropy: the axis of the per-sample mean; categoricalCrossentropy: the class axis.
   * Default -1.
   */
  axis?: number;
}

/** Options of sparseCategoricalCrossentropy. */
export interface SparseCategoricalCrossentropyOptions extends LossOptions {
  /** True when `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * A label to leave out: its samples have loss 0 and the default reduction averages over the others
   * only (Keras's mask). Default null (none).
   */
  ignoreClass?: number | null;
  /** The class axis; only the last axis is supported, as Keras's TensorFlow backend. Default -1. */
  axis?: number;
}

/** @internal The `reduction` option, checked. */
export function reductionOf(op: string, v: unknown): Reduction {
  return v === undefined ? 'sum_over_batch_size' : requireOneOf(op, 'reduction', v, REDUCTIONS);
}

/** @internal A boolean option, `fallback` when absent. */
export function booleanOf(op: string, name: string, v: unknown, fallback: boolean): boolean {
  return v === undefined ? fallback : requireBoolean(op, name, v);
}

/** @internal A number option, `fallback` when absent. */
export function numberOf(op: string, name: string, v: unknown, fallback: number): number {
  return v === undefined ? fallback : requireNumber(op, name, v);
}

/**
 * @internal Keras's squeeze_or_expand_to_same_rank (keras/src/losses/loss.py), on shapes: when the ranks differ
 * by one and the longer shape ends in 1, that 1 is dropped, unless the shorter shape is a vector, which
 * gets a trailing 1 instead (`[B]` against `[B, 1]` becomes `[B, 1]` and `[B, 1]`). Other shapes are
 * left as they are.
 */
export function sameRank(a: Shape, b: Shape): [Shape, Shape] {
  if (a.length === b.length + 1 && a[a.length - 1] === 1) return b.length === 1 ? [a, [...b, 1]] : [a.slice(0, -1), b];
  if (b.length === a.length + 1 && b[b.length - 1] === 1) return a.length === 1 ? [[...a, 1], b] : [a, b.slice(0, -1)];
  return [a, b];
}

/** @internal A reshape only where the shape changes (a reshape of a watched tensor is recorded). */
export function toShape(t: Tensor, shape: Shape): Tensor {
  return sameShape(t.shape, shape) ? t : reshape(t, shape);
}

/**
 * @internal yPred as a float tensor: an integer or bool one becomes float32, as Keras's Loss converts
 * both arguments to its float dtype.
 */
export function predictions(op: string, yPred: TensorLike): Tensor {
  const p = toTensor(op, yPred);
  return isFloat(p.dtype) ? p : cast(p, 'float32');
}

/**
 * @internal yTrue (cast to yPred's float dtype) and yPred with their ranks met as Keras meets them.
 * `broadcast`: the shapes may then broadcast (Keras's mean_squared_error and the like subtract them);
 * else they must be equal (Keras's backend cross-entropies check it). Either way at least one axis
 * must be left, as Keras reduces over one (TF's reduce_mean refuses axis -1 of a scalar). `check` sees
 * the met shapes and their common shape before anything is cast or reshaped (an axis option is checked
 * there).
 */
export function pair(
  op: string,
  yTrue: TensorLike,
  yPred: TensorLike,
  broadcast: boolean,
  check?: (ts: Shape, ps: Shape, shape: Shape) => void,
): [Tensor, Tensor] {
  // NOTE: everything is checked before the casts and the reshapes, which a tape records when an input is watched
  const p0 = toTensor(op, yPred);
  const t = toTensor(op, yTrue, isFloat(p0.dtype) ? p0.dtype : 'float32');
  const [ts, ps] = sameRank(t.shape, p0.shape);
  let shape = ps;
  if (broadcast) {
    try {
      shape = broadcastShapes(op, ts, ps);
    } catch {
      throw new ShapeError(
        `${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p0.shape)} must have one shape or broadcast together`,
      );
    }
  } else if (!sameShape(ts, ps)) {
    throw new ShapeError(`${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p0.shape)} must have one shape`);
  }
  if (shape.length === 0) {
    throw new ShapeError(
      `${op}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p0.shape)} leave no axis to reduce; Keras needs rank 1 or more`,
    );
  }
  check?.(ts, ps, shape);
  const p = predictions(op, p0);
  return [toShape(cast(t, p.dtype), ts), toShape(p, ps)];
}

/**
 * @internal Keras's reduce_weighted_values without sample weights: `mask` (0/1 of `values`' shape, from
 * ignoreClass) weighs the values as apply_mask does (count / valid where valid under the mean, else 1),
 * then a scalar or an empty vector is returned as it is, 'none' returns the values, 'sum' their sum and
 * 'sum_over_batch_size' their sum divided by their count (0 when there are none: divide_no_nan).
 */
export function reduceLoss(values: Tensor, reduction: Reduction, mask?: readonly number[]): Tensor {
  let v = values;
  if (mask !== undefined) {
    const valid = mask.reduce((a, b) => a + b, 0);
    const w = reduction === 'sum_over_batch_size' ? (valid === 0 ? 0 : mask.length / valid) : 1;
    v = mul(
      v,
      tensor(
        mask.map((m) => m * w),
        v.shape,
        v.dtype,
      ),
    );
  }
  if (reduction === 'none' || v.rank === 0 || (v.rank === 1 && v.shape[0] === 0)) return v;
  const total = sum(v);
  return reduction === 'sum' ? total : divNoNan(total, v.size);
}

/** @internal The label smoothing of the binary losses: z·(1 - s) + 0.5·s (Keras skips it for s = 0). */
export function smoothBinary(t: Tensor, s: number): Tensor {
  return s ? add(mul(t, 1 - s), 0.5 * s) : t;
}

/** @internal The label smoothing of the categorical losses: z·(1 - s) + s / classes, in t's dtype. */
export function smoothCategorical(t: Tensor, s: number, classes: number): Tensor {
  if (!s) return t;
  // NOTE: Keras divides in the loss's dtype: s as float32, then a float32 division
  const share = t.dtype === 'float32' ? Math.fround(s) / classes : s / classes;
  return add(mul(t, 1 - s), share);
}

/** @internal -(z·log q + (1 - z)·log(1 - q)), q = clip(p, ε, 1 - ε): Keras's TF backend binary_crossentropy. */
export function binaryCrossentropyOfProbs(t: Tensor, p: Tensor): Tensor {
  const q = clipByValue(p, EPSILON, 1 - EPSILON);
  return neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q)))));
}

/**
 * mean((yTrue - yPred)²) over the last axis per sample, then reduced; the shapes met as in Keras (they
 * may broadcast).
 * @example
 * tg.losses.meanSquaredError([1, 2], [1, 4]); // 2  ((0 + 4) / 2)
 * tg.losses.meanSquaredError([[1, 2], [3, 4]], [[1, 4], [3, 3]], { reduction: 'none' }); // [2, 0.5]
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const op = 'meanSquaredError';
  const reduction = reductionOf(op, requireOptions<LossOptions>(op, options, ['reduction']).reduction);
  const [t, p] = pair(op, yTrue, yPred, true);
  return reduceLoss(mean(square(sub(t, p)), -1), reduction);
}

/**
 * mean(|yTrue - yPred|) over the last axis per sample, then reduced; the shapes met as in Keras (they
 * may broadcast).
 * @example
 * tg.losses.meanAbsoluteError([1, 2], [2, 4]); // 1.5
 * tg.losses.meanAbsoluteError([[1, 2], [3, 4]], [[2, 4], [3, 4]], { reduction: 'sum' }); // 1.5  (1.5 + 0)
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const op = 'meanAbsoluteError';
  const reduction = reductionOf(op, requireOptions<LossOptions>(op, options, ['reduction']).reduction);
  const [t, p] = pair(op, yTrue, yPred, true);
  return reduceLoss(mean(abs(sub(t, p)), -1), reduction);
}

/**
 * Huber loss: ½e² where |e| <= delta, delta·|e| - ½delta² beyond (Keras's formula), its mean over the
 * last axis per sample, then reduced. `delta` is positional, as in Keras's function `huber(y, p, delta)`.
 * @example
 * tg.losses.huber([0, 0], [0.5, 3]); // 1.3125  ((0.125 + 2.5) / 2)
 * tg.losses.huber([[0], [0]], [[0.5], [3]], 2, { reduction: 'none' }); // [0.125, 4]
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1, options: LossOptions = {}): Tensor {
  if (typeof delta !== 'number') throw new ArgumentError(`huber: delta must be a number, got ${describe(delta)}`);
  const reduction = reductionOf('huber', requireOptions<LossOptions>('huber', options, ['reduction']).reduction);
  const [t, p] = pair('huber', yTrue, yPred, true);
  const e = sub(p, t);
  const a = abs(e);
  // NOTE: Keras takes delta as it is (no check of its sign)
  const perElement = where(lessEqual(a, delta), mul(square(e), 0.5), sub(mul(a, delta), 0.5 * delta * delta));
  return reduceLoss(mean(perElement, -1), reduction);
}

/**
 * Binary cross-entropy: per element, then its mean over `axis` (default the last) per sample, then
 * reduced. yTrue and yPred must have one shape once their ranks are met.
 * @example
 * tg.losses.binaryCrossentropy([1, 0], [0.9, 0.2]); // 0.164252  ((-ln 0.9 - ln 0.8) / 2)
 * tg.losses.binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], { reduction: 'none' }); // [0.9162907, 0.7135582]
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  const op = 'binaryCrossentropy';
  const o = requireOptions<CrossentropyOptions>(op, options, ['fromLogits', 'labelSmoothing', 'axis', 'reduction']);
  const fromLogits = booleanOf(op, 'fromLogits', o.fromLogits, false);
  const smoothing = numberOf(op, 'labelSmoothing', o.labelSmoothing, 0);
  const reduction = reductionOf(op, o.reduction);
  let axis = -1;
  const [t0, p] = pair(op, yTrue, yPred, false, (_ts, ps) => {
    axis = requireAxis(op, o.axis ?? -1, ps.length);
  });
  const t = smoothBinary(t0, smoothing);
  const perElement = fromLogits
    ? // max(x, 0) - x·z + log(1 + e^-|x|): no exp overflow, no log of 0 (TF's sigmoid_cross_entropy_with_logits)
      add(sub(relu(p), mul(p, t)), log1p(exp(neg(abs(p)))))
    : binaryCrossentropyOfProbs(t, p);
  return reduceLoss(mean(perElement, axis), reduction);
}

/**
 * @internal The categorical pair: yPred must have a class axis (checked first, with the message of the
 * existing loss), then the pair as `pair` makes it (`check` as there); the class axis is resolved against
 * the met rank.
 */
export function categoricalPair(
  op: string,
  yTrue: TensorLike,
  yPred: TensorLike,
  axis: unknown,
  broadcast: boolean,
  check?: (ts: Shape, ps: Shape, shape: Shape) => void,
): [Tensor, Tensor, number] {
  // NOTE: both are read (a Variable's read is seen by a tape) before anything is refused
  const p0 = toTensor(op, yPred);
  const t0 = toTensor(op, yTrue, isFloat(p0.dtype) ? p0.dtype : 'float32');
  if (p0.rank < 1) throw new ShapeError(`${op}: expected predictions with a class axis, got a scalar`);
  let a = -1;
  const [t, p] = pair(op, t0, p0, broadcast, (ts, ps, shape) => {
    a = requireAxis(op, axis ?? -1, ps.length);
    check?.(ts, ps, shape);
  });
  return [t, p, a];
}

/**
 * Categorical cross-entropy over the class axis (default the last) per sample, then reduced.
 * Probabilities are divided by their sum first, then clipped, as Keras does.
 * @example
 * tg.losses.categoricalCrossentropy([[0, 1]], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 * tg.losses.categoricalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]); // 1.1769392
 */
export function categoricalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CrossentropyOptions = {},
): Tensor {
  const op = 'categoricalCrossentropy';
  const o = requireOptions<CrossentropyOptions>(op, options, ['fromLogits', 'labelSmoothing', 'axis', 'reduction']);
  const fromLogits = booleanOf(op, 'fromLogits', o.fromLogits, false);
  const smoothing = numberOf(op, 'labelSmoothing', o.labelSmoothing, 0);
  const reduction = reductionOf(op, o.reduction);
  const [t0, p, axis] = categoricalPair(op, yTrue, yPred, o.axis, false);
  const t = smoothCategorical(t0, smoothing, p.shape[axis]);
  // -Σ z·log(clip(p / Σp, ε, 1 - ε)) (Keras's TF backend categorical_crossentropy: divide, then clip)
  const logProbs = fromLogits
    ? logSoftmax(p, axis)
    : log(clipByValue(div(p, sum(p, axis, true)), EPSILON, 1 - EPSILON));
  return reduceLoss(neg(sum(mul(t, logProbs), axis)), reduction);
}

/**
 * Cross-entropy with integer class labels per sample, then reduced. Labels have yPred's shape without
 * its class axis, or with a class axis of 1 (`[B, 1]` against `[B, C]`), as Keras accepts.
 * Probabilities are clipped to [ε, 1 - ε] first and then renormalised (Keras's order). With
 * `ignoreClass`, samples of that label count 0 and the mean is over the others.
 * @example
 * tg.losses.sparseCategoricalCrossentropy([1], [[0.2, 0.8]]); // 0.2231435  (-ln 0.8)
 * tg.losses.sparseCategoricalCrossentropy([1, -1], [[0.2, 0.8], [0.5, 0.5]], { ignoreClass: -1 }); // 0.2231435
 */
export function sparseCategoricalCrossentropy(
  labels: TensorLike,
  yPred: TensorLike,
  options: SparseCategoricalCrossentropyOptions = {},
): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const o = requireOptions<SparseCategoricalCrossentropyOptions>(op, options, [
    'fromLogits',
    'ignoreClass',
    'axis',
    'reduction',
  ]);
  const fromLogits = booleanOf(op, 'fromLogits', o.fromLogits, false);
  const ignoreClass = o.ignoreClass === undefined || o.ignoreClass === null ? null : o.ignoreClass;
  if (ignoreClass !== null) requireInteger(op, 'ignoreClass', ignoreClass);
  const reduction = reductionOf(op, o.reduction);
  const p0 = toTensor(op, yPred);
  const l0 = toTensor(op, labels, 'int32');
  // Keras: LossFunctionWrapper meets the ranks, then sparse_categorical_crossentropy squeezes a
  // trailing 1 of labels of yPred's rank
  const [ranked, ps] = sameRank(l0.shape, p0.shape);
  if (o.axis !== undefined && ps.length > 0 && requireAxis(op, o.axis, ps.length) !== ps.length - 1) {
    throw new ArgumentError(
      `${op}: only the last axis is supported as the class axis (as Keras's TensorFlow backend), got axis ${describe(o.axis)}`,
    );
  }
  const ls = ranked.length === ps.length && ranked[ranked.length - 1] === 1 ? ranked.slice(0, -1) : ranked;
  if (ps.length < 1 || !sameShape(ls, ps.slice(0, -1))) {
    throw new ShapeError(
      `${op}: labels ${fmtShape(l0.shape)} must have the shape of yPred ${fmtShape(p0.shape)} without its class axis`,
    );
  }
  const classes = ps[ps.length - 1];
  const raw = Array.from(cast(l0, 'int32').values);
  // Keras: labels equal to ignoreClass become 0 (and their rows of yPred 0) before the cross-entropy
  const mask = ignoreClass === null ? undefined : raw.map((k) => (k === ignoreClass ? 0 : 1));
  const kept = mask === undefined ? raw : raw.map((k, i) => (mask[i] ? k : 0));
  for (const k of kept) {
    if (k < 0 || k >= classes) throw new RangeError(`${op}: label ${k} is out of range [0, ${classes})`);
  }
  let p = toShape(predictions(op, p0), ps);
  if (mask !== undefined) p = where(tensor(mask.map(Boolean), [...ls, 1]), p, 0);
  // NOTE: probabilities are clipped, then their logs go through a log-softmax, which renormalises them
  // (Keras's TF backend: clip_by_value, log, sparse_softmax_cross_entropy_with_logits):
  // -log(q_k / Σq), q = clip(p, ε, 1 - ε)
  const logits = fromLogits ? p : log(clipByValue(p, EPSILON, 1 - EPSILON));
  const target = oneHot(tensor(kept, ls, 'int32'), classes, 1, 0, p.dtype);
  let perSample = neg(sum(mul(target, logSoftmax(logits, -1)), -1));
  if (mask !== undefined) perSample = where(tensor(mask.map(Boolean), ls), perSample, 0);
  return reduceLoss(perSample, reduction, mask);
}
