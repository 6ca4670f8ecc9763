// BatchNormalization and LayerNormalization as Keras 3's: batch statistics (biased variance) and the
// moving ones updated with momentum in training, the moving ones at inference; per-example statistics
// over the normalised axes for layer normalisation; epsilon 1e-3.
import { ArgumentError, describe } from '../core/errors';
import { requireBoolean, requireFiniteNumber } from '../core/args';
import { normalizeAxes, normalizeAxis } from '../core/shape';
import { withoutRecorders } from '../core/recording';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { add, mul } from '../ops/prims/binary';
import { neg, rsqrt } from '../ops/prims/unary';
import { reshape } from '../ops/prims/shape';
import { moments } from '../ops/composite/moments';
import { batchNorm } from '../ops/composite/normalization';
import type { Initializer } from './initializers';
import type { InitializerIdentifier } from './initializer_lookup';
import { getInitializer } from './initializer_lookup';
import type { InputSpec, LayerOptions, PartialShape } from './layer';
import { Layer, knownDim, layerConfig } from './layer';

function requireEpsilon(op: string, v: unknown): number {
  const e = v === undefined ? 1e-3 : requireFiniteNumber(op, 'epsilon', v);
  if (!(e >= 0)) throw new ArgumentError(`${op}: epsilon must be >= 0, got ${e}`);
  return e;
}

function optionalBoolean(op: string, name: string, v: unknown): boolean {
  return v === undefined ? true : requireBoolean(op, name, v);
}

/** The options of `batchNormalization` (TF.js's names). */
export interface BatchNormalizationConfig extends LayerOptions {
  /** The features axis. Default -1. */
  axis?: number;
  /** Of the moving statistics: moving = moving·momentum + batch·(1 − momentum). Default 0.99. */
  momentum?: number;
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Add `beta`. Default true. */
  center?: boolean;
  /** Multiply by `gamma`. Default true. */
  scale?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  gammaInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier;
}

/**
 * Batch normalisation: see `batchNormalization`.
 * @example
 * tg.layers.batchNormalization().momentum; // 0.99
 */
export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** `[features]`, trainable; undefined until built and when `scale` is false. */
  gamma!: Variable | undefined;
  /** `[features]`, trainable; undefined until built and when `center` is false. */
  beta!: Variable | undefined;
  /** `[features]`, not trainable; undefined until built. */
  movingMean!: Variable;
  /** `[features]`, not trainable; undefined until built. */
  movingVariance!: Variable;
  private readonly initializers: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  private builtAxis = -1;
  private builtRank = 0;

  /** Use `tg.layers.batchNormalization(config)`. */
  constructor(config?: BatchNormalizationConfig) {
    const op = 'layers.batchNormalization';
    const { config: c, layer } = layerConfig<BatchNormalizationConfig>(op, config, [
      'axis',
      'momentum',
      'epsilon',
      'center',
      'scale',
      'betaInitializer',
      'gammaInitializer',
      'movingMeanInitializer',
      'movingVarianceInitializer',
    ]);
    super('BatchNormalization', layer);
    if (c.axis !== undefined && (typeof c.axis !== 'number' || !Number.isSafeInteger(c.axis)))
      throw new ArgumentError(`${op}: axis must be an integer, got ${describe(c.axis)}`);
    this.axis = c.axis ?? -1;
    this.momentum = c.momentum === undefined ? 0.99 : requireFiniteNumber(op, 'momentum', c.momentum);
    this.epsilon = requireEpsilon(op, c.epsilon);
    this.center = optionalBoolean(op, 'center', c.center);
    this.scale = optionalBoolean(op, 'scale', c.scale);
    this.initializers = {
      beta: getInitializer(op, 'betaInitializer', c.betaInitializer ?? 'zeros'),
      gamma: getInitializer(op, 'gammaInitializer', c.gammaInitializer ?? 'ones'),
      movingMean: getInitializer(op, 'movingMeanInitializer', c.movingMeanInitializer ?? 'zeros'),
      movingVariance: getInitializer(op, 'movingVarianceInitializer', c.movingVarianceInitializer ?? 'ones'),
    };
    this.gamma = undefined;
    this.beta = undefined;
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    if (!this.built) return {};
    return { ndim: this.builtRank, axes: [[this.builtAxis, this.movingMean.shape[0]]] };
  }

  protected override castInputs(): 'all' {
    return 'all';
  }

  protected override build(inputShape: PartialShape): void {
    const op = 'BatchNormalization.build';
    this.builtAxis = normalizeAxis(op, this.axis, inputShape.length);
    this.builtRank = inputShape.length;
    const shape = [knownDim(op, this.name, inputShape, this.builtAxis)];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.initializers.gamma);
    if (this.center) this.beta = this.addWeight('beta', shape, this.initializers.beta);
    this.movingMean = this.addWeight('movingMean', shape, this.initializers.movingMean, false);
    this.movingVariance = this.addWeight('movingVariance', shape, this.initializers.movingVariance, false);
  }

  protected override call(x: Tensor, training: boolean): Tensor {
    const rank = x.rank;
    const axis = this.builtAxis;
    const reduction = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
    const broadcast = Array.from({ length: rank }, (_, i) => (i === axis ? x.shape[axis] : 1));
    const fit = (t: Tensor | Variable | undefined): Tensor | Variable | undefined =>
      t === undefined || axis === rank - 1 ? t : reshape(t, broadcast);
    let mean: Tensor | Variable = this.movingMean;
    let variance: Tensor | Variable = this.movingVariance;
    if (training && this.trainable) {
      // Keras 3: ops.moments over every axis but the features (the biased variance)
      const m = moments(x, reduction);
      mean = m.mean;
      variance = m.variance;
      const momentum = this.momentum;
      const batchMean = m.mean;
      const batchVariance = m.variance;
      withoutRecorders(() => {
        // moving = moving·momentum + batch·(1 − momentum), as Keras 3's assign
        this.movingMean.assign(add(mul(this.movingMean, momentum), mul(batchMean, 1 - momentum)));
        this.movingVariance.assign(add(mul(this.movingVariance, momentum), mul(batchVariance, 1 - momentum)));
      });
    }
    return batchNorm(x, fit(mean)!, fit(variance)!, fit(this.beta), fit(this.gamma), this.epsilon);
  }
}

