// Data types, their typed arrays, and the promotion rule for mixed operands.
import { DTypeError } from './errors';
import { float32Array, float64Array, int32Array, uint8Array } from './arena';

/** The element types a tensor can hold. `float32` is the default, as in TensorFlow. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array behind a tensor: `Float32Array`, `Float64Array`, `Int32Array`, or `Uint8Array` for bool. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The typed array type that holds each dtype. */
export interface DataTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** True for a known dtype name. */
export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

/** True for `float32` and `float64`, the only dtypes that carry gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** A zero-filled typed array for `size` elements of `dtype` (mid-sized ones from the arena). */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return float32Array(size);
    case 'float64':
      return float64Array(size);
    case 'int32':
      return int32Array(size);
    case 'bool':
      return uint8Array(size);
  }
}

/** The dtype a typed array holds (Uint8Array is bool). */
export function dtypeOfArray(data: ArrayLike<number>): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  return undefined;
}

/**
 * The dtype of a binary op's result: the wider of the two in bool < int32 < float32 < float64
 * (float32 with float64 gives float64, as API.md states).
 */
export function upcast(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** Throws a DTypeError unless `dtype` is a known dtype name. */
export function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
  }
  return dtype;
}
