// Movement primitives: reshape, transpose, broadcastTo, stridedSlice and its adjoint, concat, pad,
// gather and its adjoint, mirrorPad and its adjoint, reverse, oneHot. All strided copies go through the one
// odometer in kernels/offsets.
import { requireDType, requireInteger, requireOneOf, requireScalar } from '../../core/args';
import type { ScalarValue } from '../../core/args';
import { allocate } from '../../core/dtype';
import type { DType } from '../../core/dtype';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../core/errors';
import type { Shape } from '../../core/shape';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  fmtShape,
  normalizeAxes,
  normalizeAxis,
  sameShape,
  sizeOf,
  stridesOf,
} from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { Variable } from '../../core/variable';
import { gatherAt, mappedOffsets, offsets, putAt, scatterAddAt, stridedCopy } from '../../kernels/offsets';
import { concat as concatKernel, gatherAxis, oneHot as oneHotKernel, scatterAddAxis } from '../../kernels/movement';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import type { Primitive } from '../primitive';
import { sumToShape } from './sum_to_shape';
import { fit, linear, shiftAxes, zeroTangent } from './tangents';

/** Reads `x` at the offsets of an output shape walked with the given strides. */
function stridedRead(x: Tensor, outShape: Shape, strides: readonly number[], base: number): Tensor {
  const out = allocate(x.dtype, sizeOf(outShape));
  stridedCopy(x.values, outShape, strides, base, out);
  return new Tensor(out, outShape, x.dtype);
}

const reshapeP = definePrimitive<{ shape: Shape }>({
  name: 'reshape',
  // the values are immutable, so the output shares them: a reshape costs no copy
  forward: ([x], { shape }) => new Tensor(x.values, shape, x.dtype),
  vjp: (dy, [x]) => [reshape(dy, x.shape)],
  jvp: linear((t, { shape }, batch) => reshape(t, [...batch, ...shape])),
});

/**
 * The same elements in a new shape; one dimension may be -1 (inferred).
 * @example
 * tg.reshape([1, 2, 3, 4], [2, -1]); // [[1, 2], [3, 4]]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('reshape', x);
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: expected a shape array, got ${String(shape)}`);
  const unknown = shape.indexOf(-1);
  const resolved = shape.slice();
  if (unknown >= 0) {
    if (shape.indexOf(-1, unknown + 1) >= 0)
      throw new ShapeError(`reshape: at most one -1 in shape ${fmtShape(shape)}`);
    const known = sizeOf(shape.filter((_, i) => i !== unknown));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) to ${fmtShape(shape)}`);
    }
    resolved[unknown] = t.size / known;
  }
  const target = checkShape('reshape', resolved);
  if (sizeOf(target) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) to ${fmtShape(shape)} (${sizeOf(target)} elements)`,
    );
  }
  return sameShape(target, t.shape) ? t : reshapeP.run([t], { shape: target });
}

const transposeP = definePrimitive<{ perm: number[] }>({
  name: 'transpose',
  forward: ([x], { perm }) => {
    const strides = stridesOf(x.shape);
    return stridedRead(
      x,
      perm.map((p) => x.shape[p]),
      perm.map((p) => strides[p]),
      0,
    );
  },
  // the inverse permutation undoes it
  vjp: (dy, _x, _y, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(dy, inverse)];
  },
  jvp: linear((t, { perm }, batch) => transpose(t, [...batch.map((_, i) => i), ...shiftAxes(perm, batch.length)])),
});

/**
 * Permutes the axes (reverses them by default).
 * @example
 * tg.transpose([[1, 2, 3], [4, 5, 6]]); // [[1, 4], [2, 5], [3, 6]]
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor('transpose', x);
  // null is TF's perm=None: the reversed axes
  const given = perm ?? undefined;
  if (given !== undefined && !Array.isArray(given))
    throw new ArgumentError(`transpose: perm must be an array of integers, got ${describe(given)}`);
  if (given?.some((a) => typeof a !== 'number' || !Number.isInteger(a)))
    throw new ArgumentError(`transpose: perm must hold integers, got ${describe(given)}`);
  // NOTE: as TF's Transpose kernel (transpose_op.cc), every entry must be in [0, rank): negative
  // axes are refused
  const p = given ? given.slice() : t.shape.map((_, i) => t.rank - 1 - i);
  if (p.length !== t.rank || new Set(p).size !== t.rank || p.some((a) => a < 0 || a >= t.rank)) {
    throw new ShapeError(
      `transpose: perm [${(given ?? []).join(',')}] is not a permutation of the ${t.rank} axes of ${fmtShape(t.shape)}`,
    );
  }
  return p.every((a, i) => a === i) ? t : transposeP.run([t], { perm: p });
}

const broadcastToP = definePrimitive<{ shape: Shape }>({
  name: 'broadcastTo',
  forward: ([x], { shape }) => stridedRead(x, shape, broadcastStrides(x.shape, shape), 0),
  // "this is sum in reverse"
  vjp: (dy, [x]) => [sumToShape(dy, x.shape)],
  jvp: linear((t, { shape }, batch) => fit(t, batch, shape)),
});

/**
 * Repeats `x` along size-1 (or missing leading) axes to reach `shape`, as NumPy broadcasting does.
 * @example
 * tg.broadcastTo([1, 2], [2, 2]); // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('broadcastTo', x);
  const target = checkShape('broadcastTo', shape);
  const joint = t.rank <= target.length ? broadcastShapes('broadcastTo', t.shape, target) : null;
  if (!joint || !sameShape(joint, target)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(target)}`);
  }
  return sameShape(t.shape, target) ? t : broadcastToP.run([t], { shape: target });
}

/** A normalised strided slice: for every axis a start, a step and a length. */
export interface SliceSpec {
  begin: number[];
  strides: number[];
  size: number[];
}

