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
