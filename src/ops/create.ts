// Creation functions: tensors from values, constant fills, ranges, identity matrices and seeded random tensors.
import type { DType } from '../core/dtype';
import { allocate, checkDType } from '../core/dtype';
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { requireFiniteNumber, requireInteger, requireOptions, requireScalar } from '../core/args';
import { MAX_SIZE, checkShape, fmtCount, sizeOf } from '../core/shape';
import type { Shape } from '../core/shape';
import type { PlainValue } from '../core/convert';
import { fromPlain } from '../core/convert';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { normalPair, uniform53, xoshiro128 } from '../kernels/random';
import { broadcastTo } from './prims/shape';

/**
 * A tensor from a number, boolean, nested array, typed array or tensor. The dtype defaults to
 * float32 (bool for booleans, a typed array's own type); `shape` reshapes flat values.
 * @example
 * tg.tensor([[1, 2], [3, 4]]); // Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)
 * tg.tensor([1, 2, 3, 4], [2, 2], 'int32'); // Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=int32)
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  return tensorAs('tensor', values, shape, dtype);
}

/**
 * TensorFlow's name for `tensor()`.
 * @example
 * tg.constant([1, 2]); // Tensor([1, 2], shape=[2], dtype=float32)
 */
export function constant(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  return tensorAs('constant', values, shape, dtype);
}

/** `tensor` reporting errors as the public function `op`. */
function tensorAs(op: string, values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor || values instanceof Variable) {
    const t = values instanceof Variable ? values.value() : values;
    return fromPlain(op, t.values, shape ?? t.shape.slice(), dtype ?? t.dtype);
  }
  return fromPlain(op, values as PlainValue, shape, dtype);
}

/**
 * A rank-0 tensor.
 * @example
 * tg.scalar(24); // Tensor(24, shape=[], dtype=float32)
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new DTypeError(`scalar: expected a number or boolean, got ${describe(value)}`);
  return fromPlain('scalar', value, [], dtype);
}

/**
 * A tensor of `shape` with every element `value`: a number, a boolean or, as TF's `fill`, a rank-0
 * tensor (whose dtype it takes, and through which gradients flow: TF's Fill gradient sums them).
 * @example
 * tg.fill([2, 2], 7); // [[7, 7], [7, 7]]
 * tg.fill([2], tg.scalar(3)); // [3, 3]
 */
export function fill(shape: readonly number[], value: number | boolean | Tensor | Variable, dtype?: DType): Tensor {
  return fillAs('fill', shape, value, dtype);
}

/**
 * `fill` reporting errors as the public function `op` (zeros, ones, eye): the shape, the value and
 * the dtype are checked before anything is allocated.
 */
function fillAs(op: string, shape: unknown, value: unknown, dtype: unknown): Tensor {
  const s = checkShape(op, shape);
  if (dtype !== undefined) checkDType(op, dtype);
  const v = requireScalar(op, 'value', value);
  if (v.tensor === undefined) return fromPlain(op, value as number | boolean, s, dtype as DType | undefined);
  if (dtype !== undefined && dtype !== v.tensor.dtype)
    throw new DTypeError(`${op}: dtype ${String(dtype)} differs from the value's dtype ${v.tensor.dtype}`);
  // NOTE: a tensor value broadcasts, so that a tape sees the dependency (TF registers a gradient
  // for Fill's value: the sum of the upstream gradient, which is broadcastTo's vjp)
  return broadcastTo(v.tensor, s);
}

/** A filled tensor of a shape already known to be valid (a tensor's own). */
function filled(shape: Shape, value: number, dtype: DType): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  // NOTE: one element (a scalar gradient's seed) without fill(), a call into C++ (~3% of W1)
  if (out.length === 1) out[0] = value;
  else if (value !== 0) out.fill(value);
  return new Tensor(out, shape, dtype);
}

/** Zeros of `shape`. @example tg.zeros([2, 3]); // [[0, 0, 0], [0, 0, 0]] */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fillAs('zeros', shape, 0, dtype);
}

/** Ones of `shape`. @example tg.ones([2]); // [1, 1] */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fillAs('ones', shape, 1, dtype);
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
  requireInteger('eye', 'n', n, 0);
  const out = fillAs('eye', [n, n], 0, dtype);
  for (let i = 0; i < n; i++) out.values[i * n + i] = 1;
  return out;
}

/**
 * start, start + step, … up to but not including stop; with one argument, as TF, it is the stop
 * (`range(5)` is 0 … 4). Without dtype, int32 when all three are integers (as TF), float32
 * otherwise.
 * @example
 * tg.range(0, 5, 2); // Tensor([0, 2, 4], shape=[3], dtype=int32)
 * tg.range(3); // Tensor([0, 1, 2], shape=[3], dtype=int32)
 */