function sliceOffsets(inputShape: Shape, spec: SliceSpec): Int32Array {
  const strides = stridesOf(inputShape);
  let base = 0;
  spec.begin.forEach((b, i) => (base += b * strides[i]));
  return offsets(
    spec.size,
    strides.map((s, i) => s * spec.strides[i]),
    base,
  );
}

/** A slice spec that takes every batch axis whole, then the primal's slice. */
function batchSlice(spec: SliceSpec, batch: Shape): SliceSpec {
  if (batch.length === 0) return { begin: spec.begin, strides: spec.strides, size: spec.size };
  return {
    begin: [...batch.map(() => 0), ...spec.begin],
    strides: [...batch.map(() => 1), ...spec.strides],
    size: [...batch, ...spec.size],
  };
}

const stridedSliceP: Primitive<SliceSpec> = definePrimitive<SliceSpec>({
  name: 'stridedSlice',
  forward: ([x], spec) => {
    const out = allocate(x.dtype, sizeOf(spec.size));
    gatherAt(x.values, sliceOffsets(x.shape, spec), out);
    return new Tensor(out, spec.size, x.dtype);
  },
  // the gradient scatters dy back into zeros of the input's shape
  vjp: (dy, [x], _y, spec) => [stridedSliceGradP.run([dy], { ...spec, inputShape: x.shape })],
  jvp: linear((t, spec, batch) => stridedSliceP.run([t], batchSlice(spec, batch))),
});

const stridedSliceGradP: Primitive<SliceSpec & { inputShape: Shape }> = definePrimitive<
  SliceSpec & { inputShape: Shape }
>({
  name: 'stridedSliceGrad',
  forward: ([dy], spec) => {
    const out = allocate(dy.dtype, sizeOf(spec.inputShape));
    scatterAddAt(dy.values, sliceOffsets(spec.inputShape, spec), out);
    return new Tensor(out, spec.inputShape, dy.dtype);
  },
  // linear in dy, and the adjoint of the slice: its gradient is the slice again
  vjp: (ddy, _dy, _y, spec) => [
    stridedSliceP.run([ddy], { begin: spec.begin, strides: spec.strides, size: spec.size }),
  ],
  jvp: linear((t, spec, batch) =>
    stridedSliceGradP.run([t], { ...batchSlice(spec, batch), inputShape: [...batch, ...spec.inputShape] }),
  ),
});

/** @internal Runs a normalised strided slice (no shrinking or new axes: callers reshape). */
export function stridedSliceNormalized(x: Tensor, spec: SliceSpec): Tensor {
  const whole = spec.begin.every((b, i) => b === 0 && spec.strides[i] === 1 && spec.size[i] === x.shape[i]);
  return whole ? x : stridedSliceP.run([x], spec);
}

