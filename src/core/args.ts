// Argument checks at the public boundary: each throws a named tapegrad error whose message starts with the public
// function called. Internal (not exported by the package), so no TSDoc examples: they run against `tg`.
import type { DType } from './dtype';
import { checkDType } from './dtype';
import { ArgumentError, DTypeError, describe } from './errors';
import type { Shape } from './shape';
import { checkShape, normalizeAxes, normalizeAxis } from './shape';
import { Tensor } from './tensor';
import { Variable } from './variable';

/**
 * A number (NaN and ±Infinity included), else an ArgumentError.
 * E.g. `requireNumber('clipByValue', 'clipValueMin', 0)` is 0.
 */
export function requireNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new ArgumentError(`${op}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

/**
 * A finite number, else an ArgumentError.
 * E.g. `requireFiniteNumber('SGD', 'momentum', 0.9)` is 0.9.
 */
export function requireFiniteNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArgumentError(`${op}: ${name} must be a finite number, got ${describe(v)}`);
  return v;
}

/**
 * A safe integer in `[min, max]`, else an ArgumentError.
 * E.g. `requireInteger('linspace', 'num', 5, 0)` is 5.
 */
export function requireInteger(op: string, name: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const range =
      min === -Infinity && max === Infinity
        ? ''
        : max === Infinity
          ? ` >= ${min}`
          : min === -Infinity
            ? ` <= ${max}`
            : ` in [${min}, ${max}]`;
    throw new ArgumentError(`${op}: ${name} must be an integer${range}, got ${describe(v)}`);
  }
  return v;
}

/**
 * A boolean, else an ArgumentError.
 * E.g. `requireBoolean('sum', 'keepDims', false)` is false.
 */
export function requireBoolean(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ArgumentError(`${op}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

/**
 * One of the listed values (compared with `===`), else an ArgumentError listing them.
 * E.g. `requireOneOf('norm', 'ord', 'fro', ['euclidean', 'fro', 1, 2])` is 'fro'.
 */
export function requireOneOf<T>(op: string, name: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T))
    throw new ArgumentError(`${op}: ${name} must be one of ${choices.map(describe).join(', ')}, got ${describe(v)}`);
  return v as T;
}

/**
 * A function, else an ArgumentError.
 * E.g. `requireFunction('SGD.minimize', 'lossFn', () => 1)`.
 */
export function requireFunction<F extends (...args: never[]) => unknown>(op: string, name: string, v: unknown): F {
  if (typeof v !== 'function') throw new ArgumentError(`${op}: ${name} must be a function, got ${describe(v)}`);
  return v as F;
}

/**
 * A shape: an array of non-negative safe integers of at most `MAX_SIZE` elements in all, else a
 * ShapeError naming the op (`zeros: shape [1000000000,1000000000] has 1e18 elements, more than …`).
 * E.g. `requireShape('zeros', [2, 3])` is [2, 3].
 */
export function requireShape(op: string, v: unknown, name = 'shape'): Shape {
  return checkShape(op, v, name);
}

/**
 * One axis of a tensor of rank `rank`, made non-negative: an ArgumentError for a non-integer, a
 * ShapeError for one out of range.
 * E.g. `requireAxis('softmax', -1, 2)` is 1.
 */
export function requireAxis(op: string, v: unknown, rank: number): number {
  return normalizeAxis(op, v, rank);
}

/**
 * Axes (an integer, an array of integers, or undefined/null for all), sorted, non-negative and
 * without repeats.
 * E.g. `requireAxes('sum', [-1, 0], 3)` is [0, 2].
 */
export function requireAxes(op: string, v: unknown, rank: number): number[] {
  return normalizeAxes(op, v, rank);
}

/**
 * A known dtype name, else a DTypeError.
 * E.g. `requireDType('zeros', 'int32')` is 'int32'.
 */
export function requireDType(op: string, v: unknown): DType {
  return checkDType(op, v);
}

/**
 * The options object of a call: undefined gives `{}`; anything but a plain object (or one made with
 * `Object.create(null)`) is an ArgumentError, as is a name not in `known` (a typo would otherwise be
 * ignored; Keras also refuses unknown arguments). Only the object's OWN properties are read, so a
 * polluted `Object.prototype` cannot change a default. Returns a fresh null-prototype copy.
 * E.g. `requireOptions<{ seed?: number }>('randomNormal', { seed: 1 }, ['seed'])` is { seed: 1 }.
 */
export function requireOptions<T extends object>(
  op: string,
  v: unknown,
  known: readonly (keyof T & string)[],
): Partial<T> {
  const out = Object.create(null) as Partial<T>;
  if (v === undefined) return out;
  const proto: unknown = v !== null && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (v === null || typeof v !== 'object' || (proto !== Object.prototype && proto !== null))
    throw new ArgumentError(`${op}: options must be a plain object or undefined, got ${describe(v)}`);
  for (const key of Object.keys(v)) {
    if (!(known as readonly string[]).includes(key))
      throw new ArgumentError(`${op}: unknown option ${describe(key)}; expected ${known.join(', ') || 'none'}`);
  }
  for (const key of known) if (Object.hasOwn(v, key)) out[key] = (v as T)[key];
  return out;
}

/** A scalar argument's number and, when it came from a tensor, that tensor's dtype. */
export interface ScalarValue {
  value: number;
  /** The dtype of the rank-0 tensor it came from; undefined for a JS number or boolean. */
  dtype: DType | undefined;
  /** The tensor itself (a read, for a Variable), for callers that keep it differentiable. */
  tensor: Tensor | undefined;
}

/**
 * A scalar value: a number (NaN and ±Infinity included), a boolean (when `bool` is true), or a rank-0
 * Tensor or Variable (TF takes 0-D tensors for fill's value, pad's constant, oneHot's on/off values
 * and linspace's bounds). Anything else is an ArgumentError (a tensor of another rank, a ShapeError).
 * For `pad`'s value, `oneHot`'s onValue/offValue and `linspace`'s start/stop.
 * E.g. `requireScalar('fill', 'value', 3).value` is 3.
 */
export function requireScalar(op: string, name: string, v: unknown, bool = true): ScalarValue {
  if (typeof v === 'number') return { value: v, dtype: undefined, tensor: undefined };
  if (typeof v === 'boolean' && bool) return { value: v ? 1 : 0, dtype: undefined, tensor: undefined };
  if (v instanceof Tensor || v instanceof Variable) {
    if (v.rank !== 0) {
      throw new ArgumentError(
        `${op}: ${name} must be a scalar (a rank-0 tensor), got a tensor of shape [${v.shape.join(',')}]`,
      );
    }
    if (v.dtype === 'bool' && !bool) throw new DTypeError(`${op}: ${name} must be a number, got a bool tensor`);
    const t = v instanceof Variable ? v.value() : v;
    return { value: t.values[0], dtype: t.dtype, tensor: t };
  }
  throw new ArgumentError(
    `${op}: ${name} must be a number${bool ? ', a boolean' : ''} or a rank-0 tensor, got ${describe(v)}`,
  );
}
