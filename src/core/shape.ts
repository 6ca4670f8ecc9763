// Shapes: validation, sizes, strides, NumPy broadcasting and axis normalisation.
import { ArgumentError, ShapeError, describe } from './errors';

/**
 * The most elements a tensor can hold: 2³¹ - 1, as indices (gather's, argMax's) are int32 and a
 * typed array of more is beyond what JavaScript engines reliably allocate.
 */
export const MAX_SIZE = 2 ** 31 - 1;

/** An element count for a message: `12`, or `1e18` once it is too long to read. */
export function fmtCount(n: number): string {
  return n < 1e15 ? String(n) : n.toExponential().replace('e+', 'e');
}

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** `[2,3]` as in the error messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** The number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides: the flat distance between neighbours along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Checks that `shape` is an array of non-negative safe integers whose product is at most
 * `MAX_SIZE`; returns a frozen copy. Every error names `op` (the public function called) and is a
 * ShapeError.
 */
export function checkShape(op: string, shape: unknown, name = 'shape'): Shape {
  const what = name === 'shape' ? 'a shape' : name;
  if (!Array.isArray(shape))
    throw new ShapeError(`${op}: ${what} must be an array of non-negative integers, got ${describe(shape)}`);
  let size = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      const shown = shape.length <= 8 ? `[${(shape as unknown[]).map(describe).join(',')}]` : describe(shape);
      throw new ShapeError(`${op}: ${what} must hold non-negative integers, got ${shown}`);
    }
    size *= d;
  }
  if (size > MAX_SIZE) {
    throw new ShapeError(
      `${op}: ${name} ${fmtShape(shape as number[])} has ${fmtCount(size)} elements, more than ${MAX_SIZE} (2^31 - 1), the most a tensor can hold`,
    );
  }
  return Object.freeze((shape as number[]).slice());
}

/** True when the two shapes are the same. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; a ShapeError naming the op when they do not fit. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  if (sameShape(a, b)) return a;
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if broadcast to `outShape`: 0 along broadcast axes.
 * `shape` must broadcast to `outShape`.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 && outShape[lead + i] !== 1 ? 0 : own[i];
  return out;
}

/**
 * A possibly negative axis as a valid index in `[0, rank)`: an ArgumentError for a non-integer, a
 * ShapeError for an integer out of range.
 */
export function normalizeAxis(op: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    throw new ArgumentError(`${op}: an axis must be an integer, got ${describe(axis)}`);
  if (axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Axes for a reduction: all axes when undefined or null; sorted, de-duplicated and non-negative
 * otherwise. An ArgumentError unless `axis` is an integer or an array of integers.
 */
export function normalizeAxes(op: string, axis: unknown, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis))
    throw new ArgumentError(`${op}: axis must be an integer or an array of integers, got ${describe(axis)}`);
  const list: unknown[] = typeof axis === 'number' ? [axis] : (axis as unknown[]);
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const unique = Array.from(new Set(out)).sort((x, y) => x - y);
  if (unique.length !== out.length) throw new ShapeError(`${op}: repeated axis in [${list.join(',')}]`);
  return unique;
}
