// From JS values (numbers, booleans, nested arrays, typed arrays) to tensors.
import type { DType, TypedArray } from './dtype';
import { allocate, dtypeOfArray, checkDType } from './dtype';
import { ArgumentError, DTypeError, ShapeError, describe } from './errors';
import type { Shape } from './shape';
import { checkShape, fmtShape, sizeOf } from './shape';
import type { NestedArray } from './tensor';
import { Tensor } from './tensor';

/** Plain values a tensor can be made from. */
export type PlainValue = number | boolean | TypedArray | NestedArray<number | boolean>;

function isTypedArray(x: unknown): x is TypedArray {
  return x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array || x instanceof Uint8Array;
}

/**
 * The deepest nesting a plain array may have (TensorFlow's `TensorShape` allows 254 dimensions);
 * deeper, or an array that contains itself, is refused before anything is allocated.
 */
export const MAX_RANK = 254;

/** The shape of a nested array, checking that it is not ragged, too deep or cyclic. */
function inferShape(op: string, value: NestedArray<number | boolean>): number[] {
  const shape: number[] = [];
  const seen = new Set<unknown>();
  let level: unknown = value;
  while (Array.isArray(level)) {
    // NOTE: `const a = [1]; a[0] = a` would otherwise grow `shape` until V8 runs out of memory
    if (seen.has(level)) throw new ArgumentError(`${op}: the nested array contains itself at depth ${shape.length}`);
    if (shape.length === MAX_RANK)
      throw new ArgumentError(`${op}: the nested array is deeper than ${MAX_RANK} levels, the most a tensor can have`);
    seen.add(level);
    shape.push(level.length);
    level = level[0];
  }
  const check = (v: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (Array.isArray(v) || (typeof v !== 'number' && typeof v !== 'boolean')) {
        throw new ShapeError(
          `${op}: ragged or non-numeric nested array at ${path || 'the top'}: expected a number at depth ${axis} for shape ${fmtShape(shape)}`,
        );
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new ShapeError(
        `${op}: ragged nested array at ${path || 'the top'}: expected ${shape[axis]} elements along axis ${axis} for shape ${fmtShape(shape)}, got ${Array.isArray(v) ? v.length : 'a scalar'}`,
      );
    }
    for (let i = 0; i < v.length; i++) check(v[i], axis + 1, `${path}[${i}]`);
  };
  check(value, 0, '');
  return shape;
}

function flatten(value: NestedArray<number | boolean>, out: (number | boolean)[]): void {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value as number | boolean);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Stores JS numbers in a typed array of `dtype`; an int32 target refuses fractions and values
 * outside the int32 range, and no array may mix booleans with numbers.
 */
function fill(op: string, flat: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  const out = allocate(dtype, flat.length);
  const kind = flat.length > 0 ? typeof flat[0] : 'number';
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    // NOTE: TF refuses `[True, 2]` ("Can't convert Python sequence with mixed types to Tensor",
    // tensorflow/python/lib/core/py_seq_tensor.cc): the first element fixes the kind
    if (typeof v !== kind) {
      throw new DTypeError(
        `${op}: the values mix booleans and numbers (${describe(flat[0])} and ${describe(v)}); use one kind, or cast after`,
      );
    }
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (dtype === 'int32' && !Number.isInteger(n)) {
      throw new DTypeError(
        `${op}: ${n} is not an integer and cannot be stored as int32; cast the other operand to a float dtype first`,
      );
    }
    // NOTE: TF refuses an integer outside int32 for an int32 tensor ("out-of-range integer to int32
    // Tensor", py_seq_tensor.cc); a typed array would silently wrap it (2^40 becomes 0)
    if (dtype === 'int32' && (n < INT32_MIN || n > INT32_MAX)) {
      throw new DTypeError(`${op}: ${n} is out of the int32 range [${INT32_MIN}, ${INT32_MAX}]`);
    }
    out[i] = dtype === 'bool' ? (n ? 1 : 0) : n;
  }
  return out;
}

/** The dtype a plain value gets when none is asked for: bool for booleans, float32 otherwise. */
function defaultDType(flat: ArrayLike<number | boolean>, data: PlainValue): DType {
  if (isTypedArray(data)) return dtypeOfArray(data) ?? 'float32';
  return flat.length > 0 && typeof flat[0] === 'boolean' ? 'bool' : 'float32';
}

/**
 * A tensor from a plain value. `shape` reshapes flat data; `dtype` defaults to float32 (bool for
 * booleans, the array's own type for a typed array).
 */
export function fromPlain(op: string, value: PlainValue, shape?: readonly number[], dtype?: DType): Tensor {
  if (dtype !== undefined) checkDType(op, dtype);
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  if (typeof value === 'number' || typeof value === 'boolean') {
    flat = [value];
    inferred = [];
  } else if (isTypedArray(value)) {
    flat = value;
    inferred = [value.length];
  } else if (Array.isArray(value)) {
    inferred = inferShape(op, value);
    const out: (number | boolean)[] = [];
    flatten(value, out);
    flat = out;
  } else {
    throw new DTypeError(
      `${op}: cannot make a tensor from ${value === null ? 'null' : typeof value === 'object' ? describe(value) : typeof value}; expected a number, boolean, nested array, typed array or Tensor`,
    );
  }
  const dt = dtype ?? defaultDType(flat, value);
  let finalShape: Shape = inferred;
  if (shape !== undefined) {
    finalShape = checkShape(op, shape);
    const n = sizeOf(finalShape);
    if (flat.length === 1 && n !== 1) {
      // one value fills the shape: converted (and checked) once, then copied by the typed array
      const one = fill(op, [flat[0]], dt)[0];
      const data = allocate(dt, n);
      if (one !== 0) data.fill(one);
      return new Tensor(data, finalShape, dt);
    } else if (flat.length !== n) {
      throw new ShapeError(`${op}: ${flat.length} values do not fill shape ${fmtShape(finalShape)} (${n} elements)`);
    }
  }
  const data = isTypedArray(flat) && dtypeOfArray(flat) === dt ? flat.slice() : fill(op, flat, dt);
  return new Tensor(data, Object.freeze(finalShape.slice()), dt);
}

const SCALAR_SHAPE: Shape = Object.freeze([]);

/** A rank-0 tensor of a float or bool dtype, without the general conversion (the hot path of `x.mul(2)`). */
export function scalarTensor(value: number, dtype: Exclude<DType, 'int32'>): Tensor {
  // one element: always a typed array of its own (the arena serves only larger ones)
  const data =
    dtype === 'float32' ? new Float32Array(1) : dtype === 'float64' ? new Float64Array(1) : new Uint8Array(1);
  data[0] = dtype === 'bool' ? (value ? 1 : 0) : value;
  return new Tensor(data, SCALAR_SHAPE, dtype);
}
