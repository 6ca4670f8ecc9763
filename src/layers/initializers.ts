// Weight initializers as keras/src/initializers: constants, random ones, and variance scaling (Glorot, He,
// LeCun) with Keras's fans and scales; random draws use the library's seeded generators.
import { ArgumentError, DTypeError, describe } from '../core/errors';
import { requireFiniteNumber, requireInteger, requireOneOf, requireOptions, requireShape } from '../core/args';
import type { Tensor } from '../core/tensor';
import { fill, randomNormal as randomNormalOp, randomUniform as randomUniformOp } from '../ops/create';
import { truncatedNormal as truncatedNormalOp } from '../ops/random';

/** The dtypes a weight can have. */
export type WeightDType = 'float32' | 'float64';

/**
 * Makes initial weights: `apply(shape, dtype?, seed?)` gives a new tensor. A random initializer made
 * with a `seed` gives the same values on every call; without one it uses the `seed` passed to `apply`
 * (a layer's), else a fresh random seed.
 */
export interface Initializer {
  /** Keras's class name: `GlorotUniform`, `Zeros` … */
  readonly className: string;
  apply(shape: readonly number[], dtype?: WeightDType, seed?: number): Tensor;
}

class BaseInitializer implements Initializer {
  constructor(
    readonly className: string,
    private readonly make: (shape: number[], dtype: WeightDType, seed: number | undefined) => Tensor,
    readonly seed?: number,
  ) {}

  /**
   * A new tensor of initial values.
   * @example
   * tg.initializers.ones().apply([2]); // [1, 1]
   */
  apply(shape: readonly number[], dtype: WeightDType = 'float32', seed?: number): Tensor {
    const op = `${this.className}.apply`;
    const s = requireShape(op, shape);
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new DTypeError(`${op}: dtype must be float32 or float64, got ${describe(dtype)}`);
    const given = seed === undefined ? undefined : requireInteger(op, 'seed', seed);
    return this.make([...s], dtype, this.seed ?? given);
  }
}

/** Options of the random initializers: a seed for the same values on every call and platform. */
export interface SeedOptions {
  seed?: number;
}

function readSeed(op: string, o: { seed?: number }): number | undefined {
  return o.seed === undefined ? undefined : requireInteger(op, 'seed', o.seed);
}

/*
 * Keras's `compute_fans`: rank 0 gives (1, 1), rank 1 (n, n), rank 2 (rows, columns); a convolution
 * kernel `[...window, in, out]` gives (in·window, out·window).
 */
function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/**
 * Zeros (Keras's `Zeros`).
 * @example
 * tg.initializers.zeros().apply([2]); // [0, 0]
 */
export function zeros(): Initializer {
  return new BaseInitializer('Zeros', (s, d) => fill(s, 0, d));
}

/**
 * Ones (Keras's `Ones`).
 * @example
 * tg.initializers.ones().apply([2]); // [1, 1]
 */
export function ones(): Initializer {
  return new BaseInitializer('Ones', (s, d) => fill(s, 1, d));
}

/** Options of `constant`. */
export interface ConstantOptions {
  /** Default 0, as Keras. */
  value?: number;
}

/**
 * Every value `value` (Keras's `Constant`).
 * @example
 * tg.initializers.constant({ value: 3 }).apply([2]); // [3, 3]
 */
export function constant(options?: ConstantOptions): Initializer {
  const o = requireOptions<ConstantOptions>('initializers.constant', options, ['value']);
  const value = o.value === undefined ? 0 : requireFiniteNumber('initializers.constant', 'value', o.value);
  return new BaseInitializer('Constant', (s, d) => fill(s, value, d));
}

/** Options of `randomNormal` and `truncatedNormal`. */
export interface NormalOptions extends SeedOptions {
  /** Default 0. */
  mean?: number;
  /** Default 0.05, as Keras. */
  stddev?: number;
}

function normalOptions(op: string, options: unknown): { mean: number; stddev: number; seed?: number } {
  const o = requireOptions<NormalOptions>(op, options, ['mean', 'stddev', 'seed']);
  return {
    mean: o.mean === undefined ? 0 : requireFiniteNumber(op, 'mean', o.mean),
    stddev: o.stddev === undefined ? 0.05 : requireFiniteNumber(op, 'stddev', o.stddev),
    seed: readSeed(op, o),
  };
}

