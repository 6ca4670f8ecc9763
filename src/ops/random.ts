// Seeded random ops after TF's: truncatedNormal, randomShuffle and multinomial (tf.random.categorical). Their
// samplers are in kernels/random.ts, integer arithmetic and + − × ÷ only, so a seed gives the same numbers on
// every platform.
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { allocate, isFloat } from '../core/dtype';
import { DTypeError, ShapeError } from '../core/errors';
import { requireFiniteNumber, requireInteger, requireOptions } from '../core/args';
import { checkShape, fmtShape, sizeOf } from '../core/shape';
import { categoricalSample, permutation, truncatedNormalFill, xoshiro128 } from '../kernels/random';
import { gather } from './prims/shape';

/** The generator of a seed, or of a fresh one. */
function generator(seed: number | undefined): () => number {
  return xoshiro128(seed ?? Math.floor(Math.random() * 0x100000000));
}

/** Options of `truncatedNormal`. */
export interface TruncatedNormalOptions {
  /** Default 0. */
  mean?: number;
  /** The standard deviation of the normal distribution before truncation. Default 1. */
  stddev?: number;
  /** The same seed gives the same numbers on every platform. */
  seed?: number;
  dtype?: 'float32' | 'float64';
}

/**
 * Normal values with those beyond two standard deviations of the mean dropped and drawn again, TF's
 * `tf.random.truncated_normal` (the standard deviation of the result is about 0.8796·stddev); the same seed
 * gives the same numbers everywhere.
 * @example
 * tg.truncatedNormal([1000], { seed: 1 }).abs().max().less(2); // Tensor(true, shape=[], dtype=bool)
 */
export function truncatedNormal(shape: readonly number[], options?: TruncatedNormalOptions): Tensor {
  const op = 'truncatedNormal';
  const o = requireOptions<TruncatedNormalOptions>(op, options, ['mean', 'stddev', 'seed', 'dtype']);
  const s = checkShape(op, shape);
  const mean = o.mean === undefined ? 0 : requireFiniteNumber(op, 'mean', o.mean);
  const stddev = o.stddev === undefined ? 1 : requireFiniteNumber(op, 'stddev', o.stddev);
  const seed = o.seed === undefined ? undefined : requireInteger(op, 'seed', o.seed);
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new DTypeError(`${op}: dtype must be float32 or float64, got ${String(dtype)}`);
  const out = allocate(dtype, sizeOf(s)) as Float32Array | Float64Array;
  truncatedNormalFill(out, generator(seed), mean, stddev);
  return new Tensor(out, s, dtype);
}

/** Options of `randomShuffle`. */
export interface RandomShuffleOptions {
  /** The same seed gives the same order on every platform. */
  seed?: number;
}

/**
 * x with its first axis in a random order (a Fisher–Yates permutation), TF's `tf.random.shuffle`; a scalar
 * is returned as it is. Unlike TF (no gradient for RandomShuffle), the gradient is dy put back in place.
 * @example
 * tg.randomShuffle([1, 2, 3, 4], { seed: 3 }); // [1, 4, 2, 3]
 */
export function randomShuffle(x: TensorLike, options?: RandomShuffleOptions): Tensor {
  const op = 'randomShuffle';
  const o = requireOptions<RandomShuffleOptions>(op, options, ['seed']);
  const seed = o.seed === undefined ? undefined : requireInteger(op, 'seed', o.seed);
  const t = toTensor(op, x);
  if (t.rank === 0) return t;
  const perm = permutation(t.shape[0], generator(seed));
  return gather(t, new Tensor(perm, [perm.length], 'int32'), 0);
}

/**
 * `numSamples` class indices per row of logits [batch, classes], each class drawn with probability
 * softmax(row) (a −Infinity logit never), as int32 [batch, numSamples]: TF's `tf.random.categorical`. The
 * same seed gives the same samples on every platform.
 * @example
 * tg.multinomial([[-Infinity, 0]], 3, 5); // Tensor([[1, 1, 1]], shape=[1,3], dtype=int32)
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number | null): Tensor {
  const op = 'multinomial';
  const x = toTensor(op, logits);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: logits must be a float32 or float64 tensor, got ${x.dtype}`);
  if (x.rank !== 2)
    throw new ShapeError(`${op}: logits must be a matrix [batch, classes], got shape ${fmtShape(x.shape)}`);
  requireInteger(op, 'numSamples', numSamples, 0, 2 ** 31 - 1);
  const s = seed === undefined || seed === null ? undefined : requireInteger(op, 'seed', seed);
  const [batch, classes] = x.shape;
  if (classes === 0) throw new ShapeError(`${op}: logits must have at least one class, got shape ${fmtShape(x.shape)}`);
  const shape = checkShape(op, [batch, numSamples]);
  return new Tensor(categoricalSample(x.values, batch, classes, numSamples, generator(s)), shape, 'int32');
}
