// Gather and scatter by index: gatherND, scatterND, tensorScatterUpdate, tensorScatterAdd and
// booleanMask, all on two row primitives (gatherRows and its adjoint scatterAddRows) that read or add
// whole slices at the rows an index list names, plus tensorScatterUpdate's own primitive. Leading
// axes beyond the indexed ones pass through, which is how batched tangents and booleanMask's axis work.
import { ArgumentError, DTypeError, ShapeError } from '../../core/errors';
import { allocate } from '../../core/dtype';
import type { Shape } from '../../core/shape';
import { checkShape, fmtShape, normalizeAxis, sameShape, sizeOf, stridesOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { gatherRowsKernel, scatterAddRowsKernel, scatterUpdateRowsKernel } from '../../kernels/scatter';
import { definePrimitive } from '../primitive';
import type { Primitive } from '../primitive';
import { zerosLike } from '../create';
import { add } from './binary';
import { zeroTangent } from './tangents';

/**
 * Rows of an index list: `rows[r]` is the flat row, in `fewShape`, that entry r of `manyShape` reads
 * (gather) or adds to (scatter); -1 reads zeros and adds nothing. The last `sliceRank` axes are copied
 * whole; axes before the indexed ones are batch axes.
 */
export interface RowAttrs {
  rows: Int32Array;
  manyShape: Shape;
  fewShape: Shape;
  sliceRank: number;
}

/** [batch, indexed, slice] shapes of a tensor whose indexed axes are `indexed`. */
function split(shape: Shape, indexed: Shape, sliceRank: number): [Shape, Shape] {
  return [shape.slice(0, shape.length - indexed.length - sliceRank), shape.slice(shape.length - sliceRank)];
}

const gatherRowsP: Primitive<RowAttrs> = definePrimitive<RowAttrs>({
  name: 'gatherRows',
  forward: ([x], attrs) => {
    const [batch, slice] = split(x.shape, attrs.fewShape, attrs.sliceRank);
    const shape = [...batch, ...attrs.manyShape, ...slice];
    const out = allocate(x.dtype, sizeOf(shape));
    gatherRowsKernel(x.values, attrs.rows, sizeOf(attrs.fewShape), sizeOf(slice), out);
    return new Tensor(out, shape, x.dtype);
  },
  // the gradient adds each dy slice back at the row it was read from (TF's gather_nd gradient: scatter_nd)
  vjp: (dy, _x, _y, attrs) => [scatterAddRowsP.run([dy], attrs)],
  // linear in x: the tangent read at the same rows
  jvp: ([t], _x, _y, attrs) => gatherRowsP.run([t!], attrs),
});

const scatterAddRowsP: Primitive<RowAttrs> = definePrimitive<RowAttrs>({
  name: 'scatterAddRows',
  forward: ([u], attrs) => {
    const [batch, slice] = split(u.shape, attrs.manyShape, attrs.sliceRank);
    const shape = [...batch, ...attrs.fewShape, ...slice];
    const out = allocate(u.dtype, sizeOf(shape));
    scatterAddRowsKernel(u.values, attrs.rows, sizeOf(attrs.fewShape), sizeOf(slice), out);
    return new Tensor(out, shape, u.dtype);
  },
  // linear, the adjoint of gatherRows: its gradient is the gather (TF's scatter_nd gradient: gather_nd)
  vjp: (dy, _u, _y, attrs) => [gatherRowsP.run([dy], attrs)],
  jvp: ([t], _u, _y, attrs) => scatterAddRowsP.run([t!], attrs),
});

const scatterUpdateP: Primitive<RowAttrs> = definePrimitive<RowAttrs>({
  name: 'tensorScatterUpdate',
  forward: ([t, u], attrs) => {
    const slice = split(t.shape, attrs.fewShape, attrs.sliceRank)[1];
    const out = allocate(t.dtype, t.size);
    scatterUpdateRowsKernel(t.values, u.values, attrs.rows, sizeOf(attrs.fewShape), sizeOf(slice), out);
    return new Tensor(out, t.shape, t.dtype);
  },
  // as TF: d/dt is dy with the updated rows zeroed, d/du is dy read at every update's row
  vjp: (dy, [, u], _y, attrs, needs) => [
    needs[0] ? scatterUpdateP.run([dy, zerosLike(u)], attrs) : null,
    needs[1] ? gatherRowsP.run([dy], attrs) : null,
  ],
  // linear in (t, u) jointly: the update applied to the tangents
  jvp: ([tt, tu], [t, u], _y, attrs, batch) =>
    scatterUpdateP.run([tt ?? zeroTangent(t, batch), tu ?? zeroTangent(u, batch)], attrs),
});

/** @internal Reads rows (see RowAttrs); for the segment ops. */
export function gatherRows(x: Tensor, attrs: RowAttrs): Tensor {
  return gatherRowsP.run([x], attrs);
}

/** @internal Adds rows (see RowAttrs); for the segment ops. */
export function scatterAddRows(u: Tensor, attrs: RowAttrs): Tensor {
  return scatterAddRowsP.run([u], attrs);
}

/** Int32 indices of rank 1 or more, as TF's gather_nd and scatter_nd take them. */
function indexTensor(op: string, indices: TensorLike): Tensor {
  const idx = toTensor(op, indices, 'int32');
  if (idx.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${idx.dtype}`);
  if (idx.rank === 0) throw new ShapeError(`${op}: indices must have rank 1 or more, got a scalar`);
  return idx;
}

/**
 * The flat rows of indices [..., m] into the first m axes of `target`; an ArgumentError naming the
 * first index out of range (TF's CPU kernels refuse them).
 */
function ndRows(op: string, idx: Tensor, target: Shape, what: string): RowAttrs {
  const m = idx.shape[idx.rank - 1];
  if (m > target.length)
    throw new ShapeError(
      `${op}: indices of shape ${fmtShape(idx.shape)} index ${m} axes, more than the ${target.length} of ${what} ${fmtShape(target)}`,
    );
  const fewShape = target.slice(0, m);
  const strides = stridesOf(fewShape);
  const values = idx.values as Int32Array;
  const n = m === 0 ? sizeOf(idx.shape.slice(0, -1)) : values.length / m;
  const rows = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let flat = 0;
    for (let j = 0; j < m; j++) {
      const i = values[r * m + j];
      if (i < 0 || i >= fewShape[j]) {
        const at = Array.from(values.subarray(r * m, r * m + m)).join(', ');
        throw new ArgumentError(`${op}: indices[${r}] = [${at}] does not index into ${what} ${fmtShape(target)}`);
      }
      flat += i * strides[j];
    }
    rows[r] = flat;
  }
  return { rows, manyShape: idx.shape.slice(0, -1), fewShape, sliceRank: target.length - m };
}

/** Checks that updates have the shape indices.shape[:-1] + shape[m:], as TF's scatter ops require. */
function checkUpdates(op: string, u: Tensor, attrs: RowAttrs, target: Shape): void {
  const want = [...attrs.manyShape, ...target.slice(target.length - attrs.sliceRank)];
  if (!sameShape(u.shape, want))
    throw new ShapeError(`${op}: updates must have shape ${fmtShape(want)}, got ${fmtShape(u.shape)}`);
}

/**
 * Reads the slices of `x` at int32 indices `[..., m]` (each row indexes the first m axes); the result
 * has shape `indices.shape[:-1] + x.shape[m:]`. An index out of range is an error, as on TF's CPU.
 * @example
 * tg.gatherND([[1, 2], [3, 4]], [[1, 0], [0, 1]]); // [3, 2]
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  const t = toTensor('gatherND', x);
  const idx = indexTensor('gatherND', indices);
  if (t.rank === 0) throw new ShapeError('gatherND: params must have rank 1 or more, got a scalar');
  const attrs = ndRows('gatherND', idx, t.shape, 'params of shape');
  checkShape('gatherND', [...attrs.manyShape, ...t.shape.slice(t.rank - attrs.sliceRank)]);
  return gatherRowsP.run([t], attrs);
}

/**
 * Zeros of `shape` with `updates` added at int32 indices `[..., m]` (duplicates add up, as TF's
 * scatter_nd); `updates` has shape `indices.shape[:-1] + shape[m:]`.
 * @example
 * tg.scatterND([[1], [3], [1]], [10, 20, 5], [4]); // [0, 15, 0, 20]
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: readonly number[]): Tensor {
  const idx = indexTensor('scatterND', indices);
  const u = toTensor('scatterND', updates);
  if (u.dtype === 'bool') throw new DTypeError('scatterND: updates must be numeric, got bool');
  const target = checkShape('scatterND', shape);
  const attrs = ndRows('scatterND', idx, target, 'shape');
  checkUpdates('scatterND', u, attrs, target);
  return scatterAddRowsP.run([u], attrs);
}

/** The checked operands of tensorScatterUpdate and tensorScatterAdd. */
function scatterOperands(
  op: string,
  tensor: TensorLike,
  indices: TensorLike,
  updates: TensorLike,
): [Tensor, Tensor, RowAttrs] {
  const t = toTensor(op, tensor);
  const idx = indexTensor(op, indices);
  const u = toTensor(op, updates, t.dtype);
  if (u.dtype !== t.dtype)
    throw new DTypeError(`${op}: updates must have the tensor's dtype ${t.dtype}, got ${u.dtype}`);
  const attrs = ndRows(op, idx, t.shape, 'tensor of shape');
  checkUpdates(op, u, attrs, t.shape);
  return [t, u, attrs];
}

/**
 * A copy of `t` with the slices at int32 indices `[..., m]` replaced by `updates` (the last of
 * duplicate indices wins); gradients as TF's: zero for the replaced slices of `t`, and the upstream
 * gradient at each index for `updates`.
 * @example
 * tg.tensorScatterUpdate([1, 2, 3], [[0], [2]], [9, 7]); // [9, 2, 7]
 */
export function tensorScatterUpdate(t: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  const [x, u, attrs] = scatterOperands('tensorScatterUpdate', t, indices, updates);
  return scatterUpdateP.run([x, u], attrs);
}

/**
 * `t` with `updates` added at int32 indices `[..., m]` (duplicates add up).
 * @example
 * tg.tensorScatterAdd([1, 2, 3], [[0], [0]], [10, 5]); // [16, 2, 3]
 */
export function tensorScatterAdd(t: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  const [x, u, attrs] = scatterOperands('tensorScatterAdd', t, indices, updates);
  if (x.dtype === 'bool') throw new DTypeError('tensorScatterAdd: expected a numeric tensor, got bool');
  return add(x, scatterAddRowsP.run([u], attrs));
}

/**
 * The slices of `x` where the bool `mask` is true: `mask` covers axes `axis … axis + mask.rank - 1` of
 * `x`, which become one axis of the true count (row-major order). The shape depends on the values, and
 * the call is synchronous; the gradient goes back to the masked positions.
 * @example
 * tg.booleanMask([1, 2, 3, 4], [true, false, true, false]); // [1, 3]
 */
export function booleanMask(x: TensorLike, mask: TensorLike, axis = 0): Tensor {
  const t = toTensor('booleanMask', x);
  const m = toTensor('booleanMask', mask);
  if (m.dtype !== 'bool') throw new DTypeError(`booleanMask: mask must be a bool tensor, got ${m.dtype}`);
  if (m.rank === 0) throw new ShapeError('booleanMask: mask must have rank 1 or more, got a scalar');
  if (t.rank === 0) throw new ShapeError('booleanMask: expected a tensor of rank 1 or more, got a scalar');
  const ax = normalizeAxis('booleanMask', axis, t.rank);
  const covered = t.shape.slice(ax, ax + m.rank);
  if (!sameShape(covered, m.shape))
    throw new ShapeError(
      `booleanMask: mask of shape ${fmtShape(m.shape)} does not match axes ${ax}… of shape ${fmtShape(t.shape)}`,
    );
  const values = m.values;
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
  const rows = new Int32Array(count);
  for (let i = 0, r = 0; i < values.length; i++) if (values[i] !== 0) rows[r++] = i;
  return gatherRowsP.run([t], { rows, manyShape: [count], fewShape: m.shape, sliceRank: t.rank - ax - m.rank });
}
