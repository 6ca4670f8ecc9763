// Shapes: validation, sizes, strides, NumPy broadcasting and axis normalisation.
import { ShapeError } from './errors';

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** `[2,3]` as in the error messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** The number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
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

/** Checks that every dimension is a non-negative integer; returns a frozen copy. */
export function checkShape(op: string, shape: readonly unknown[]): Shape {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: a shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: a shape must hold non-negative integers, got [${shape.map(String).join(',')}]`);
    }
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

/** A possibly negative axis as a valid index in `[0, rank)`; a ShapeError otherwise. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes for a reduction: all axes when undefined; sorted, de-duplicated and non-negative otherwise. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const unique = Array.from(new Set(out)).sort((x, y) => x - y);
  if (unique.length !== out.length) throw new ShapeError(`${op}: repeated axis in [${list.join(',')}]`);
  return unique;
}
