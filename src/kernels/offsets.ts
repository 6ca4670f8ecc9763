// The one odometer: flat source offsets for every position of an output shape, given per-axis strides.
// Transpose, broadcast, slice, reverse and their adjoints are all "read (or add) at these offsets".
import { int32Array } from '../core/arena';

/** `out[i]` = `base + Σ index_d(i) * strides[d]` for every flat position i of `shape`. */
export function offsets(shape: readonly number[], strides: readonly number[], base = 0): Int32Array {
  let size = 1;
  for (const d of shape) size *= d;
  const out = int32Array(size);
  if (size === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = base;
    return out;
  }
  const last = rank - 1;
  const n = shape[last];
  const step = strides[last];
  const index = new Array<number>(rank).fill(0);
  let start = base;
  for (let o = 0; o < size; o += n) {
    for (let j = 0; j < n; j++) out[o + j] = start + j * step;
    // advance the odometer over the outer axes
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      start += strides[d];
      if (index[d] < shape[d]) break;
      start -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * `out[i]` = `Σ maps[d][index_d(i)] * strides[d]` for every flat position i of the shape
 * `maps.map(m => m.length)`: each axis reads through its own index map (mirrorPad's reflections).
 */
export function mappedOffsets(maps: readonly Int32Array[], strides: readonly number[]): Int32Array {
  let acc = new Int32Array([0]);
  maps.forEach((map, d) => {
    const next = new Int32Array(acc.length * map.length);
    const s = strides[d];
    let k = 0;
    for (let i = 0; i < acc.length; i++) for (let j = 0; j < map.length; j++) next[k++] = acc[i] + map[j] * s;
    acc = next;
  });
  return acc;
}

/** A typed array with `.length` and numeric indexing, of any element type. */
export type NumArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** `out[i] = src[offsets[i]]`. */
export function gatherAt(src: NumArray, at: Int32Array, out: NumArray): void {
  for (let i = 0; i < at.length; i++) out[i] = src[at[i]];
}

/** `dst[offsets[i]] += src[i]`: the adjoint of `gatherAt`. */
export function scatterAddAt(src: NumArray, at: Int32Array, dst: NumArray): void {
  for (let i = 0; i < at.length; i++) dst[at[i]] += src[i];
}

/** `dst[offsets[i]] = src[i]`: writes a block into place. */
export function putAt(src: NumArray, at: Int32Array, dst: NumArray): void {
  for (let i = 0; i < at.length; i++) dst[at[i]] = src[i];
}

/**
 * `out[i] = src[base + Σ index_d(i) * strides[d]]` for every flat position i of `shape`: gatherAt at
 * offsets(shape, strides, base), without the offsets array. Axes that are contiguous in the source
 * are merged first, so the inner loop runs as long as it can (a transpose that keeps the last axis
 * copies whole rows; a broadcast along the last axis fills them).
 */
export function stridedCopy(
  src: NumArray,
  shape: readonly number[],
  strides: readonly number[],
  base: number,
  out: NumArray,
): void {
  // merged axes, outermost first; size-1 axes dropped
  const dims: number[] = [];
  const steps: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 0) return;
    if (n === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && steps[k] === strides[d] * n) {
      dims[k] *= n;
      steps[k] = strides[d];
    } else {
      dims.push(n);
      steps.push(strides[d]);
    }
  }
  const rank = dims.length;
  if (rank === 0) {
    out[0] = src[base];
    return;
  }
  const n = dims[rank - 1];
  const step = steps[rank - 1];
  const size = out.length;
  const index = new Array<number>(rank).fill(0);
  let start = base;
  for (let o = 0; o < size; o += n) {
    if (step === 1) for (let j = 0; j < n; j++) out[o + j] = src[start + j];
    else if (step === 0) {
      const v = src[start];
      for (let j = 0; j < n; j++) out[o + j] = v;
    } else for (let j = 0, at = start; j < n; j++, at += step) out[o + j] = src[at];
    // advance the odometer over the outer axes
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      start += steps[d];
      if (index[d] < dims[d]) break;
      start -= steps[d] * dims[d];
      index[d] = 0;
    }
  }
}