/**
 * Batch normalisation, Keras's `BatchNormalization`: (x − mean)·gamma / sqrt(variance + epsilon) + beta
 * over the `axis` features. With `training: true` it uses the batch's mean and biased variance and
 * updates `movingMean` and `movingVariance` (moving·momentum + batch·(1 − momentum), momentum 0.99); at
 * inference (the default) it uses the moving ones.
 * @example
 * const bn = tg.layers.batchNormalization({ epsilon: 0 });
 * bn.apply([[1], [3]], { training: true }); // [[-1], [1]]  (mean 2, variance 1)
 * bn.movingMean.value(); // [0.02]  (0·0.99 + 2·0.01)
 */
export function batchNormalization(config?: BatchNormalizationConfig): BatchNormalization {
  return new BatchNormalization(config);
}

/** The options of `layerNormalization` (TF.js's names). */
export interface LayerNormalizationConfig extends LayerOptions {
  /** The normalised axes. Default -1. */
  axis?: number | readonly number[];
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Add `beta`. Default true. */
  center?: boolean;
  /** Multiply by `gamma`. Default true. */
  scale?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  gammaInitializer?: InitializerIdentifier;
}

/**
 * Layer normalisation: see `layerNormalization`.
 * @example
 * tg.layers.layerNormalization().epsilon; // 0.001
 */
export class LayerNormalization extends Layer {
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** The normalised axes' shape, trainable; undefined until built and when `scale` is false. */
  gamma!: Variable | undefined;
  /** The normalised axes' shape, trainable; undefined until built and when `center` is false. */
  beta!: Variable | undefined;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  private builtAxes: number[] = [];
  private builtRank = 0;
  private builtShape: number[] = [];

  /** Use `tg.layers.layerNormalization(config)`. */
  constructor(config?: LayerNormalizationConfig) {
    const op = 'layers.layerNormalization';
    const { config: c, layer } = layerConfig<LayerNormalizationConfig>(op, config, [
      'axis',
      'epsilon',
      'center',
      'scale',
      'betaInitializer',
      'gammaInitializer',
    ]);
    super('LayerNormalization', layer);
    const axis: unknown = c.axis ?? -1;
    const isInt = (a: unknown): boolean => typeof a === 'number' && Number.isSafeInteger(a);
    if (!isInt(axis) && !(Array.isArray(axis) && axis.length > 0 && axis.every(isInt)))
      throw new ArgumentError(`${op}: axis must be an integer or a non-empty list of integers, got ${describe(axis)}`);
    this.axis = Array.isArray(axis) ? (axis as number[]).slice() : (axis as number);
    this.epsilon = requireEpsilon(op, c.epsilon);
    this.center = optionalBoolean(op, 'center', c.center);
    this.scale = optionalBoolean(op, 'scale', c.scale);
    this.betaInitializer = getInitializer(op, 'betaInitializer', c.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(op, 'gammaInitializer', c.gammaInitializer ?? 'ones');
    this.gamma = undefined;
    this.beta = undefined;
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    if (!this.built) return {};
    return { ndim: this.builtRank, axes: this.builtAxes.map((a, i) => [a, this.builtShape[i]] as const) };
  }

  protected override castInputs(): 'all' {
    return 'all';
  }

  protected override build(inputShape: PartialShape): void {
    const op = 'LayerNormalization.build';
    this.builtAxes = normalizeAxes(op, this.axis, inputShape.length);
    this.builtRank = inputShape.length;
    this.builtShape = this.builtAxes.map((a) => knownDim(op, this.name, inputShape, a));
    if (this.scale) this.gamma = this.addWeight('gamma', this.builtShape, this.gammaInitializer);
    if (this.center) this.beta = this.addWeight('beta', this.builtShape, this.betaInitializer);
  }

  protected override call(x: Tensor): Tensor {
    const rank = x.rank;
    const broadcast = Array.from({ length: rank }, (_, i) => (this.builtAxes.includes(i) ? x.shape[i] : 1));
    const fit = (v: Variable): Tensor => reshape(v, broadcast);
    // Keras 3: inv = rsqrt(variance + ε)·gamma; outputs = x·inv + (beta − mean·inv)
    const { mean, variance } = moments(x, this.builtAxes, true);
    let inv = rsqrt(add(variance, this.epsilon));
    if (this.gamma !== undefined) inv = mul(inv, fit(this.gamma));
    let res = mul(neg(mean), inv);
    if (this.beta !== undefined) res = add(res, fit(this.beta));
    return add(mul(x, inv), res);
  }
}

/**
 * Layer normalisation, Keras's `LayerNormalization`: each example normalised over `axis` (default the
 * last), x·inv + (beta − mean·inv) with inv = gamma / sqrt(variance + epsilon), epsilon 1e-3.
 * @example
 * tg.layers.layerNormalization({ epsilon: 0 }).apply([[1, 3]]); // [[-1, 1]]
 */
export function layerNormalization(config?: LayerNormalizationConfig): LayerNormalization {
  return new LayerNormalization(config);
}