const concatP: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: 'concat',
  forward: (xs, { axis }) => {
    const first = xs[0];
    const outShape = first.shape.slice();
    outShape[axis] = xs.reduce((n, t) => n + t.shape[axis], 0);
    const out = allocate(first.dtype, sizeOf(outShape));
    const outer = sizeOf(first.shape.slice(0, axis));
    concatKernel(
      xs.map((t) => t.values),
      xs.map((t) => sizeOf(t.shape.slice(axis))),
      outer,
      out,
    );
    return new Tensor(out, outShape, first.dtype);
  },
  // each input gets its own slab of dy back
  vjp: (dy, xs, _y, { axis }) => {
    let start = 0;
    return xs.map((t) => {
      const begin = dy.shape.map((_, i) => (i === axis ? start : 0));
      start += t.shape[axis];
      return stridedSliceNormalized(dy, { begin, strides: dy.shape.map(() => 1), size: t.shape.slice() });
    });
  },
  // linear: the tangents joined the same way (a zero block for an input without one)
  jvp: (ts, xs, _y, { axis }, batch) =>
    concatP.run(
      ts.map((t, i) => t ?? zeroTangent(xs[i], batch)),
      { axis: axis + batch.length },
    ),
});

/**
 * Joins tensors along an existing axis; all other dimensions must match.
 * @example
 * tg.concat([[[1, 2]], [[3, 4]]], 0); // [[1, 2], [3, 4]]
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ShapeError('concat: expected a non-empty array of tensors');
  const ts = xs.map((x) => toTensor('concat', x));
  const first = ts[0];
  const ax = normalizeAxis('concat', axis, Math.max(first.rank, 1));
  for (const t of ts) {
    if (t.dtype !== first.dtype)
      throw new DTypeError(`concat: all tensors must have one dtype, got ${first.dtype} and ${t.dtype}`);
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)} differ outside axis ${ax}`,
      );
    }
  }
  if (first.rank === 0) throw new ShapeError('concat: cannot concatenate scalars; use stack');
  return ts.length === 1 ? ts[0] : concatP.run(ts, { axis: ax });
}

const padP: Primitive<{ paddings: [number, number][]; value: number }> = definePrimitive<{
  paddings: [number, number][];
  value: number;
}>({
  name: 'pad',
  forward: ([x], { paddings, value }) => {
    const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const out = allocate(x.dtype, sizeOf(shape));
    out.fill(value);
    const strides = stridesOf(shape);
    let base = 0;
    paddings.forEach(([before], i) => (base += before * strides[i]));
    putAt(x.values, offsets(x.shape, strides, base), out);
    return new Tensor(out, shape, x.dtype);
  },
  // the gradient is the slice of dy where x sits
  vjp: (dy, [x], _y, { paddings }) => [
    stridedSliceNormalized(dy, {
      begin: paddings.map((p) => p[0]),
      strides: x.shape.map(() => 1),
      size: x.shape.slice(),
    }),
  ],
  // linear in x; the padding constant has no tangent
  jvp: linear((t, { paddings }, batch) =>
    padP.run([t], { paddings: [...batch.map((): [number, number] => [0, 0]), ...paddings], value: 0 }),
  ),
});

/**
 * Pads with a constant: `paddings[i] = [before, after]` for axis i. The value is a number (an
 * integer for an int32 tensor, a boolean for a bool one) or a rank-0 tensor of `x`'s dtype, as TF's
 * `constant_values`; it gets no gradient (TF's PadV2 gradient returns None for it).
 * @example
 * tg.pad([1, 2], [[1, 2]]); // [0, 1, 2, 0, 0]
 */
export function pad(
  x: TensorLike,
  paddings: readonly (readonly [number, number])[],
  value: number | boolean | Tensor | Variable = 0,
): Tensor {
  const t = toTensor('pad', x);
  const ok =
    Array.isArray(paddings) &&
    paddings.length === t.rank &&
    (paddings as unknown[]).every(
      (p) =>
        Array.isArray(p) &&
        p.length === 2 &&
        (p as unknown[]).every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0),
    );
  if (!ok)
    throw new ShapeError(
      `pad: expected ${t.rank} pairs [before, after] of non-negative integers for shape ${fmtShape(t.shape)}, got ${showPairs(paddings)}`,
    );
  const fillValue = elementValue('pad', 'value', value, t.dtype);
  // the output's size is checked before anything is allocated
  const shape = checkShape(
    'pad',
    t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]),
  );
  if (sameShape(shape, t.shape)) return t;
  return padP.run([t], { paddings: paddings.map((p) => [p[0], p[1]]), value: fillValue });
}