/**
 * Normal values, mean 0 and standard deviation 0.05 by default (Keras's `RandomNormal`).
 * @example
 * tg.initializers.randomNormal({ seed: 1 }).apply([2]).equal(tg.randomNormal([2], { stddev: 0.05, seed: 1 })).all(); // true
 */
export function randomNormal(options?: NormalOptions): Initializer {
  const { mean, stddev, seed } = normalOptions('initializers.randomNormal', options);
  return new BaseInitializer(
    'RandomNormal',
    (s, d, sd) => randomNormalOp(s, { mean, stddev, seed: sd, dtype: d }),
    seed,
  );
}

/**
 * Normal values redrawn beyond two standard deviations, mean 0 and standard deviation 0.05 (before
 * truncation) by default (Keras's `TruncatedNormal`).
 * @example
 * tg.initializers.truncatedNormal({ seed: 1 }).apply([100]).abs().max().lessEqual(0.1); // true
 */
export function truncatedNormal(options?: NormalOptions): Initializer {
  const { mean, stddev, seed } = normalOptions('initializers.truncatedNormal', options);
  return new BaseInitializer(
    'TruncatedNormal',
    (s, d, sd) => truncatedNormalOp(s, { mean, stddev, seed: sd, dtype: d }),
    seed,
  );
}

/** Options of `randomUniform`. */
export interface UniformOptions extends SeedOptions {
  /** Default -0.05, as Keras. */
  minval?: number;
  /** Default 0.05. */
  maxval?: number;
}

/**
 * Uniform values in [minval, maxval), [-0.05, 0.05) by default (Keras's `RandomUniform`).
 * @example
 * tg.initializers.randomUniform({ seed: 1 }).apply([100]).abs().max().less(0.05); // true
 */
export function randomUniform(options?: UniformOptions): Initializer {
  const op = 'initializers.randomUniform';
  const o = requireOptions<UniformOptions>(op, options, ['minval', 'maxval', 'seed']);
  const minval = o.minval === undefined ? -0.05 : requireFiniteNumber(op, 'minval', o.minval);
  const maxval = o.maxval === undefined ? 0.05 : requireFiniteNumber(op, 'maxval', o.maxval);
  if (!(maxval > minval)) throw new ArgumentError(`${op}: maxval (${maxval}) must be greater than minval (${minval})`);
  return new BaseInitializer(
    'RandomUniform',
    (s, d, sd) => randomUniformOp(s, { minval, maxval, seed: sd, dtype: d }),
    readSeed(op, o),
  );
}

/** Options of `varianceScaling`. */
export interface VarianceScalingOptions extends SeedOptions {
  /** Default 1. */
  scale?: number;
  /** Default 'fanIn'. */
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  /** Default 'truncatedNormal'; 'normal' is 'truncatedNormal', as Keras. */
  distribution?: 'truncatedNormal' | 'untruncatedNormal' | 'normal' | 'uniform';
}

function scaling(
  className: string,
  scale: number,
  mode: 'fanIn' | 'fanOut' | 'fanAvg',
  distribution: 'truncatedNormal' | 'untruncatedNormal' | 'uniform',
  seed: number | undefined,
): Initializer {
  return new BaseInitializer(
    className,
    (s, d, sd) => {
      const [fanIn, fanOut] = computeFans(s);
      const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      const v = scale / Math.max(1, fan);
      if (distribution === 'uniform') {
        const limit = Math.sqrt(3 * v);
        return randomUniformOp(s, { minval: -limit, maxval: limit, seed: sd, dtype: d });
      }
      if (distribution === 'untruncatedNormal')
        return randomNormalOp(s, { mean: 0, stddev: Math.sqrt(v), seed: sd, dtype: d });
      // the standard deviation of a unit normal truncated at ±2, so the result's variance is v (Keras's constant)
      return truncatedNormalOp(s, { mean: 0, stddev: Math.sqrt(v) / 0.8796256610342398, seed: sd, dtype: d });
    },
    seed,
  );
}

