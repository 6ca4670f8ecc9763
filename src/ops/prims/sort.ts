// Sorting: sort, argsort and topk along an axis, stable as TF's TopK (ties keep index order). The indices
// come from a non-differentiable argsort primitive; the values are `takeAlongAxis` at those indices,
// whose gradient scatters back to the original positions (TF's _TopKGrad) and whose tangent is the
// tangent taken at the same indices.
import { requireBoolean, requireInteger, requireOneOf } from '../../core/args';
import { allocate } from '../../core/dtype';
import { DTypeError, ShapeError } from '../../core/errors';
import type { Shape } from '../../core/shape';
import { fmtShape, normalizeAxis, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { argsortKernel, putAlongAxisAddKernel, takeAlongAxisKernel } from '../../kernels/sort';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import type { Primitive } from '../primitive';

interface ArgsortAttrs {
  axis: number;
  descending: boolean;
  /** How many indices each line keeps (the axis's length for a full sort). */
  k: number;
  /** The k indices in increasing order rather than by value (topk's sorted = false). */
  byIndex: boolean;
}

/** The shape with axis `axis` of length `k`. */
function withAxis(shape: Shape, axis: number, k: number): number[] {
  const out = shape.slice();
  out[axis] = k;
  return out;
}

const argsortP = definePrimitive<ArgsortAttrs>({
  name: 'argsort',
  forward: ([x], { axis, descending, k, byIndex }) => {
    const shape = withAxis(x.shape, axis, k);
    const out = new Int32Array(sizeOf(shape));
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    argsortKernel(x.values, outer, x.shape[axis], inner, descending, k, byIndex, out);
    return new Tensor(out, shape, 'int32');
  },
  // NOTE: no gradient by design: the output is integer indices
  vjp: NOT_DIFFERENTIABLE,
  jvp: NOT_DIFFERENTIABLE,
});

interface TakeAttrs {
  /** The axis, in the frame of the primitive's own input (batch axes of a tangent shift it). */
  axis: number;
  /** Per-line indices of shape [outer, k, inner] of the primal, reused for each batch row. */
  indices: Int32Array;
  k: number;
}

const takeAlongAxisP: Primitive<TakeAttrs> = definePrimitive<TakeAttrs>({
  name: 'takeAlongAxis',
  forward: ([x], { axis, indices, k }) => {
    const shape = withAxis(x.shape, axis, k);
    const out = allocate(x.dtype, sizeOf(shape));
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    takeAlongAxisKernel(x.values, indices, outer, x.shape[axis], k, inner, out);
    return new Tensor(out, shape, x.dtype);
  },
  // d/dx: dy added back at the positions the values came from (TF's _TopKGrad)
  vjp: (dy, [x], _y, attrs) => [takeAlongAxisGradP.run([dy], { ...attrs, n: x.shape[attrs.axis] })],
  // linear in x: the tangent taken at the same indices
  jvp: ([t], _x, _y, attrs, batch) => takeAlongAxisP.run([t!], { ...attrs, axis: attrs.axis + batch.length }),
});

const takeAlongAxisGradP: Primitive<TakeAttrs & { n: number }> = definePrimitive<TakeAttrs & { n: number }>({
  name: 'takeAlongAxisGrad',
  forward: ([dy], { axis, indices, k, n }) => {
    const shape = withAxis(dy.shape, axis, n);
    const out = allocate(dy.dtype, sizeOf(shape));
    const outer = sizeOf(dy.shape.slice(0, axis));
    const inner = sizeOf(dy.shape.slice(axis + 1));
    putAlongAxisAddKernel(dy.values, indices, outer, n, k, inner, out);
    return new Tensor(out, shape, dy.dtype);
  },
  // linear, the adjoint of takeAlongAxis: its gradient is the take again
  vjp: (ddy, _dy, _y, { axis, indices, k }) => [takeAlongAxisP.run([ddy], { axis, indices, k })],
  jvp: ([t], _dy, _y, attrs, batch) => takeAlongAxisGradP.run([t!], { ...attrs, axis: attrs.axis + batch.length }),
});

const DIRECTIONS = ['ASCENDING', 'DESCENDING'] as const;

/** A numeric tensor of rank 1 or more (TF's sort and TopK refuse scalars and bool). */
function sortable(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, x);
  if (t.dtype === 'bool') throw new DTypeError(`${op}: expected a numeric tensor, got bool`);
  if (t.rank === 0) throw new ShapeError(`${op}: expected a tensor of rank 1 or more, got shape ${fmtShape(t.shape)}`);
  return t;
}

/** The sorting indices of `x` along `axis`, after checking every argument. */
function sortIndices(op: string, x: TensorLike, axis: number, direction: string): [Tensor, Tensor, number] {
  const t = sortable(op, x);
  const ax = normalizeAxis(op, axis, t.rank);
  const dir = requireOneOf(op, 'direction', direction, DIRECTIONS);
  const n = t.shape[ax];
  const idx = argsortP.run([t], { axis: ax, descending: dir === 'DESCENDING', k: n, byIndex: false });
  return [t, idx, ax];
}

/**
 * The values of `x` sorted along `axis` (the last by default), ascending or descending; the gradient
 * goes back to each value's original position. NaN sorts as the largest value.
 * @example
 * tg.sort([3, 1, 2]); // [1, 2, 3]
 */
export function sort(x: TensorLike, axis = -1, direction: 'ASCENDING' | 'DESCENDING' = 'ASCENDING'): Tensor {
  const [t, idx, ax] = sortIndices('sort', x, axis, direction);
  return takeAlongAxisP.run([t], { axis: ax, indices: idx.values as Int32Array, k: t.shape[ax] });
}

/**
 * The int32 indices that sort `x` along `axis` (the last by default); stable, as TF's: equal values
 * keep their order in either direction.
 * @example
 * tg.argsort([30, 10, 20]); // Tensor([1, 2, 0], shape=[3], dtype=int32)
 */
export function argsort(x: TensorLike, axis = -1, direction: 'ASCENDING' | 'DESCENDING' = 'ASCENDING'): Tensor {
  return sortIndices('argsort', x, axis, direction)[1];
}

/**
 * The `k` largest values along the last axis and their int32 indices, largest first (ties: the lower
 * index first, as TF); with `sorted` false they come in the order of their indices. The gradient of
 * `values` goes back to the positions they came from.
 * @example
 * tg.topk([1, 5, 3], 2).values; // [5, 3]
 */
export function topk(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const t = sortable('topk', x);
  const axis = t.rank - 1;
  const n = t.shape[axis];
  requireInteger('topk', 'k', k, 0, n);
  requireBoolean('topk', 'sorted', sorted);
  const indices = argsortP.run([t], { axis, descending: true, k, byIndex: !sorted });
  const values = takeAlongAxisP.run([t], { axis, indices: indices.values as Int32Array, k });
  return { values, indices };
}