/** Paddings for a message: `[[1,0],[0,1]]` when they are arrays of numbers, else a short description. */
function showPairs(paddings: unknown): string {
  if (Array.isArray(paddings) && paddings.length <= 8 && paddings.every((p) => Array.isArray(p) && p.length <= 8))
    return `[${(paddings as unknown[][]).map((p) => `[${p.map((n) => describe(n)).join(',')}]`).join(',')}]`;
  return describe(paddings);
}

/**
 * A constant written into a tensor of `dtype` (pad's value, oneHot's on/off values), as TF converts
 * it to that dtype: a number for a float dtype, an int32 integer for int32, a boolean (or the
 * numbers 0 and 1) for bool; or a rank-0 tensor of that very dtype. Anything else is an
 * ArgumentError, a rank-0 tensor of another dtype a DTypeError.
 */
function elementValue(op: string, name: string, v: unknown, dtype: DType): number {
  const s: ScalarValue = requireScalar(op, name, v, dtype === 'bool');
  if (s.dtype !== undefined) {
    if (s.dtype !== dtype) throw new DTypeError(`${op}: ${name} must have the dtype ${dtype}, got a ${s.dtype} tensor`);
    return s.value;
  }
  if (dtype === 'int32') return requireInteger(op, name, v, -(2 ** 31), 2 ** 31 - 1);
  if (dtype === 'bool' && s.value !== 0 && s.value !== 1)
    throw new ArgumentError(`${op}: ${name} must be a boolean for a bool tensor, got ${describe(v)}`);
  return s.value;
}

interface GatherAttrs {
  axis: number;
  /** Leading axes the indices share with x (TF's batch_dims), counted after the `lead` axes. */
  batchDims: number;
  /** Leading axes of x the indices do not have: a tangent's batch axes (0 for the op itself). */
  lead: number;
  indices: Int32Array;
  indicesShape: Shape;
}

/** gather's output shape: x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis+1:]. */
function gatheredShape(shape: Shape, { axis, batchDims, indicesShape }: GatherAttrs): number[] {
  return [...shape.slice(0, axis), ...indicesShape.slice(batchDims), ...shape.slice(axis + 1)];
}

/**
 * The gather (or, with `scatter`, its adjoint) of a full tensor of shape `full`, as the kernel's
 * [batch, outer, dim, inner] blocks, once per element of the `lead` axes.
 */
function gatherBlocks(src: Tensor, full: Shape, attrs: GatherAttrs, scatter: boolean): Tensor {
  const { axis, batchDims, lead, indices } = attrs;
  const part = gatheredShape(full, attrs);
  const l = sizeOf(full.slice(0, lead));
  const b = sizeOf(full.slice(lead, lead + batchDims));
  const outer = sizeOf(full.slice(lead + batchDims, axis));
  const [dim, inner] = [full[axis], sizeOf(full.slice(axis + 1))];
  const fullChunk = l === 0 ? 0 : sizeOf(full) / l;
  const partChunk = l === 0 ? 0 : sizeOf(part) / l;
  const out = allocate(src.dtype, scatter ? sizeOf(full) : sizeOf(part));
  for (let i = 0; i < l; i++) {
    if (scatter) {
      const dy = src.values.subarray(i * partChunk, (i + 1) * partChunk);
      scatterAddAxis(dy, indices, outer, dim, inner, out.subarray(i * fullChunk, (i + 1) * fullChunk), b);
    } else {
      const x = src.values.subarray(i * fullChunk, (i + 1) * fullChunk);
      gatherAxis(x, indices, outer, dim, inner, out.subarray(i * partChunk, (i + 1) * partChunk), b);
    }
  }
  return new Tensor(out, scatter ? full : part, src.dtype);
}

