// The rest of Keras 3's losses (hinge, squaredHinge, categoricalHinge, klDivergence, poisson, logCosh,
// cosineSimilarity, meanAbsolutePercentageError, meanSquaredLogarithmicError and the two focal
// cross-entropies), each with Keras's formula and options (keras/src/losses/losses.py), built on the
// shared rank matching and reduction of losses.ts.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { ArgumentError, ShapeError, describe } from '../../core/errors';
import { requireNumber, requireOptions } from '../../core/args';
import { broadcastShapes, fmtShape } from '../../core/shape';
import { add, div, maximum, mul, pow, sub } from '../prims/binary';
import { abs, log, neg, rsqrt, sigmoid, softplus } from '../prims/unary';
import { max, sum } from '../prims/reduce';
import { reshape } from '../prims/shape';
import { clipByValue, square } from './arith';
import { mean } from './reduce';
import { softmax } from './nn';
import type { LossOptions, Reduction } from './losses';
import {
  EPSILON,
  binaryCrossentropyOfProbs,
  booleanOf,
  categoricalPair,
  numberOf,
  pair,
  reduceLoss,
  reductionOf,
  smoothBinary,
  smoothCategorical,
} from './losses';
import { requireAxis } from '../../core/args';

/** Options of cosineSimilarity. */
export interface CosineSimilarityOptions extends LossOptions {
  /** The axis of the vectors compared. Default -1. */
  axis?: number;
}

/** Options of binaryFocalCrossentropy (Keras's defaults: alpha 0.25, gamma 2, no class balancing). */
export interface BinaryFocalCrossentropyOptions extends LossOptions {
  /** Weigh class 1 by `alpha` and class 0 by `1 - alpha`. Default false. */
  applyClassBalancing?: boolean;
  /** The weight of class 1 when `applyClassBalancing`. Default 0.25. */
  alpha?: number;
  /** The focusing exponent of the factor (1 - p_t)^gamma. Default 2. */
  gamma?: number;
  /** True when `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Smooths the labels: z·(1 - s) + 0.5·s. Default 0. */
  labelSmoothing?: number;
  /** The axis of the per-sample mean. Default -1. */
  axis?: number;
}

/** Options of categoricalFocalCrossentropy (Keras's defaults: alpha 0.25, gamma 2). */
export interface CategoricalFocalCrossentropyOptions extends LossOptions {
  /** The weight of every class (a number) or of each class (one number per class). Default 0.25. */
  alpha?: number | readonly number[];
  /** The focusing exponent of the factor (1 - p)^gamma. Default 2. */
  gamma?: number;
  /** True when `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Smooths the labels: z·(1 - s) + s / classes. Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default -1. */
  axis?: number;
}

/** The reduction of a loss whose only option is `reduction`. */
function onlyReduction(op: string, options: unknown): Reduction {
  return reductionOf(op, requireOptions<LossOptions>(op, options, ['reduction']).reduction);
}

/**
 * Keras's convert_binary_labels_to_hinge: when every label is 0 or 1, they become -1 and 1 (2z - 1);
 * other labels are left as they are.
 */
function hingeLabels(t: Tensor): Tensor {
  for (const v of t.values) if (v !== 0 && v !== 1) return t;
  return sub(mul(t, 2), 1);
}

/**
 * Hinge loss: mean(max(1 - z·p, 0)) over the last axis per sample, then reduced. Labels of 0 and 1 are
 * taken as -1 and 1 (when all of them are 0 or 1), as Keras does.
 * @example
 * tg.losses.hinge([1, -1], [0.5, 0.5]); // 1  ((0.5 + 1.5) / 2)
 * tg.losses.hinge([1, 0], [0.5, 0.5]); // 1  (0 read as -1)
 */
export function hinge(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('hinge', options);
  const [t, p] = pair('hinge', yTrue, yPred, true);
  // NOTE: maximum (not relu), as Keras: at 1 - z·p = 0 the gradient goes to 1 - z·p (TF's Maximum)
  return reduceLoss(mean(maximum(sub(1, mul(hingeLabels(t), p)), 0), -1), reduction);
}

/**
 * Squared hinge loss: mean(max(1 - z·p, 0)²) over the last axis per sample, then reduced; labels of 0
 * and 1 taken as -1 and 1, as for hinge.
 * @example
 * tg.losses.squaredHinge([1, -1], [0.5, 0.5]); // 1.25  ((0.25 + 2.25) / 2)
 */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('squaredHinge', options);
  const [t, p] = pair('squaredHinge', yTrue, yPred, true);
  return reduceLoss(mean(square(maximum(sub(1, mul(hingeLabels(t), p)), 0)), -1), reduction);
}