/**
 * Keras's `VarianceScaling`: with n the fan of `mode` (Keras's `compute_fans`), values of variance
 * scale / max(1, n): uniform in ±sqrt(3·scale/n), or normal (truncated at two standard deviations, or not).
 * @example
 * tg.initializers.varianceScaling({ scale: 3, mode: 'fanIn', distribution: 'uniform', seed: 2 }).apply([4, 1]).abs().max().less(1.5); // true
 */
export function varianceScaling(options?: VarianceScalingOptions): Initializer {
  const op = 'initializers.varianceScaling';
  const o = requireOptions<VarianceScalingOptions>(op, options, ['scale', 'mode', 'distribution', 'seed']);
  const scale = o.scale === undefined ? 1 : requireFiniteNumber(op, 'scale', o.scale);
  if (!(scale > 0)) throw new ArgumentError(`${op}: scale must be positive, got ${scale}`);
  const mode = requireOneOf(op, 'mode', o.mode ?? 'fanIn', ['fanIn', 'fanOut', 'fanAvg'] as const);
  const dist = requireOneOf(op, 'distribution', o.distribution ?? 'truncatedNormal', [
    'truncatedNormal',
    'untruncatedNormal',
    'normal',
    'uniform',
  ] as const);
  return scaling('VarianceScaling', scale, mode, dist === 'normal' ? 'truncatedNormal' : dist, readSeed(op, o));
}

function preset(
  name: string,
  className: string,
  scale: number,
  mode: 'fanIn' | 'fanAvg',
  distribution: 'truncatedNormal' | 'uniform',
  options: unknown,
): Initializer {
  const op = `initializers.${name}`;
  return scaling(
    className,
    scale,
    mode,
    distribution,
    readSeed(op, requireOptions<SeedOptions>(op, options, ['seed'])),
  );
}

/**
 * Glorot (Xavier) uniform: uniform in ±sqrt(6 / (fanIn + fanOut)), Keras's default kernel initializer.
 * @example
 * tg.initializers.glorotUniform({ seed: 3 }).apply([3, 2]).abs().max().less(Math.sqrt(6 / 5)); // true
 */
export function glorotUniform(options?: SeedOptions): Initializer {
  return preset('glorotUniform', 'GlorotUniform', 1, 'fanAvg', 'uniform', options);
}

/**
 * Glorot (Xavier) normal: truncated normal of variance 2 / (fanIn + fanOut).
 * @example
 * tg.initializers.glorotNormal({ seed: 3 }).apply([3, 2]).shape; // [3, 2]
 */
export function glorotNormal(options?: SeedOptions): Initializer {
  return preset('glorotNormal', 'GlorotNormal', 1, 'fanAvg', 'truncatedNormal', options);
}

/**
 * He uniform: uniform in ±sqrt(6 / fanIn).
 * @example
 * tg.initializers.heUniform({ seed: 3 }).apply([6, 2]).abs().max().less(1); // true
 */
export function heUniform(options?: SeedOptions): Initializer {
  return preset('heUniform', 'HeUniform', 2, 'fanIn', 'uniform', options);
}

/**
 * He normal: truncated normal of variance 2 / fanIn.
 * @example
 * tg.initializers.heNormal({ seed: 3 }).apply([6, 2]).shape; // [6, 2]
 */
export function heNormal(options?: SeedOptions): Initializer {
  return preset('heNormal', 'HeNormal', 2, 'fanIn', 'truncatedNormal', options);
}

/**
 * LeCun uniform: uniform in ±sqrt(3 / fanIn).
 * @example
 * tg.initializers.lecunUniform({ seed: 3 }).apply([3, 2]).abs().max().less(1); // true
 */
export function lecunUniform(options?: SeedOptions): Initializer {
  return preset('lecunUniform', 'LecunUniform', 1, 'fanIn', 'uniform', options);
}

/**
 * LeCun normal: truncated normal of variance 1 / fanIn.
 * @example
 * tg.initializers.lecunNormal({ seed: 3 }).apply([3, 2]).shape; // [3, 2]
 */
export function lecunNormal(options?: SeedOptions): Initializer {
  return preset('lecunNormal', 'LecunNormal', 1, 'fanIn', 'truncatedNormal', options);
}