/** The attributes for a tangent with leading batch axes: they join the lead axes. */
function leadBatch<A extends GatherAttrs>(attrs: A, batch: Shape): A {
  return batch.length === 0 ? attrs : { ...attrs, axis: attrs.axis + batch.length, lead: attrs.lead + batch.length };
}

const gatherP: Primitive<GatherAttrs> = definePrimitive<GatherAttrs>({
  name: 'gather',
  forward: ([x], attrs) => gatherBlocks(x, x.shape, attrs, false),
  // the gradient adds each dy slab back at the row it was taken from (TF's GatherV2 gradient, an
  // unsorted segment sum)
  vjp: (dy, [x], _y, attrs) => [gatherGradP.run([dy], { ...attrs, inputShape: x.shape })],
  jvp: linear((t, attrs, batch) => gatherP.run([t], leadBatch(attrs, batch))),
});

const gatherGradP: Primitive<GatherAttrs & { inputShape: Shape }> = definePrimitive<
  GatherAttrs & { inputShape: Shape }
>({
  name: 'gatherGrad',
  forward: ([dy], attrs) => gatherBlocks(dy, attrs.inputShape, attrs, true),
  // linear, and the adjoint of gather: its gradient is the gather again
  vjp: (ddy, _dy, _y, { inputShape: _shape, ...attrs }) => [gatherP.run([ddy], attrs)],
  jvp: linear((t, attrs, batch) =>
    gatherGradP.run([t], { ...leadBatch(attrs, batch), inputShape: [...batch, ...attrs.inputShape] }),
  ),
});

/**
 * Takes slices along `axis` at the given integer indices, as TF's `gather`; the result's shape is
 * `x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis+1:]`. With `batchDims` b, the first b
 * axes of `x` and `indices` are batch axes walked together (each batch has its own indices); a
 * negative b counts from the rank of `indices`, and `axis` (default: b, as TF's None) is at least b.
 * @example
 * tg.gather([10, 20, 30], [2, 0]); // [30, 10]
 * tg.gather([[1, 2], [3, 4]], [[1], [0]], 1, 1); // [[2], [3]]
 */
export function gather(x: TensorLike, indices: TensorLike, axis?: number, batchDims = 0): Tensor {
  const t = toTensor('gather', x);
  const idx = toTensor('gather', indices, 'int32');
  if (idx.dtype !== 'int32') throw new DTypeError(`gather: indices must be int32, got ${idx.dtype}`);
  if (t.rank === 0) throw new ShapeError('gather: cannot gather from a scalar');
  requireInteger('gather', 'batchDims', batchDims);
  // TF: batch_dims in [-rank(indices), rank(indices)], made non-negative
  if (batchDims < -idx.rank || batchDims > idx.rank)
    throw new ShapeError(
      `gather: batchDims ${batchDims} is out of range for indices of rank ${idx.rank}; expected an integer in [${-idx.rank}, ${idx.rank}]`,
    );
  const bd = batchDims < 0 ? batchDims + idx.rank : batchDims;
  const ax = normalizeAxis('gather', axis ?? bd, t.rank);
  if (bd > ax) throw new ShapeError(`gather: batchDims (${bd}) must be less than or equal to axis (${ax})`);
  for (let i = 0; i < bd; i++) {
    if (t.shape[i] !== idx.shape[i])
      throw new ShapeError(
        `gather: x.shape[${i}] and indices.shape[${i}] must match for batchDims ${bd}, got ${fmtShape(t.shape)} and ${fmtShape(idx.shape)}`,
      );
  }
  const values = idx.values as Int32Array;
  for (const i of values) {
    if (i < 0 || i >= t.shape[ax])
      throw new RangeError(
        `gather: index ${i} is out of range [0, ${t.shape[ax]}) for axis ${ax} of shape ${fmtShape(t.shape)}`,
      );
  }
  const attrs: GatherAttrs = { axis: ax, batchDims: bd, lead: 0, indices: values, indicesShape: idx.shape };
  checkShape('gather', gatheredShape(t.shape, attrs));
  return gatherP.run([t], attrs);
}

/** The index along one axis of a mirror-padded tensor that each output position reads. */
function mirrorMap(dim: number, before: number, after: number, symmetric: boolean): Int32Array {
  const map = new Int32Array(before + dim + after);
  for (let i = 0; i < map.length; i++) {
    let j = i - before;
    if (j < 0) j = symmetric ? -j - 1 : -j;
    else if (j >= dim) j = symmetric ? 2 * dim - 1 - j : 2 * dim - 2 - j;
    map[i] = j;
  }
  return map;
}

