// Shape composites: everything here is a reshape, broadcast, concat, gather or strided slice underneath.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { requireInteger, requireOneOf, requireOptions } from '../../core/args';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../core/errors';
import { checkShape, fmtShape, normalizeAxes, normalizeAxis } from '../../core/shape';
import { broadcastTo, concat, gather, reshape, stridedSliceNormalized } from '../prims/shape';
import { less } from '../prims/binary';
import { range } from '../create';

/**
 * Inserts a size-1 axis at `axis` (default 0).
 * @example
 * tg.expandDims([1, 2], 1).shape; // [2, 1]
 */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', x);
  const ax = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape = t.shape.slice();
  shape.splice(ax, 0, 1);
  return reshape(t, shape);
}

/**
 * Removes size-1 axes (only those in `axis`, when given; each must have size 1).
 * @example
 * tg.squeeze(tg.zeros([1, 3, 1])).shape; // [3]
 */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor('squeeze', x);
  const axes =
    axis === undefined
      ? t.shape.map((_, i) => i).filter((i) => t.shape[i] === 1)
      : normalizeAxes('squeeze', axis, t.rank);
  for (const a of axes) {
    if (t.shape[a] !== 1)
      throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(t.shape)} has size ${t.shape[a]}, expected 1`);
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** All elements in one axis. @example tg.flatten([[1, 2], [3, 4]]); // [1, 2, 3, 4] */
export function flatten(x: TensorLike): Tensor {
  const t = toTensor('flatten', x);
  return reshape(t, [t.size]);
}

/**
 * Repeats `x` reps[i] times along axis i.
 * @example
 * tg.tile([1, 2], [2]); // [1, 2, 1, 2]
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor('tile', x);
  if (
    !Array.isArray(reps) ||
    reps.length !== t.rank ||
    (reps as unknown[]).some((r) => typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0)
  ) {
    throw new ShapeError(
      `tile: expected ${t.rank} non-negative integer repeats for shape ${fmtShape(t.shape)}, got ${describe(reps)}`,
    );
  }
  // the result's size is checked, in tile's name, before anything is allocated
  const outShape = checkShape(
    'tile',
    t.shape.map((d, i) => d * reps[i]),
  );
  // [d0, d1] -> [1, d0, 1, d1] -> broadcast to [r0, d0, r1, d1] -> [r0*d0, r1*d1]
  const spread = reshape(
    t,
    t.shape.flatMap((d) => [1, d]),
  );
  const big = broadcastTo(
    spread,
    t.shape.flatMap((d, i) => [reps[i], d]),
  );
  return reshape(big, outShape);
}

/**
 * Joins tensors of one shape along a new axis.
 * @example
 * tg.stack([[1, 2], [3, 4]], 1); // [[1, 3], [2, 4]]
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ShapeError('stack: expected a non-empty array of tensors');
  const ts = xs.map((x) => toTensor('stack', x));
  for (const t of ts) {
    if (fmtShape(t.shape) !== fmtShape(ts[0].shape))
      throw new ShapeError(`stack: all shapes must match, got ${fmtShape(ts[0].shape)} and ${fmtShape(t.shape)}`);
    // NOTE: checked here, not left to concat, which runs after the (recorded) expandDims
    if (t.dtype !== ts[0].dtype)
      throw new DTypeError(`stack: all tensors must have one dtype, got ${ts[0].dtype} and ${t.dtype}`);
  }
  const ax = normalizeAxis('stack', axis, ts[0].rank + 1);
  return concat(
    ts.map((t) => expandDims(t, ax)),
    ax,
  );
}

/**
 * One integer per axis of `t`: an array of `t.rank` integers, or a single integer for a rank-1
 * tensor. An ArgumentError for anything but integers, a ShapeError for the wrong count.
 */
function perAxis(op: string, name: string, t: Tensor, v: unknown): number[] {
  const list: unknown[] | undefined = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as unknown[]) : undefined;
  if (list === undefined || list.some((e) => typeof e !== 'number' || !Number.isSafeInteger(e)))
    throw new ArgumentError(`${op}: ${name} must be an array of integers, got ${describe(v)}`);
  if (list.length !== t.rank)
    throw new ShapeError(
      `${op}: ${name} must have ${t.rank} entries, one per axis of ${fmtShape(t.shape)}, got ${describe(v)}`,
    );
  return list as number[];
}

/** Normalised begin and size along every axis; `size` -1 means to the end. */
function sliceArgs(t: Tensor, begin: unknown, size: unknown): [number[], number[]] {
  const beginAll = perAxis('slice', 'begin', t, begin);
  const s = size === undefined ? t.shape.map(() => -1) : perAxis('slice', 'size', t, size);
  const sizeAll = t.shape.map((d, i) => (s[i] === -1 ? d - beginAll[i] : s[i]));
  t.shape.forEach((d, i) => {
    const ok = beginAll[i] >= 0 && sizeAll[i] >= 0 && beginAll[i] + sizeAll[i] <= d;
    if (!ok)
      throw new ShapeError(
        `slice: begin [${beginAll.join(',')}] and size [${sizeAll.join(',')}] do not fit in shape ${fmtShape(t.shape)} (axis ${i})`,
      );
  });
  return [beginAll, sizeAll];
}

/**
 * The block starting at `begin` of extent `size` (-1: to the end), one entry per axis. As TF's
 * `tf.slice`, `begin` and `size` hold one integer per axis (a single integer for a rank-1 tensor);
 * without `size` the block runs to the end of every axis.
 * @example
 * tg.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [2, 2]); // [[2, 3], [5, 6]]
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor('slice', x);
  const [b, s] = sliceArgs(t, begin, size);
  return stridedSliceNormalized(t, { begin: b, strides: b.map(() => 1), size: s });
}

/**
 * Splits along `axis` into `n` equal parts, or into parts of the given sizes (one may be -1).
 * @example
 * tg.split([1, 2, 3, 4], 2); // [Tensor([1, 2]), Tensor([3, 4])]
 */
export function split(x: TensorLike, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor('split', x);
  const ax = normalizeAxis('split', axis, t.rank);
  const dim = t.shape[ax];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    // TF's num_split is an integer >= 1
    requireInteger('split', 'numOrSizes', numOrSizes, 1, 2 ** 31 - 1);
    if (dim % numOrSizes !== 0) {
      throw new ShapeError(
        `split: axis ${ax} of shape ${fmtShape(t.shape)} (size ${dim}) cannot be split into ${numOrSizes} equal parts`,
      );
    }
    sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
  } else {
    if (
      !Array.isArray(numOrSizes) ||
      (numOrSizes as unknown[]).some((n) => typeof n !== 'number' || !Number.isSafeInteger(n))
    )
      throw new ArgumentError(
        `split: numOrSizes must be a positive integer or an array of integers, got ${describe(numOrSizes)}`,
      );
    sizes = numOrSizes.slice();
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = dim - sizes.reduce((n, s, i) => (i === unknown ? n : n + s), 0);
    if (sizes.some((s) => s < 0) || sizes.reduce((n, s) => n + s, 0) !== dim) {
      throw new ShapeError(
        `split: sizes [${numOrSizes.join(',')}] do not add up to ${dim}, the size of axis ${ax} of ${fmtShape(t.shape)}`,
      );
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const begin = t.shape.map((_, i) => (i === ax ? start : 0));
    start += s;
    return slice(
      t,
      begin,
      t.shape.map((d, i) => (i === ax ? s : d)),
    );
  });
}

/**
 * The tensors along `axis` (default 0), each without that axis.
 * @example
 * tg.unstack([[1, 2], [3, 4]]); // [Tensor([1, 2]), Tensor([3, 4])]
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor('unstack', x);
  const ax = normalizeAxis('unstack', axis, t.rank);
  if (t.shape[ax] === 0) return [];
  return split(t, t.shape[ax], ax).map((p) => squeeze(p, ax));
}

const bit = (mask: number, i: number): boolean => ((mask >> i) & 1) === 1;

/**
 * NumPy-style strided slicing with TF's masks: `x[begin:end:strides]` per axis; a set bit i in
 * beginMask/endMask ignores begin[i]/end[i], in ellipsisMask expands to the remaining axes, in
 * newAxisMask inserts a size-1 axis, in shrinkAxisMask takes the single index begin[i] and drops the axis.
 * @example
 * tg.stridedSlice([0, 1, 2, 3, 4, 5], [1], [6], [2]); // [1, 3, 5]
 */
export function stridedSlice(
  x: TensorLike,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  const t = toTensor('stridedSlice', x);
  const ints = (name: string, v: unknown): number[] => {
    if (!Array.isArray(v) || (v as unknown[]).some((e) => typeof e !== 'number' || !Number.isSafeInteger(e)))
      throw new ArgumentError(`stridedSlice: ${name} must be an array of integers, got ${describe(v)}`);
    return v as number[];
  };
  ints('begin', begin);
  ints('end', end);
  // null is TF's strides=None: steps of 1
  const steps = strides === undefined || strides === null ? undefined : ints('strides', strides);
  // TF's masks are int32 attributes
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, m] of Object.entries(masks)) requireInteger('stridedSlice', name, m, 0, 2 ** 31 - 1);
  // TF refuses a slice spec with two ellipses (strided_slice_op.cc)
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0)
    throw new ArgumentError(`stridedSlice: ellipsisMask may have at most one bit set, got ${ellipsisMask}`);
  const n = begin.length;
  if (end.length !== n || (steps && steps.length !== n)) {
    throw new ShapeError(
      `stridedSlice: begin, end and strides must have one length, got ${n}, ${end.length}, ${steps?.length ?? n}`,
    );
  }
  const spec = { begin: [] as number[], strides: [] as number[], size: [] as number[] };
  /** One axis of the normalised slice: its start, step and length. */
  const take = (b: number, s: number, len: number) => {
    spec.begin.push(b);
    spec.strides.push(s);
    spec.size.push(len);
  };
  const finalShape: number[] = [];
  let axis = 0;
  for (let i = 0; i < n; i++) {
    if (bit(ellipsisMask, i)) {
      const consumedAfter = Array.from({ length: n - i - 1 }, (_, k) => i + 1 + k).filter(
        (k) => !bit(newAxisMask, k),
      ).length;
      const full = t.rank - axis - consumedAfter;
      for (let k = 0; k < full; k++, axis++) {
        take(0, 1, t.shape[axis]);
        finalShape.push(t.shape[axis]);
      }
      continue;
    }
    if (bit(newAxisMask, i)) {
      finalShape.push(1);
      continue;
    }
    if (axis >= t.rank)
      throw new ShapeError(`stridedSlice: ${n} slice entries are too many for shape ${fmtShape(t.shape)}`);
    const dim = t.shape[axis];
    const s = steps ? steps[i] : 1;
    if (s === 0) throw new ShapeError(`stridedSlice: stride ${s} at index ${i} must be a non-zero integer`);
    if (bit(shrinkAxisMask, i)) {
      const at = begin[i] < 0 ? begin[i] + dim : begin[i];
      if (!Number.isInteger(at) || at < 0 || at >= dim)
        throw new RangeError(
          `stridedSlice: index ${begin[i]} is out of range for axis ${axis} of shape ${fmtShape(t.shape)}`,
        );
      take(at, 1, 1);
      axis++;
      continue;
    }
    const [lo, hi] = s > 0 ? [0, dim] : [-1, dim - 1];
    const clamp = (v: number) => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
    const b = bit(beginMask, i) ? (s > 0 ? lo : hi) : clamp(begin[i]);
    const e = bit(endMask, i) ? (s > 0 ? hi : lo) : clamp(end[i]);
    const len = Math.max(0, Math.ceil((e - b) / s));
    take(len === 0 ? 0 : b, s, len);
    finalShape.push(len);
    axis++;
  }
  for (; axis < t.rank; axis++) {
    take(0, 1, t.shape[axis]);
    finalShape.push(t.shape[axis]);
  }
  return reshape(stridedSliceNormalized(t, spec), finalShape);
}

/** A list of integers from an integer or an array of them (ArgumentError otherwise). */
function intList(op: string, name: string, v: unknown): number[] {
  const list: unknown[] | undefined = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as unknown[]) : undefined;
  if (list === undefined || list.some((e) => typeof e !== 'number' || !Number.isSafeInteger(e)))
    throw new ArgumentError(`${op}: ${name} must be an integer or an array of integers, got ${describe(v)}`);
  return list as number[];
}

/**
 * Rolls the elements along `axis` by `shift` places (those pushed past the end come round to the
 * start), as TF's `roll`; `shift` and `axis` are integers or arrays of one length, and shifts of a
 * repeated axis add up.
 * @example
 * tg.roll([0, 1, 2, 3, 4], 2, 0); // [3, 4, 0, 1, 2]
 */
export function roll(x: TensorLike, shift: number | readonly number[], axis: number | readonly number[]): Tensor {
  const t = toTensor('roll', x);
  const shifts = intList('roll', 'shift', shift);
  const axes = intList('roll', 'axis', axis);
  if (shifts.length !== axes.length)
    throw new ShapeError(`roll: shift and axis must have one length, got ${shifts.length} and ${axes.length}`);
  // TF's Roll: the input must be 1-D or higher
  if (t.rank === 0) throw new ShapeError('roll: cannot roll a scalar; expected a tensor of rank 1 or more');
  const total = new Array<number>(t.rank).fill(0);
  axes.forEach((a, i) => (total[normalizeAxis('roll', a, t.rank)] += shifts[i]));
  let out = t;
  total.forEach((s, ax) => {
    const n = t.shape[ax];
    const k = n === 0 ? 0 : ((s % n) + n) % n;
    if (k === 0) return;
    // the last k along the axis, then the first n - k
    const part = (begin: number, size: number) =>
      stridedSliceNormalized(out, {
        begin: t.shape.map((_, i) => (i === ax ? begin : 0)),
        strides: t.shape.map(() => 1),
        size: t.shape.map((d, i) => (i === ax ? size : d)),
      });
    out = concat([part(n - k, k), part(0, n - k)], ax);
  });
  return out;
}

/**
 * Repeats each element (or slice along `axis`) `repeats` times, as TF's `repeat`: `repeats` is one
 * count for all or one per element of the axis; without an axis `x` is flattened first.
 * @example
 * tg.repeat([1, 2, 3], [1, 0, 2]); // [1, 3, 3]
 * tg.repeat([[1, 2], [3, 4]], 2, 1); // [[1, 1, 2, 2], [3, 3, 4, 4]]
 */
export function repeat(x: TensorLike, repeats: number | readonly number[], axis?: number | null): Tensor {
  const t = toTensor('repeat', x);
  const reps = intList('repeat', 'repeats', repeats);
  if (reps.some((r) => r < 0))
    throw new ArgumentError(`repeat: repeats must be non-negative integers, got ${describe(repeats)}`);
  const flat = axis === undefined || axis === null;
  // everything is checked on the shapes before the first op (the flattening reshape)
  const shape = flat ? [t.size] : t.shape;
  const ax = flat ? 0 : normalizeAxis('repeat', axis, t.rank);
  const n = shape[ax];
  if (reps.length !== 1 && reps.length !== n)
    throw new ShapeError(
      `repeat: repeats must hold one count or ${n}, one per element of axis ${ax} of ${fmtShape(shape)}, got ${reps.length}`,
    );
  const counts = reps.length === 1 ? new Array<number>(n).fill(reps[0]) : reps;
  const total = counts.reduce((a, b) => a + b, 0);
  checkShape(
    'repeat',
    shape.map((d, i) => (i === ax ? total : d)),
  );
  const src = flat ? reshape(t, shape) : t;
  const indices = new Int32Array(total);
  let k = 0;
  counts.forEach((c, i) => indices.fill(i, k, (k += c)));
  // a gather: its gradient adds the copies of each element back together
  return gather(src, new Tensor(indices, [total], 'int32'), ax);
}

/** meshgrid's options. */
export interface MeshgridOptions {
  /** 'xy' (the default, Cartesian: outputs of shape [y.size, x.size]) or 'ij' (matrix: [x.size, y.size]). */
  indexing?: 'xy' | 'ij';
}

/**
 * Coordinate grids from two vectors, as TF's `meshgrid`: `X` repeats `x` along the rows of the grid
 * and `Y` repeats `y` along its columns ('xy'), or the transposes ('ij').
 * @example
 * tg.meshgrid([1, 2, 3], [4, 5])[0]; // [[1, 2, 3], [1, 2, 3]]
 * tg.meshgrid([1, 2, 3], [4, 5], { indexing: 'ij' })[1]; // [[4, 5], [4, 5], [4, 5]]
 */
export function meshgrid(x: TensorLike, y: TensorLike, options?: MeshgridOptions): [Tensor, Tensor] {
  const a = toTensor('meshgrid', x);
  const b = toTensor('meshgrid', y);
  const opts = requireOptions<MeshgridOptions>('meshgrid', options, ['indexing']);
  const indexing = requireOneOf('meshgrid', 'indexing', opts.indexing ?? 'xy', ['xy', 'ij']);
  const [nx, ny] = [a.size, b.size];
  const shape = checkShape('meshgrid', indexing === 'xy' ? [ny, nx] : [nx, ny]);
  // 'xy': x runs along the columns, y down the rows; 'ij' the other way round
  const [xs, ys] =
    indexing === 'xy'
      ? [
          [1, nx],
          [ny, 1],
        ]
      : [
          [nx, 1],
          [1, ny],
        ];
  return [broadcastTo(reshape(a, xs), shape), broadcastTo(reshape(b, ys), shape)];
}

/**
 * A bool mask of the first `lengths[i]` positions of each row of length `maxlen` (default: the
 * largest length), as TF's `sequence_mask`: `mask[..., j] = j < lengths[...]`.
 * @example
 * tg.sequenceMask([1, 3], 4); // [[true, false, false, false], [true, true, true, false]]
 */
export function sequenceMask(lengths: TensorLike, maxlen?: number | null): Tensor {
  const len = toTensor('sequenceMask', lengths, 'int32');
  if (len.dtype !== 'int32') throw new DTypeError(`sequenceMask: lengths must be int32, got ${len.dtype}`);
  let width: number;
  if (maxlen === undefined || maxlen === null) {
    // TF's default (None), the maximum of lengths: its range(0, maxlen) refuses a negative one (or an empty lengths)
    if (len.size === 0) throw new ShapeError('sequenceMask: lengths is empty; give maxlen');
    width = -Infinity;
    for (const v of len.values) width = Math.max(width, v);
    if (width < 0) throw new ArgumentError(`sequenceMask: the largest length, ${width}, is negative`);
  } else width = requireInteger('sequenceMask', 'maxlen', maxlen, 0, 2 ** 31 - 1);
  checkShape('sequenceMask', [...len.shape, width]);
  return less(range(0, width, 1, 'int32'), reshape(len, [...len.shape, 1]));
}