/**
 * Categorical hinge loss per sample: max(neg - pos + 1, 0) with pos = Σ z·p and neg = max((1 - z)·p)
 * over the last axis, then reduced.
 * @example
 * tg.losses.categoricalHinge([[0, 1, 0]], [[0.2, 0.5, 0.3]]); // 0.8  (0.3 - 0.5 + 1)
 */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('categoricalHinge', options);
  const [t, p] = pair('categoricalHinge', yTrue, yPred, true);
  const pos = sum(mul(t, p), -1);
  const neg = max(mul(sub(1, t), p), -1);
  return reduceLoss(maximum(add(sub(neg, pos), 1), 0), reduction);
}

/**
 * Kullback-Leibler divergence Σ z·log(z / p) over the last axis per sample, both clipped to [ε, 1]
 * first (Keras's epsilon 1e-7), then reduced.
 * @example
 * tg.losses.klDivergence([[0.5, 0.5]], [[0.25, 0.75]]); // 0.1438410  (0.5·ln 2 + 0.5·ln(2/3))
 */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('klDivergence', options);
  const [t0, p0] = pair('klDivergence', yTrue, yPred, true);
  const t = clipByValue(t0, EPSILON, 1);
  const p = clipByValue(p0, EPSILON, 1);
  return reduceLoss(sum(mul(t, log(div(t, p))), -1), reduction);
}

/**
 * Poisson loss: mean(p - z·log(p + ε)) over the last axis per sample (ε = 1e-7), then reduced.
 * @example
 * tg.losses.poisson([[1, 0]], [[1, 2]]); // 1.5  ((1 - ln(1 + ε) + 2 - 0) / 2)
 */
export function poisson(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('poisson', options);
  const [t, p] = pair('poisson', yTrue, yPred, true);
  return reduceLoss(mean(sub(p, mul(t, log(add(p, EPSILON)))), -1), reduction);
}

/**
 * log(cosh(p - z)), its mean over the last axis per sample, then reduced; computed as Keras does,
 * x + softplus(-2x) - ln 2, finite for large errors.
 * @example
 * tg.losses.logCosh([[0, 1], [0, 0]], [[1, 1], [0, 0]]); // 0.1084452  (ln cosh 1 / 4)
 */
export function logCosh(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('logCosh', options);
  const [t, p] = pair('logCosh', yTrue, yPred, true);
  const x = sub(p, t);
  return reduceLoss(mean(sub(add(x, softplus(mul(x, -2))), Math.LN2), -1), reduction);
}

/**
 * x / sqrt(max(Σx², ε²)) over `axis`: Keras's normalize (ops.nn.normalize with order 2), a scalar taken
 * as a vector of one.
 */
function l2Normalized(x: Tensor, axis: number): Tensor {
  const v = x.rank === 0 ? reshape(x, [1]) : x;
  return mul(v, rsqrt(maximum(sum(square(v), axis, true), EPSILON * EPSILON)));
}

/**
 * The negated cosine similarity -Σ ẑ·p̂ of the l2-normalised vectors along `axis` (default the last),
 * per sample, then reduced: -1 for vectors pointing the same way, 0 when either is zero.
 * @example
 * tg.losses.cosineSimilarity([[0, 1], [1, 1], [1, 1]], [[1, 0], [1, 1], [-1, -1]], { reduction: 'none' }); // [0, -0.99999994, 0.99999994]
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: CosineSimilarityOptions = {}): Tensor {
  const op = 'cosineSimilarity';
  const o = requireOptions<CosineSimilarityOptions>(op, options, ['axis', 'reduction']);
  const reduction = reductionOf(op, o.reduction);
  const axis = o.axis ?? -1;
  const [t0, p0] = pair(op, yTrue, yPred, true, (ts, ps, shape) => {
    // NOTE: each is normalised along the axis of its own rank (a scalar as a vector of one), then their
    // product summed along the axis of its rank, as Keras
    for (const s of [ts, ps, shape]) requireAxis(op, axis, Math.max(s.length, 1));
  });
  const prod = mul(l2Normalized(t0, axis), l2Normalized(p0, axis));
  return reduceLoss(neg(sum(prod, axis)), reduction);
}

/**
 * Mean absolute percentage error: 100·mean(|(z - p) / max(|z|, ε)|) over the last axis per sample
 * (ε = 1e-7), then reduced.
 * @example
 * tg.losses.meanAbsolutePercentageError([100, 200, 300], [90, 210, 310]); // 6.111111  (100·(0.1 + 0.05 + 0.0333) / 3)
 */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('meanAbsolutePercentageError', options);
  const [t, p] = pair('meanAbsolutePercentageError', yTrue, yPred, true);
  const diff = abs(div(sub(t, p), maximum(abs(t), EPSILON)));
  return reduceLoss(mul(mean(diff, -1), 100), reduction);
}

/**
 * Mean squared logarithmic error: mean((log(max(p, ε) + 1) - log(max(z, ε) + 1))²) over the last axis
 * per sample (ε = 1e-7), then reduced.
 * @example
 * tg.losses.meanSquaredLogarithmicError([[0, 1]], [[1, 1]]); // 0.2402264  ((ln 2 - ln(1 + ε))² / 2)
 */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  const reduction = onlyReduction('meanSquaredLogarithmicError', options);
  const [t, p] = pair('meanSquaredLogarithmicError', yTrue, yPred, true);
  const first = log(add(maximum(p, EPSILON), 1));
  const second = log(add(maximum(t, EPSILON), 1));
  return reduceLoss(mean(square(sub(first, second)), -1), reduction);
}