interface MirrorAttrs {
  /** For every axis of the output, the input index each position reads. */
  maps: Int32Array[];
  inputShape: Shape;
}

/** The attributes for a tangent with leading batch axes: identity maps for them. */
function mirrorBatch(attrs: MirrorAttrs, batch: Shape): MirrorAttrs {
  if (batch.length === 0) return attrs;
  return {
    maps: [...batch.map((d) => Int32Array.from({ length: d }, (_, i) => i)), ...attrs.maps],
    inputShape: [...batch, ...attrs.inputShape],
  };
}

const mirrorPadP: Primitive<MirrorAttrs> = definePrimitive<MirrorAttrs>({
  name: 'mirrorPad',
  forward: ([x], { maps }) => {
    const shape = maps.map((m) => m.length);
    const out = allocate(x.dtype, sizeOf(shape));
    gatherAt(x.values, mappedOffsets(maps, stridesOf(x.shape)), out);
    return new Tensor(out, shape, x.dtype);
  },
  // the gradient folds the padded borders of dy back onto the cells they copied and adds them (TF's
  // MirrorPadGrad)
  vjp: (dy, _x, _y, attrs) => [mirrorPadGradP.run([dy], attrs)],
  jvp: linear((t, attrs, batch) => mirrorPadP.run([t], mirrorBatch(attrs, batch))),
});

const mirrorPadGradP: Primitive<MirrorAttrs> = definePrimitive<MirrorAttrs>({
  name: 'mirrorPadGrad',
  forward: ([dy], { maps, inputShape }) => {
    const out = allocate(dy.dtype, sizeOf(inputShape));
    scatterAddAt(dy.values, mappedOffsets(maps, stridesOf(inputShape)), out);
    return new Tensor(out, inputShape, dy.dtype);
  },
  // linear, the adjoint of mirrorPad: its gradient is mirrorPad again (TF's MirrorPadGrad gradient)
  vjp: (ddy, _dy, _y, attrs) => [mirrorPadP.run([ddy], attrs)],
  jvp: linear((t, attrs, batch) => mirrorPadGradP.run([t], mirrorBatch(attrs, batch))),
});

/**
 * Pads with a mirror image of `x`, as TF's `pad` with mode 'REFLECT' (the edge is not repeated:
 * before and after at most dim - 1) or 'SYMMETRIC' (the edge is repeated: at most dim);
 * `paddings[i] = [before, after]` for axis i. The mode is case-insensitive, as in TF.
 * @example
 * tg.mirrorPad([1, 2, 3], [[2, 1]], 'reflect'); // [3, 2, 1, 2, 3, 2]
 * tg.mirrorPad([1, 2, 3], [[2, 1]], 'symmetric'); // [2, 1, 1, 2, 3, 3]
 */
export function mirrorPad(
  x: TensorLike,
  paddings: readonly (readonly [number, number])[],
  mode: 'reflect' | 'symmetric',
): Tensor {
  const t = toTensor('mirrorPad', x);
  const m = requireOneOf('mirrorPad', 'mode', typeof mode === 'string' ? mode.toLowerCase() : mode, [
    'reflect',
    'symmetric',
  ]);
  const ok =
    Array.isArray(paddings) &&
    paddings.length === t.rank &&
    (paddings as unknown[]).every(
      (p) =>
        Array.isArray(p) &&
        p.length === 2 &&
        (p as unknown[]).every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0),
    );
  if (!ok)
    throw new ShapeError(
      `mirrorPad: expected ${t.rank} pairs [before, after] of non-negative integers for shape ${fmtShape(t.shape)}, got ${showPairs(paddings)}`,
    );
  const symmetric = m === 'symmetric';
  t.shape.forEach((d, i) => {
    const most = symmetric ? d : d - 1;
    if (paddings[i][0] > most || paddings[i][1] > most)
      throw new ShapeError(
        `mirrorPad: paddings [${paddings[i].join(',')}] for axis ${i} of shape ${fmtShape(t.shape)} must be at most ${most} in ${m} mode`,
      );
  });
  const shape = checkShape(
    'mirrorPad',
    t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]),
  );
  if (sameShape(shape, t.shape)) return t;
  const maps = t.shape.map((d, i) => mirrorMap(d, paddings[i][0], paddings[i][1], symmetric));
  return mirrorPadP.run([t], { maps, inputShape: t.shape.slice() });
}

