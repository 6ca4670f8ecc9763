// Elementwise binary kernels with NumPy broadcasting. Each op is one row loop; a shared driver
// coalesces dimensions and calls the row loop once per contiguous row (once in all for same shapes).
import { offsets } from './offsets';
import type { NumArray } from './offsets';

/** out[o+j] = f(a[ai + j*sa], b[bi + j*sb]) for j < n; a stride of 0 repeats a broadcast operand. */
export type RowKernel = (
  out: NumArray,
  o: number,
  a: NumArray,
  ai: number,
  sa: number,
  b: NumArray,
  bi: number,
  sb: number,
  n: number,
) => void;

/**
 * x ** y as C's pow, which TF's Pow computes: Math.pow except that pow(1, y) is 1 for every y (NaN
 * too) and pow(-1, ±Infinity) is 1, where JavaScript gives NaN.
 */
export function cPow(x: number, y: number): number {
  // NOTE: the two cases where ECMAScript's Math.pow departs from IEEE 754 / C99 pow, as TF
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y);
}

/** x ** y in int32 arithmetic for y >= 0 (the caller refuses y < 0): square and multiply, wrapping as C's int32. */
export function intPow(x: number, y: number): number {
  let result = 1;
  let base = x | 0;
  for (let e = y >>> 0; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

export const rowKernels = {
  // NOTE: the four arithmetic ops most networks spend their time in get unit-stride and
  // scalar-operand loops of their own (measured 1.3-2x faster than the strided loop)
  add: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) out[o + j] = a[ai + j] + b[bi + j];
    else if (sa === 1 && sb === 0) {
      const s = b[bi];
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j] + s;
    } else for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] + b[bi + j * sb];
  },
  sub: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) out[o + j] = a[ai + j] - b[bi + j];
    else if (sa === 1 && sb === 0) {
      const s = b[bi];
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j] - s;
    } else for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] - b[bi + j * sb];
  },
  mul: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) out[o + j] = a[ai + j] * b[bi + j];
    else if (sa === 1 && sb === 0) {
      const s = b[bi];
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j] * s;
    } else for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] * b[bi + j * sb];
  },
  div: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) out[o + j] = a[ai + j] / b[bi + j];
    else if (sa === 1 && sb === 0) {
      const s = b[bi];
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j] / s;
    } else for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] / b[bi + j * sb];
  },
  // floor(a / b), the quotient rounded to the output's dtype before the floor (as TF's FloorDiv on
  // floats: floor of the float32 quotient); int32 operands give the exact floor (the double quotient
  // of two int32 values never rounds onto an integer it is not), divisors checked nonzero by the caller
  floorDiv: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (out instanceof Float32Array)
      for (let j = 0; j < n; j++) out[o + j] = Math.floor(Math.fround(a[ai + j * sa] / b[bi + j * sb]));
    else for (let j = 0; j < n; j++) out[o + j] = Math.floor(a[ai + j * sa] / b[bi + j * sb]);
  },
  // a − floor(a / b)·b, with the sign of b, as TF's FloorMod: for floats fmod (JavaScript's %, exact) moved
  // into b's sign (a NaN for b = 0, a + b = ±Infinity for a finite a of the other sign than an infinite b);
  // for int32 the same on integers (zero divisors refused by the caller)
  mod: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) {
      const y = b[bi + j * sb];
      const r = a[ai + j * sa] % y;
      out[o + j] = r !== 0 && r < 0 !== y < 0 ? r + y : r;
    }
  },
  // a / b, and 0 where b is 0 (whatever a is, NaN included), as TF's DivNoNan
  divNoNan: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) {
      const y = b[bi + j * sb];
      out[o + j] = y === 0 ? 0 : a[ai + j * sa] / y;
    }
  },
  // x·ln(y), and 0 where x is 0 (whatever y is, NaN included), as TF's Xlogy
  xlogy: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) {
      const x = a[ai + j * sa];
      out[o + j] = x === 0 ? 0 : x * Math.log(b[bi + j * sb]);
    }
  },
  // x / y, and 0 where x is 0 (whatever y is), as TF's Xdivy
  xdivy: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) {
      const x = a[ai + j * sa];
      out[o + j] = x === 0 ? 0 : x / b[bi + j * sb];
    }
  },
  atan2: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = Math.atan2(a[ai + j * sa], b[bi + j * sb]);
  },
  pow: (out, o, a, ai, sa, b, bi, sb, n) => {
    if (out instanceof Int32Array) for (let j = 0; j < n; j++) out[o + j] = intPow(a[ai + j * sa], b[bi + j * sb]);
    else for (let j = 0; j < n; j++) out[o + j] = cPow(a[ai + j * sa], b[bi + j * sb]);
  },
  maximum: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = Math.max(a[ai + j * sa], b[bi + j * sb]);
  },
  minimum: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = Math.min(a[ai + j * sa], b[bi + j * sb]);
  },
  equal: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] === b[bi + j * sb] ? 1 : 0;
  },
  notEqual: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] !== b[bi + j * sb] ? 1 : 0;
  },
  greater: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] > b[bi + j * sb] ? 1 : 0;
  },
  greaterEqual: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] >= b[bi + j * sb] ? 1 : 0;
  },
  less: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] < b[bi + j * sb] ? 1 : 0;
  },
  lessEqual: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] <= b[bi + j * sb] ? 1 : 0;
  },
  logicalAnd: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] && b[bi + j * sb] ? 1 : 0;
  },
  logicalOr: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ai + j * sa] || b[bi + j * sb] ? 1 : 0;
  },
  logicalXor: (out, o, a, ai, sa, b, bi, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = !a[ai + j * sa] !== !b[bi + j * sb] ? 1 : 0;
  },
} satisfies Record<string, RowKernel>;