/**
 * Binary focal cross-entropy (Lin et al.): the binary cross-entropy times (1 - p_t)^gamma, p_t = z·p +
 * (1 - z)·(1 - p), and with `applyClassBalancing` times alpha (class 1) or 1 - alpha (class 0); its
 * mean over `axis` per sample, then reduced. Logits go through a sigmoid first.
 * @example
 * tg.losses.binaryFocalCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], { reduction: 'none' }); // [0.3298647, 0.2057984]
 */
export function binaryFocalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: BinaryFocalCrossentropyOptions = {},
): Tensor {
  const op = 'binaryFocalCrossentropy';
  const o = requireOptions<BinaryFocalCrossentropyOptions>(op, options, [
    'applyClassBalancing',
    'alpha',
    'gamma',
    'fromLogits',
    'labelSmoothing',
    'axis',
    'reduction',
  ]);
  const balance = booleanOf(op, 'applyClassBalancing', o.applyClassBalancing, false);
  const alpha = numberOf(op, 'alpha', o.alpha, 0.25);
  const gamma = numberOf(op, 'gamma', o.gamma, 2);
  const fromLogits = booleanOf(op, 'fromLogits', o.fromLogits, false);
  const smoothing = numberOf(op, 'labelSmoothing', o.labelSmoothing, 0);
  const reduction = reductionOf(op, o.reduction);
  let axis = -1;
  const [t0, p0] = pair(op, yTrue, yPred, false, (_ts, ps) => {
    axis = requireAxis(op, o.axis ?? -1, ps.length);
  });
  const t = smoothBinary(t0, smoothing);
  const p = fromLogits ? sigmoid(p0) : p0;
  // Keras: the cross-entropy of the (clipped) probabilities; p_t of the unclipped ones
  const bce = binaryCrossentropyOfProbs(t, p);
  const pT = add(mul(t, p), mul(sub(1, t), sub(1, p)));
  let focal = mul(pow(sub(1, pT), gamma), bce);
  if (balance) focal = mul(add(mul(t, alpha), mul(sub(1, t), 1 - alpha)), focal);
  return reduceLoss(mean(focal, axis), reduction);
}

/**
 * Categorical focal cross-entropy (Lin et al.): Σ alpha·(1 - q)^gamma·(-z·log q) over the class axis
 * per sample, q the probabilities divided by their sum and clipped to [ε, 1 - ε] (after a softmax for
 * logits), then reduced. `alpha` is one weight or one per class.
 * @example
 * tg.losses.categoricalFocalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]); // 0.2331528
 */
export function categoricalFocalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CategoricalFocalCrossentropyOptions = {},
): Tensor {
  const op = 'categoricalFocalCrossentropy';
  const o = requireOptions<CategoricalFocalCrossentropyOptions>(op, options, [
    'alpha',
    'gamma',
    'fromLogits',
    'labelSmoothing',
    'axis',
    'reduction',
  ]);
  const alphaOption: unknown = o.alpha ?? 0.25;
  if (typeof alphaOption !== 'number') {
    if (!Array.isArray(alphaOption)) {
      throw new ArgumentError(`${op}: alpha must be a number or an array of numbers, got ${describe(alphaOption)}`);
    }
    alphaOption.forEach((a: unknown, i) => requireNumber(op, `alpha[${i}]`, a));
  }
  const gamma = numberOf(op, 'gamma', o.gamma, 2);
  const fromLogits = booleanOf(op, 'fromLogits', o.fromLogits, false);
  const smoothing = numberOf(op, 'labelSmoothing', o.labelSmoothing, 0);
  const reduction = reductionOf(op, o.reduction);
  const [t0, p0, axis] = categoricalPair(op, yTrue, yPred, o.axis, true, (_ts, _ps, shape) => {
    if (!Array.isArray(alphaOption)) return;
    try {
      broadcastShapes(op, shape, [alphaOption.length]);
    } catch {
      throw new ShapeError(
        `${op}: alpha has ${alphaOption.length} weights, which do not broadcast against the last axis of ${fmtShape(shape)}`,
      );
    }
  });
  const t = smoothCategorical(t0, smoothing, p0.shape[axis]);
  const p = fromLogits ? softmax(p0, axis) : p0;
  // Keras: divide by the sum (so each sample's probabilities add up to 1), clip, then weigh
  const q = clipByValue(div(p, sum(p, axis, true)), EPSILON, 1 - EPSILON);
  const cce = mul(neg(t), log(q));
  const alpha = typeof alphaOption === 'number' ? alphaOption : toTensor(op, alphaOption as number[], q.dtype);
  const weighting = mul(pow(sub(1, q), gamma), alpha);
  return reduceLoss(sum(mul(weighting, cce), axis), reduction);
}
