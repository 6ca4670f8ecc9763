// Reductions: sum, max, min, prod, argMax, argMin, and the logical all and any.
import { allocate } from '../../core/dtype';
import type { Shape } from '../../core/shape';
import { normalizeAxes, normalizeAxis, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { ReduceName, ReduceView } from '../../kernels/reduce';
import { argReduce, logicalReduce, reduce } from '../../kernels/reduce';
import type { NumArray } from '../../kernels/offsets';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import type { Rules } from '../primitive';
import { requireBool, requireNumeric } from '../operands';
import { requireBoolean } from '../../core/args';
import { shiftAxes } from './tangents';
import { reshape, transpose, broadcastTo } from './shape';
import { div, mul, equal } from './binary';
import { cast } from './cast';
import { exclusiveCumprod } from './scan';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The output shape of a reduction. */
function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * The input as [outer, reduced, inner]: directly when the axes are adjacent, else after a transpose
 * (a copy) that moves them last.
 */
function viewFor(x: Tensor, axes: readonly number[]): [NumArray, ReduceView] {
  const adjacent = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  if (adjacent) {
    const first = axes.length ? axes[0] : x.rank;
    const last = axes.length ? axes[axes.length - 1] : x.rank - 1;
    return [
      x.values,
      {
        outer: sizeOf(x.shape.slice(0, first)),
        reduced: sizeOf(axes.map((a) => x.shape[a])),
        inner: sizeOf(x.shape.slice(last + 1)),
      },
    ];
  }
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = transpose(x, [...kept, ...axes]);
  return [
    moved.values,
    { outer: sizeOf(kept.map((i) => x.shape[i])), reduced: sizeOf(axes.map((a) => x.shape[a])), inner: 1 },
  ];
}

function reducePrimitive(name: ReduceName, rules: Rules<ReduceAttrs>) {
  const prim = definePrimitive<ReduceAttrs>({
    name,
    forward: ([x], { axes, keepDims }) => {
      requireNumeric(name, x);
      const shape = reducedShape(x.shape, axes, keepDims);
      const [values, view] = viewFor(x, axes);
      const out = allocate(x.dtype, sizeOf(shape));
      reduce(name, values, view, out);
      return new Tensor(out, shape, x.dtype);
    },
    ...rules,
  });
  return (x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor => {
    const t = toTensor(name, x);
    return prim.run([t], {
      axes: normalizeAxes(name, axis, t.rank),
      keepDims: requireBoolean(name, 'keepDims', keepDims),
    });
  };
}

/** dy of a reduction, reshaped to keep the reduced axes and broadcast back over them. */
function spread(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(x.shape, axes, true)), x.shape);
}

/**
 * Sum over `axis` (all axes when omitted).
 * @example
 * tg.sum([[1, 2], [3, 4]], 0); // [4, 6]  (1 + 3, 2 + 4)
 */
// d sum(x) = sum(dx): the gradient is dy broadcast back over the reduced axes
export const sum = reducePrimitive('sum', {
  vjp: (dy, [x], _y, { axes }) => [spread(dy, x, axes)],
  jvp: ([t], _x, _y, { axes, keepDims }, batch) => sum(t!, shiftAxes(axes, batch.length), keepDims),
});

/**
 * The rules of a reduction whose derivative is a weight per element: d r(x) = sum(w · dx) over
 * the axes, and the gradient is w · dy spread back.
 */
function weightedRules(weights: (x: Tensor, y: Tensor, axes: readonly number[]) => Tensor): Rules<ReduceAttrs> {
  return {
    vjp: (dy, [x], y, { axes }) => [mul(spread(dy, x, axes), weights(x, y, axes))],
    jvp: ([t], [x], y, { axes, keepDims }, batch) =>
      sum(mul(t!, weights(x, y, axes)), shiftAxes(axes, batch.length), keepDims),
  };
}

/** max/min: each element equal to the extreme weighs 1/count of them, the others 0. */
const extremeRules = weightedRules((x, y, axes) => {
  const hits = cast(equal(x, spread(y, x, axes)), x.dtype);
  return div(hits, sum(hits, axes, true));
});

/**
 * Largest element over `axis`.
 * @example
 * tg.max([[1, 5], [3, 4]], 1); // [5, 4]
 */
// NOTE: ties split the gradient evenly, as TF: max([0.6, 0.6, 0.3]) gives [0.5, 0.5, 0]
export const max = reducePrimitive('max', extremeRules);

