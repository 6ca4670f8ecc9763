// Segment reductions: unsortedSegmentSum, …Max, …Min, …Mean and segmentSum, as TF's. Sums are the
// scatterAddRows primitive (its gradient a gather, as TF's); max and min are their own primitives with
// TF's gradient (the upstream gradient shared evenly among the elements equal to their segment's result).
import { requireInteger } from '../../core/args';
import { allocate } from '../../core/dtype';
import type { DType } from '../../core/dtype';
import { ArgumentError, DTypeError, ShapeError } from '../../core/errors';
import { checkShape, fmtShape, sizeOf } from '../../core/shape';
import type { Shape } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { segmentExtremumKernel } from '../../kernels/scatter';
import { definePrimitive } from '../primitive';
import type { Primitive } from '../primitive';
import { requireFloat } from '../operands';
import { zerosLike } from '../create';
import { div, equal, logicalAnd, maximum } from './binary';
import { cast } from './cast';
import { where } from './select';
import { gatherRows, scatterAddRows } from './scatter';
import type { RowAttrs } from './scatter';

/** The value of an empty segment: TF's numeric_limits<T>::lowest() for max, max() for min. */
function emptyValue(dtype: DType, largest: boolean): number {
  const extreme = dtype === 'int32' ? 2147483647 : dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  return largest ? (dtype === 'int32' ? -2147483648 : -extreme) : extreme;
}

/** A bool tensor of shape [...manyShape, 1 …] true where a row is kept (TF drops negative ids), or null if all are. */
function keptRows(attrs: RowAttrs): Tensor | null {
  if (attrs.rows.every((r) => r >= 0)) return null;
  const values = allocate('bool', attrs.rows.length);
  attrs.rows.forEach((r, i) => (values[i] = r >= 0 ? 1 : 0));
  return new Tensor(values, [...attrs.manyShape, ...new Array<number>(attrs.sliceRank).fill(1)], 'bool');
}

function extremumPrimitive(name: 'unsortedSegmentMax' | 'unsortedSegmentMin'): Primitive<RowAttrs> {
  const largest = name === 'unsortedSegmentMax';
  /** Which elements of x are their segment's result, and how many share each segment's result (at least 1). */
  const selection = (x: Tensor, y: Tensor, attrs: RowAttrs): [Tensor, Tensor] => {
    const kept = keptRows(attrs);
    const equalToResult = equal(x, gatherRows(y, attrs));
    const selected = kept === null ? equalToResult : logicalAnd(equalToResult, kept);
    return [selected, maximum(scatterAddRows(cast(selected, x.dtype), attrs), 1)];
  };
  return definePrimitive<RowAttrs>({
    name,
    forward: ([x], attrs) => {
      const batch = x.shape.slice(0, x.rank - attrs.manyShape.length - attrs.sliceRank);
      const slice = x.shape.slice(x.rank - attrs.sliceRank);
      const shape = [...batch, ...attrs.fewShape, ...slice];
      const out = allocate(x.dtype, sizeOf(shape));
      segmentExtremumKernel(
        x.values,
        attrs.rows,
        sizeOf(attrs.fewShape),
        sizeOf(slice),
        largest,
        emptyValue(x.dtype, largest),
        out,
      );
      return new Tensor(out, shape, x.dtype);
    },
    // as TF: dx = dy[seg] / (number of elements equal to the result of seg) where x equals it, else 0
    vjp: (dy, [x], y, attrs) => {
      const [selected, count] = selection(x, y, attrs);
      return [where(selected, gatherRows(div(dy, count), attrs), zerosLike(x))];
    },
    // the tangent: the mean of the selected elements' tangents in each segment (the vjp's adjoint)
    jvp: ([t], [x], y, attrs) => {
      const [selected, count] = selection(x, y, attrs);
      return div(scatterAddRows(where(selected, t!, 0), attrs), count);
    },
  });
}

const segmentMaxP = extremumPrimitive('unsortedSegmentMax');
const segmentMinP = extremumPrimitive('unsortedSegmentMin');

/**
 * The checked operands of an unsorted segment op: x, and the rows of its segment ids (int32, their
 * shape a prefix of x's; a negative id drops its element, one at or past numSegments is an error).
 */
function segmentOperands(op: string, x: TensorLike, segmentIds: TensorLike, numSegments: number): [Tensor, RowAttrs] {
  const t = toTensor(op, x);
  const ids = toTensor(op, segmentIds, 'int32');
  if (ids.dtype !== 'int32') throw new DTypeError(`${op}: segmentIds must be int32, got ${ids.dtype}`);
  if (t.dtype === 'bool') throw new DTypeError(`${op}: expected a numeric tensor, got bool`);
  requireInteger(op, 'numSegments', numSegments, 0, 2 ** 31 - 1);
  if (ids.rank > t.rank || ids.shape.some((d, i) => d !== t.shape[i]))
    throw new ShapeError(
      `${op}: segmentIds of shape ${fmtShape(ids.shape)} must have a prefix of the shape ${fmtShape(t.shape)}`,
    );
  const values = ids.values as Int32Array;
  const rows = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (s >= numSegments) throw new ArgumentError(`${op}: segmentIds[${i}] = ${s} is out of range [0, ${numSegments})`);
    rows[i] = s < 0 ? -1 : s;
  }
  const attrs = { rows, manyShape: ids.shape, fewShape: [numSegments], sliceRank: t.rank - ids.rank };
  checkShape(op, [numSegments, ...t.shape.slice(ids.rank)]);
  return [t, attrs];
}

