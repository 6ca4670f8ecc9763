// Creation functions: tensors from values, constant fills, ranges, identity matrices and seeded random tensors.
import type { DType } from '../core/dtype';
import { allocate, checkDType } from '../core/dtype';
import { DTypeError, ShapeError } from '../core/errors';
import { checkShape, sizeOf } from '../core/shape';
import type { Shape } from '../core/shape';
import type { PlainValue } from '../core/convert';
import { fromPlain } from '../core/convert';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { normalPair, uniform53, xoshiro128 } from '../kernels/random';

/**
 * A tensor from a number, boolean, nested array, typed array or tensor. The dtype defaults to
 * float32 (bool for booleans, a typed array's own type); `shape` reshapes flat values.
 * @example
 * tg.tensor([[1, 2], [3, 4]]); // Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)
 * tg.tensor([1, 2, 3, 4], [2, 2], 'int32'); // Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=int32)
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor || values instanceof Variable) {
    const t = values instanceof Variable ? values.value() : values;
    return fromPlain('tensor', t.values, shape ?? t.shape.slice(), dtype ?? t.dtype);
  }
  return fromPlain('tensor', values as PlainValue, shape, dtype);
}

/**
 * TensorFlow's name for `tensor()`.
 * @example
 * tg.constant([1, 2]); // Tensor([1, 2], shape=[2], dtype=float32)
 */
export const constant = tensor;

/**
 * A rank-0 tensor.
 * @example
 * tg.scalar(24); // Tensor(24, shape=[], dtype=float32)
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new DTypeError(`scalar: expected a number or boolean, got ${typeof value}`);
  return fromPlain('scalar', value, [], dtype);
}

/**
 * A tensor of `shape` with every element `value`.
 * @example
 * tg.fill([2, 2], 7); // [[7, 7], [7, 7]]
 */
export function fill(shape: readonly number[], value: number | boolean, dtype?: DType): Tensor {
  const dt = dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDType('fill', dtype);
  return filled(checkShape('fill', shape), Number(value), dt);
}

/** A filled tensor of a shape already known to be valid (a tensor's own). */
function filled(shape: Shape, value: number, dtype: DType): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  return new Tensor(out, shape, dtype);
}

/** Zeros of `shape`. @example tg.zeros([2, 3]); // [[0, 0, 0], [0, 0, 0]] */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** Ones of `shape`. @example tg.ones([2]); // [1, 1] */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `x`. @example tg.zerosLike([1, 2]); // [0, 0] */
export function zerosLike(x: TensorLike): Tensor {
  const t = toTensor('zerosLike', x);
  return filled(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `x`. @example tg.onesLike([5, 6]); // [1, 1] */
export function onesLike(x: TensorLike): Tensor {
  const t = toTensor('onesLike', x);
  return filled(t.shape, 1, t.dtype);
}

/**
 * The n×n identity matrix.
 * @example
 * tg.eye(2); // [[1, 0], [0, 1]]
 */
export function eye(n: number, dtype: DType = 'float32'): Tensor {
  const out = zeros([n, n], dtype);
  for (let i = 0; i < n; i++) out.values[i * n + i] = 1;
  return out;
}

/**
 * start, start + step, … up to but not including stop. Without dtype, int32 when all three are
 * integers (as TF), float32 otherwise.
 * @example
 * tg.range(0, 5, 2); // Tensor([0, 2, 4], shape=[3], dtype=int32)
 */
export function range(start: number, stop: number, step = 1, dtype?: DType): Tensor {
  if (step === 0 || !Number.isFinite(step))
    throw new ShapeError(`range: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = dtype ?? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32');
  const out = allocate(checkDType('range', dt), n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n], dt);
}

/**
 * `num` evenly spaced values from start to stop, both included.
 * @example
 * tg.linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1) throw new ShapeError(`linspace: num must be a positive integer, got ${num}`);
  const out = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return new Tensor(out, [num], 'float32');
}

/** A seed from the options, or a fresh one. */
function generator(seed: number | undefined): () => number {
  return xoshiro128(seed ?? Math.floor(Math.random() * 0x100000000));
}

/** Options of `randomNormal`. */
export interface RandomNormalOptions {
  mean?: number;
  stddev?: number;
  /** The same seed gives the same numbers on every platform. */
  seed?: number;
  dtype?: 'float32' | 'float64';
}

/**
 * Normally distributed values; the same seed gives the same numbers everywhere.
 * @example
 * tg.randomNormal([2, 3], { seed: 42 });
 */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  const s = checkShape('randomNormal', shape);
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new DTypeError(`randomNormal: dtype must be float32 or float64, got ${String(dtype)}`);
  const out = allocate(dtype, sizeOf(s));
  const next = generator(seed);
  for (let i = 0; i < out.length; i += 2) {
    const [u, v] = normalPair(next);
    out[i] = mean + stddev * u;
    if (i + 1 < out.length) out[i + 1] = mean + stddev * v;
  }
  return new Tensor(out, s, dtype);
}

/** Options of `randomUniform`. */
export interface RandomUniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number;
  dtype?: 'float32' | 'float64' | 'int32';
}

/**
 * Uniform values in [minval, maxval); the same seed gives the same numbers everywhere.
 * @example
 * tg.randomUniform([3], { minval: -1, maxval: 1, seed: 7 });
 */
export function randomUniform(shape: readonly number[], options: RandomUniformOptions = {}): Tensor {
  const { minval = 0, maxval = 1, seed, dtype = 'float32' } = options;
  const s = checkShape('randomUniform', shape);
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32')
    throw new DTypeError(`randomUniform: dtype must be float32, float64 or int32, got ${String(dtype)}`);
  if (!(maxval > minval))
    throw new ShapeError(`randomUniform: maxval (${maxval}) must be greater than minval (${minval})`);
  const out = allocate(dtype, sizeOf(s));
  const next = generator(seed);
  for (let i = 0; i < out.length; i++) {
    const u = minval + (maxval - minval) * uniform53(next);
    out[i] = dtype === 'int32' ? Math.floor(u) : u;
  }
  return new Tensor(out, s, dtype);
}