/**
 * Smallest element over `axis`.
 * @example
 * tg.min([[1, 5], [3, 4]], 1); // [1, 3]
 */
export const min = reducePrimitive('min', extremeRules);

/**
 * The derivative of a product by each of its factors, x's shape: for each element the product of
 * the other elements of its reduction, as (product of those before it)·(product of those after it)
 * over the reduced axes moved last and flattened to one (TF's _ProdGrad: two exclusive cumprods).
 */
function otherFactors(x: Tensor, axes: readonly number[]): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const moved = perm.every((p, i) => p === i) ? x : transpose(x, perm);
  const rows = reshape(moved, [sizeOf(kept.map((i) => x.shape[i])), sizeOf(axes.map((a) => x.shape[a]))]);
  const others = reshape(mul(exclusiveCumprod(rows, false), exclusiveCumprod(rows, true)), moved.shape);
  if (moved === x) return others;
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return transpose(others, inverse);
}

/**
 * Product over `axis`.
 * @example
 * tg.prod([[1, 2], [3, 4]], 1); // [2, 12]  (1 * 2, 3 * 4)
 */
// d prod(x) / dx_i = Π_{k<i} x_k · Π_{k>i} x_k, the products of the other factors, as TF's _ProdGrad
// NOTE: no division by x_i, as TF: exact with zeros (and so at second order: the Hessian at [0,2,3] is
// [[0,3,2],[3,0,0],[2,0,0]]), and no underflow of the whole product into the gradient; the reduced
// axes are flattened in ascending order (TF: in the order given), which can change only the rounding
export const prod = reducePrimitive(
  'prod',
  weightedRules((x, _y, axes) => otherFactors(x, axes)),
);

function argPrimitive(name: 'argMax' | 'argMin') {
  const prim = definePrimitive<{ axis: number }>({
    name,
    forward: ([x], { axis }) => {
      requireNumeric(name, x);
      const shape = reducedShape(x.shape, [axis], false);
      const out = new Int32Array(sizeOf(shape));
      const [values, view] = viewFor(x, [axis]);
      argReduce(name === 'argMax', values, view, out);
      return new Tensor(out, shape, 'int32');
    },
    vjp: NOT_DIFFERENTIABLE,
    jvp: NOT_DIFFERENTIABLE,
  });
  return (x: TensorLike, axis = 0): Tensor => {
    const t = toTensor(name, x);
    return prim.run([t], { axis: normalizeAxis(name, axis, t.rank) });
  };
}

/** Index of the largest element along `axis` (default 0), int32; the first one on ties. @example tg.argMax([1, 9, 3]); // 1 */
export const argMax = argPrimitive('argMax');
/** Index of the smallest element along `axis` (default 0), int32. @example tg.argMin([4, 1, 3]); // 1 */
export const argMin = argPrimitive('argMin');

function logicalPrimitive(name: 'all' | 'any') {
  const prim = definePrimitive<ReduceAttrs>({
    name,
    forward: ([x], { axes, keepDims }) => {
      requireBool(name, x);
      const shape = reducedShape(x.shape, axes, keepDims);
      const [values, view] = viewFor(x, axes);
      const out = new Uint8Array(sizeOf(shape));
      logicalReduce(name === 'all', values as Uint8Array, view, out);
      return new Tensor(out, shape, 'bool');
    },
    // bool in, bool out: no derivative (TF registers none for All and Any)
    vjp: NOT_DIFFERENTIABLE,
    jvp: NOT_DIFFERENTIABLE,
  });
  return (x: TensorLike, axis?: number | readonly number[] | null, keepDims = false): Tensor => {
    const t = toTensor(name, x);
    requireBool(name, t);
    return prim.run([t], {
      axes: normalizeAxes(name, axis, t.rank),
      keepDims: requireBoolean(name, 'keepDims', keepDims),
    });
  };
}

/**
 * Logical and of a bool tensor over `axis` (all axes when omitted); true over nothing.
 * @example
 * tg.all([[true, false], [true, true]], 1); // [false, true]
 */
export const all = logicalPrimitive('all');

/**
 * Logical or of a bool tensor over `axis` (all axes when omitted); false over nothing.
 * @example
 * tg.any([[true, false], [false, false]], 1); // [true, false]
 */
export const any = logicalPrimitive('any');
