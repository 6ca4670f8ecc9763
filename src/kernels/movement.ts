// Kernels that move elements without arithmetic on them: concat, gather/scatter along an axis, where, oneHot.
import type { NumArray } from './offsets';

/** Concatenates blocks: input i contributes `chunks[i]` elements to each of `outer` rows. */
export function concat(inputs: readonly NumArray[], chunks: readonly number[], outer: number, out: NumArray): void {
  let rowLen = 0;
  for (const c of chunks) rowLen += c;
  let col = 0;
  for (let i = 0; i < inputs.length; i++) {
    const src = inputs[i];
    const c = chunks[i];
    for (let o = 0; o < outer; o++) for (let j = 0; j < c; j++) out[o * rowLen + col + j] = src[o * c + j];
    col += c;
  }
}

/**
 * out[b, o, q, j] = x[b, o, indices[b, q], j] for an input seen as [batch, outer, dim, inner] and
 * indices as [batch, n] (batch 1: the same indices for every outer row). Indices are checked by the caller.
 */
export function gatherAxis(
  x: NumArray,
  indices: Int32Array,
  outer: number,
  dim: number,
  inner: number,
  out: NumArray,
  batch = 1,
): void {
  const nIdx = batch === 0 ? 0 : indices.length / batch;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outer; o++) {
      const row = b * outer + o;
      for (let q = 0; q < nIdx; q++) {
        const src = (row * dim + indices[b * nIdx + q]) * inner;
        const dst = (row * nIdx + q) * inner;
        for (let j = 0; j < inner; j++) out[dst + j] = x[src + j];
      }
    }
  }
}

/** The adjoint of gatherAxis: out[b, o, indices[b, q], j] += dy[b, o, q, j]; out must start at zero. */
export function scatterAddAxis(
  dy: NumArray,
  indices: Int32Array,
  outer: number,
  dim: number,
  inner: number,
  out: NumArray,
  batch = 1,
): void {
  const nIdx = batch === 0 ? 0 : indices.length / batch;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outer; o++) {
      const row = b * outer + o;
      for (let q = 0; q < nIdx; q++) {
        const dst = (row * dim + indices[b * nIdx + q]) * inner;
        const src = (row * nIdx + q) * inner;
        for (let j = 0; j < inner; j++) out[dst + j] += dy[src + j];
      }
    }
  }
}

/** out[i] = cond[ci[i]] ? a[ai[i]] : b[bi[i]], the offsets placing each operand in the output. */
export function select(
  cond: NumArray,
  ci: Int32Array,
  a: NumArray,
  ai: Int32Array,
  b: NumArray,
  bi: Int32Array,
  out: NumArray,
): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[ci[i]] ? a[ai[i]] : b[bi[i]];
}

/**
 * One row of `depth` per index: onValue at the index, offValue elsewhere (all off for an out-of-range
 * index). The indices are seen as [outer, inner] and the output as [outer, depth, inner] (inner 1: depth last).
 */
export function oneHot(
  indices: NumArray,
  depth: number,
  onValue: number,
  offValue: number,
  out: NumArray,
  inner = 1,
): void {
  out.fill(offValue);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (k >= 0 && k < depth) {
      const o = Math.floor(i / inner);
      out[(o * depth + k) * inner + (i - o * inner)] = onValue;
    }
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Copies values into a typed array of another dtype: truncation toward zero for int32 (NaN, ±Infinity
 * and values out of int32's range give -2147483648), `!= 0` for bool.
 */
// NOTE: -2147483648 for what int32 cannot hold, as TF's Cast on x86 (the processor's "integer
// indefinite" value of cvttss2si/cvttsd2si); a plain store into an Int32Array would wrap modulo 2³²
export function castInto(x: NumArray, out: NumArray, toBool: boolean): void {
  if (toBool) for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  else if (out instanceof Int32Array) {
    for (let i = 0; i < x.length; i++) {
      const v = Math.trunc(x[i]);
      out[i] = v >= INT32_MIN && v <= INT32_MAX ? v : INT32_MIN;
    }
  } else for (let i = 0; i < x.length; i++) out[i] = x[i];
}