/**
 * Sums of the slices of `x` by segment: `out[s] = Σ x[i…]` over the positions whose int32 segment id
 * is s (the ids' shape is a prefix of x's; negative ids are dropped, as TF); empty segments give 0.
 * @example
 * tg.unsortedSegmentSum([1, 2, 3, 4], [0, 1, 0, 1], 2); // [4, 6]
 */
export function unsortedSegmentSum(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const [t, attrs] = segmentOperands('unsortedSegmentSum', x, segmentIds, numSegments);
  return scatterAddRows(t, attrs);
}

/**
 * Maxima of the slices of `x` by segment (see unsortedSegmentSum); an empty segment gives the dtype's
 * lowest value, as TF. The gradient is shared evenly among tied maxima, as TF's.
 * @example
 * tg.unsortedSegmentMax([1, 5, 3, 4], [0, 0, 1, 1], 2); // [5, 4]
 */
export function unsortedSegmentMax(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const [t, attrs] = segmentOperands('unsortedSegmentMax', x, segmentIds, numSegments);
  return segmentMaxP.run([t], attrs);
}

/**
 * Minima of the slices of `x` by segment (see unsortedSegmentSum); an empty segment gives the dtype's
 * highest value, as TF. The gradient is shared evenly among tied minima, as TF's.
 * @example
 * tg.unsortedSegmentMin([1, 5, 3, 4], [0, 0, 1, 1], 2); // [1, 3]
 */
export function unsortedSegmentMin(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const [t, attrs] = segmentOperands('unsortedSegmentMin', x, segmentIds, numSegments);
  return segmentMinP.run([t], attrs);
}

/**
 * Means of the slices of float `x` by segment (see unsortedSegmentSum): the sum divided by the count,
 * as TF's; an empty segment gives 0.
 * @example
 * tg.unsortedSegmentMean([1, 2, 3, 5], [0, 1, 0, 1], 2); // [2, 3.5]
 */
export function unsortedSegmentMean(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const [t, attrs] = segmentOperands('unsortedSegmentMean', x, segmentIds, numSegments);
  requireFloat('unsortedSegmentMean', t);
  // TF divides by max(count, 1), a constant
  const counts = allocate(t.dtype, numSegments);
  for (const r of attrs.rows) if (r >= 0) counts[r]++;
  for (let s = 0; s < numSegments; s++) counts[s] = Math.max(counts[s], 1);
  const shape: Shape = [numSegments, ...new Array<number>(attrs.sliceRank).fill(1)];
  return div(scatterAddRows(t, attrs), new Tensor(counts, shape, t.dtype));
}

/**
 * Sums of the rows of `x` by sorted int32 segment ids (one per row, non-negative, non-decreasing, as
 * TF's segment_sum requires); there are `last id + 1` segments, the empty ones 0.
 * @example
 * tg.segmentSum([1, 2, 3, 4], [0, 0, 2, 2]); // [3, 0, 7]
 */
export function segmentSum(x: TensorLike, segmentIds: TensorLike): Tensor {
  const t = toTensor('segmentSum', x);
  const ids = toTensor('segmentSum', segmentIds, 'int32');
  if (ids.dtype !== 'int32') throw new DTypeError(`segmentSum: segmentIds must be int32, got ${ids.dtype}`);
  if (t.dtype === 'bool') throw new DTypeError('segmentSum: expected a numeric tensor, got bool');
  if (ids.rank !== 1 || t.rank === 0 || ids.shape[0] !== t.shape[0])
    throw new ShapeError(
      `segmentSum: segmentIds must be a vector as long as the first axis of x, got ${fmtShape(ids.shape)} for ${fmtShape(t.shape)}`,
    );
  const rows = ids.values as Int32Array;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0) throw new ArgumentError(`segmentSum: segmentIds[${i}] = ${rows[i]} is negative`);
    if (i > 0 && rows[i] < rows[i - 1])
      throw new ArgumentError(
        `segmentSum: segmentIds are not increasing: segmentIds[${i}] = ${rows[i]} < ${rows[i - 1]}`,
      );
  }
  const numSegments = rows.length === 0 ? 0 : rows[rows.length - 1] + 1;
  checkShape('segmentSum', [numSegments, ...t.shape.slice(1)]);
  return scatterAddRows(t, { rows, manyShape: ids.shape, fewShape: [numSegments], sliceRank: t.rank - 1 });
}