/** The names of the binary kernels. */
export type BinaryName = keyof typeof rowKernels;

/**
 * Merges neighbouring axes that both operands walk contiguously, and drops size-1 output axes,
 * so `[8,1,4] + [8,1,4]` is one row of 32 and `[m,n] + [n]` is m rows of n.
 */
function coalesce(
  shape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
): [number[], number[], number[]] {
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && as[k] === sa[d] * shape[d] && bs[k] === sb[d] * shape[d]) {
      dims[k] *= shape[d];
      as[k] = sa[d];
      bs[k] = sb[d];
    } else {
      dims.push(shape[d]);
      as.push(sa[d]);
      bs.push(sb[d]);
    }
  }
  return [dims, as, bs];
}

/** Runs a row kernel over a broadcast output; `aStrides`/`bStrides` are 0 on broadcast axes. */
export function broadcastBinary(
  row: RowKernel,
  a: NumArray,
  aStrides: readonly number[],
  b: NumArray,
  bStrides: readonly number[],
  outShape: readonly number[],
  out: NumArray,
): void {
  if (out.length === 0) return;
  const [dims, as, bs] = coalesce(outShape, aStrides, bStrides);
  if (dims.length === 0) {
    row(out, 0, a, 0, 0, b, 0, 0, 1);
    return;
  }
  const last = dims.length - 1;
  const n = dims[last];
  if (last === 0) {
    row(out, 0, a, 0, as[0], b, 0, bs[0], n);
    return;
  }
  const outer = dims.slice(0, last);
  const aOff = offsets(outer, as.slice(0, last));
  const bOff = offsets(outer, bs.slice(0, last));
  for (let r = 0; r < aOff.length; r++) row(out, r * n, a, aOff[r], as[last], b, bOff[r], bs[last], n);
}

/** out[i] = dy[i] · (x[i] > 0): relu's backward in one pass (a NaN or infinite dy still gives NaN times 0, as TF). */
export function reluGradKernel(dy: NumArray, x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = dy[i] * (x[i] > 0 ? 1 : 0);
}

/**
 * out[i] = a[i] + alpha·b[i] for same-length arrays: an optimizer step in one pass. In float32 the
 * product is rounded to float32 before the sum, so the result is bit for bit that of mul then add.
 */
export function addScaledKernel(a: NumArray, b: NumArray, alpha: number, out: NumArray): void {
  if (out instanceof Float32Array) {
    const s = Math.fround(alpha);
    for (let i = 0; i < out.length; i++) out[i] = a[i] + Math.fround(s * b[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = a[i] + alpha * b[i];
  }
}

/**
 * out[i] = dy[i]·(1 - y[i]²): tanh's backward from its output, in one pass. In float32 the square
 * and the difference are rounded to float32 as the separate ops would, so the bits are theirs.
 */
export function tanhGradKernel(y: NumArray, dy: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] * Math.fround(1 - Math.fround(y[i] * y[i]));
  } else {
    for (let i = 0; i < out.length; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
  }
}

/**
 * out[i] = a[i]·b[i] + c[i]·d[i] for same-length arrays: the tangent of a product in one pass. In
 * float32 each product is rounded to float32 before the sum, so the bits are those of the three ops.
 */
export function mulAddKernel(a: NumArray, b: NumArray, c: NumArray, d: NumArray, out: NumArray): void {
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(a[i] * b[i]) + Math.fround(c[i] * d[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i] + c[i] * d[i];
  }
}

/** out[i] = -(a[i]·b[i]) for same-length arrays: bit for bit neg(mul(a, b)), in one pass. */
export function negMulKernel(a: NumArray, b: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = -(a[i] * b[i]);
}