export function range(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  // NOTE: TF's range(limit): a single argument is the limit, and the start is 0
  if (stop === undefined || stop === null) [start, stop] = [0, start];
  requireFiniteNumber('range', 'start', start);
  requireFiniteNumber('range', 'stop', stop);
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`range: step must be a finite non-zero number, got ${describe(step)}`);
  // NOTE: TF's Range kernel (tensorflow/core/kernels/sequence_ops.cc) refuses a step pointing away
  // from the stop ("Requires start <= limit when delta > 0") instead of returning an empty range
  if (step > 0 ? start > stop : start < stop) {
    throw new ArgumentError(
      `range: start must be ${step > 0 ? '<=' : '>='} stop when step is ${step > 0 ? 'positive' : 'negative'}, got start ${start}, stop ${stop}, step ${step}`,
    );
  }
  const dt = dtype === undefined ? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32') : dtype;
  checkDType('range', dt);
  if (dt === 'int32')
    for (const [name, v] of [
      ['start', start],
      ['stop', stop],
      ['step', step],
    ] as const) {
      // TF converts each bound to the dtype first, which refuses a fraction or an out-of-range value for int32
      if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1)
        throw new DTypeError(`range: ${name} ${v} cannot be stored as int32`);
    }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (!(n <= MAX_SIZE))
    throw new ShapeError(
      `range: from ${start} to ${stop} by ${step} has ${fmtCount(n)} elements, more than ${MAX_SIZE} (2^31 - 1), the most a tensor can hold`,
    );
  const out = allocate(dt, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n], dt);
}

/**
 * `num` evenly spaced values from start to stop, both included. The bounds are numbers or rank-0
 * float tensors (float64 bounds give a float64 result).
 * @example
 * tg.linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number | Tensor, stop: number | Tensor, num: number): Tensor {
  const a = requireScalar('linspace', 'start', start, false);
  const b = requireScalar('linspace', 'stop', stop, false);
  for (const [name, v] of [
    ['start', a],
    ['stop', b],
  ] as const)
    if (v.dtype !== undefined && v.dtype !== 'float32' && v.dtype !== 'float64')
      throw new DTypeError(`linspace: ${name} must be a float, got a ${v.dtype} tensor`);
  requireInteger('linspace', 'num', num, 1);
  checkShape('linspace', [num]);
  const dt = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32';
  const out = allocate(dt, num);
  const step = num === 1 ? 0 : (b.value - a.value) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = a.value + i * step;
  if (num > 1) out[num - 1] = b.value;
  return new Tensor(out, [num], dt);
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
export function randomNormal(shape: readonly number[], options?: RandomNormalOptions): Tensor {
  const o = requireOptions<RandomNormalOptions>('randomNormal', options, ['mean', 'stddev', 'seed', 'dtype']);
  const s = checkShape('randomNormal', shape);
  const mean = o.mean === undefined ? 0 : requireFiniteNumber('randomNormal', 'mean', o.mean);
  const stddev = o.stddev === undefined ? 1 : requireFiniteNumber('randomNormal', 'stddev', o.stddev);
  const seed = o.seed === undefined ? undefined : requireInteger('randomNormal', 'seed', o.seed);
  const dtype = o.dtype ?? 'float32';
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
export function randomUniform(shape: readonly number[], options?: RandomUniformOptions): Tensor {
  const o = requireOptions<RandomUniformOptions>('randomUniform', options, ['minval', 'maxval', 'seed', 'dtype']);
  const s = checkShape('randomUniform', shape);
  const minval = o.minval === undefined ? 0 : requireFiniteNumber('randomUniform', 'minval', o.minval);
  const maxval = o.maxval === undefined ? 1 : requireFiniteNumber('randomUniform', 'maxval', o.maxval);
  const seed = o.seed === undefined ? undefined : requireInteger('randomUniform', 'seed', o.seed);
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32')
    throw new DTypeError(`randomUniform: dtype must be float32, float64 or int32, got ${String(dtype)}`);
  if (!(maxval > minval))
    throw new ArgumentError(`randomUniform: maxval (${maxval}) must be greater than minval (${minval})`);
  const out = allocate(dtype, sizeOf(s));
  const next = generator(seed);
  for (let i = 0; i < out.length; i++) {
    const u = minval + (maxval - minval) * uniform53(next);
    out[i] = dtype === 'int32' ? Math.floor(u) : u;
  }
  return new Tensor(out, s, dtype);
}