const reverseP = definePrimitive<{ axes: number[] }>({
  name: 'reverse',
  forward: ([x], { axes }) => {
    const strides = stridesOf(x.shape);
    let base = 0;
    for (const a of axes) base += (x.shape[a] - 1) * strides[a];
    return stridedRead(
      x,
      x.shape,
      strides.map((s, i) => (axes.includes(i) ? -s : s)),
      base,
    );
  },
  // reversing twice is the identity
  vjp: (dy, _x, _y, { axes }) => [reverse(dy, axes)],
  jvp: linear((t, { axes }, batch) => reverse(t, shiftAxes(axes, batch.length))),
});

/**
 * Reverses the order of elements along `axis` (all axes when omitted).
 * @example
 * tg.reverse([[1, 2], [3, 4]], 1); // [[2, 1], [4, 3]]
 */
export function reverse(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor('reverse', x);
  const axes = normalizeAxes('reverse', axis, t.rank).filter((a) => t.shape[a] > 1);
  return axes.length === 0 ? t : reverseP.run([t], { axes });
}

const oneHotP = definePrimitive<{ depth: number; onValue: number; offValue: number; dtype: DType; axis: number }>({
  name: 'oneHot',
  forward: ([indices], { depth, onValue, offValue, dtype, axis }) => {
    const out = allocate(dtype, indices.size * depth);
    const inner = sizeOf(indices.shape.slice(axis));
    oneHotKernel(indices.values, depth, onValue, offValue, out, inner);
    return new Tensor(out, [...indices.shape.slice(0, axis), depth, ...indices.shape.slice(axis)], dtype);
  },
  // NOTE: no gradient by design: the input is integer indices
  vjp: NOT_DIFFERENTIABLE,
  jvp: NOT_DIFFERENTIABLE,
});

/**
 * One row of length `depth` per index, `onValue` at the index (an index outside [0, depth) gives a row
 * of `offValue`). As TF's `one_hot`, the dtype defaults to that of a rank-0 tensor `onValue` or
 * `offValue`, else float32; the on/off values must fit it. The new axis goes at `axis` (-1, the
 * default: last; else 0 to the rank of `indices`).
 * @example
 * tg.oneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 * tg.oneHot([0, 2], 3, 1, 0, 'int32', 0); // [[1, 0], [0, 0], [0, 1]]
 */
export function oneHot(
  indices: TensorLike,
  depth: number,
  onValue: number | boolean | Tensor | Variable = 1,
  offValue: number | boolean | Tensor | Variable = 0,
  dtype?: DType,
  axis = -1,
): Tensor {
  const idx = toTensor('oneHot', indices, 'int32');
  if (idx.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, got ${idx.dtype}`);
  // TF's depth is an int32 scalar
  requireInteger('oneHot', 'depth', depth, 0, 2 ** 31 - 1);
  const given = dtype === undefined ? undefined : requireDType('oneHot', dtype);
  const tensorDType = (v: unknown): DType | undefined =>
    v instanceof Tensor || v instanceof Variable ? v.dtype : undefined;
  const dt = given ?? tensorDType(onValue) ?? tensorDType(offValue) ?? 'float32';
  const on = elementValue('oneHot', 'onValue', onValue, dt);
  const off = elementValue('oneHot', 'offValue', offValue, dt);
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    throw new ArgumentError(`oneHot: axis must be an integer, got ${describe(axis)}`);
  // TF's OneHot: axis is -1 or in [0, rank(indices)]
  if (axis < -1 || axis > idx.rank)
    throw new ShapeError(`oneHot: axis must be -1 or in [0, ${idx.rank}] for indices of rank ${idx.rank}, got ${axis}`);
  const ax = axis === -1 ? idx.rank : axis;
  // the output's size is checked before anything is allocated
  checkShape('oneHot', [...idx.shape, depth]);
  return oneHotP.run([idx], { depth, onValue: on, offValue: off, dtype: dt, axis: ax });
}
