// Tensor: an immutable, row-major typed array with a shape and a dtype.
import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';
import { stridesOf } from './shape';
import { formatValues } from './format';
import { nextId } from './ids';
import { ShapeError } from './errors';
import type { TrackedSet } from './tracked';

/** Nested JS arrays of numbers or booleans, as `arraySync()` returns and `tensor()` accepts. */
export type NestedArray<T> = T | readonly NestedArray<T>[];

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const PREFIX = 'Tensor(';

/**
 * An immutable n-dimensional array. Every op is also a method: `x.mul(x).add(2)`.
 * Tensors are garbage-collected like any JS object: there is nothing to dispose.
 * @example
 * const t = tg.tensor([[1, 2], [3, 4]]);
 * t.shape;          // [2, 2]
 * String(t);        // 'Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)'
 */
export class Tensor {
  /** Unique and increasing: a later tensor has a larger id. */
  readonly id: number;
  /** The size of each dimension; `[]` for a scalar. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;
  /** @internal The elements, row-major. Never written after construction. */
  readonly values: TypedArray;
  /** @internal The tape's tracked set that took this tensor last (see core/tracked.ts), else null. */
  tracker: TrackedSet | null;
  /** @internal This tensor's slot in `tracker`. */
  slot: number;

  /** @internal Use `tensor()` and the ops; this trusts its arguments. */
  constructor(values: TypedArray, shape: Shape, dtype: DType) {
    this.id = nextId();
    this.shape = shape;
    this.dtype = dtype;
    this.size = values.length;
    this.values = values;
    this.tracker = null;
    this.slot = -1;
  }

  /** The number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * A flat copy of the elements, which the caller may change.
   * @example
   * tg.tensor([[1, 2], [3, 4]]).dataSync(); // Float32Array [1, 2, 3, 4]
   */
  dataSync(): TypedArray {
    return this.values.slice();
  }

  /**
   * The elements as nested JS arrays (a number, or boolean, for rank 0).
   * @example
   * tg.tensor([[1, 2], [3, 4]]).arraySync(); // [[1, 2], [3, 4]]
   */
  arraySync(): NestedArray<number | boolean> {
    const strides = stridesOf(this.shape);
    const read = (i: number): number | boolean => (this.dtype === 'bool' ? this.values[i] !== 0 : this.values[i]);
    const walk = (axis: number, offset: number): NestedArray<number | boolean> =>
      axis === this.shape.length
        ? read(offset)
        : Array.from({ length: this.shape[axis] }, (_, i) => walk(axis + 1, offset + i * strides[axis]));
    return walk(0, 0);
  }

  /**
   * The one number in a one-element tensor.
   * @example
   * tg.scalar(24).item(); // 24
   */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(
        `item: expected a tensor with one element, got shape [${this.shape.join(',')}] with ${this.size}`,
      );
    }
    return this.values[0];
  }

  /**
   * `Tensor(24, shape=[], dtype=float32)`; float32 values in their shortest round-trip form.
   * @example
   * String(tg.scalar(24)); // 'Tensor(24, shape=[], dtype=float32)'
   */
  toString(): string {
    const body = formatValues(this.values, this.dtype, this.shape, ' '.repeat(PREFIX.length));
    return `${PREFIX}${body}, shape=[${this.shape.join(',')}], dtype=${this.dtype})`;
  }

  /** Node's `console.log` and `util.inspect` show the same text as `toString()`. */
  [INSPECT](): string {
    return this.toString();
  }
}
