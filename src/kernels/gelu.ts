// The exact GELU, x/2 · (1 + erf(x/√2)), and its backward pass: for float32 one WebAssembly SIMD kernel
// each (wasm/special.wat.mjs), else a few passes in JavaScript. Every step rounds to the dtype as the
// ops of the composite do (constants rounded to it too), so the values are bit for bit those of
// mul(mul(x, 0.5), add(erf(mul(x, √½)), 1)), and the gradient that of differentiating those ops
// (where x feeds nothing else: a third gradient term would be added in another order).
import { ERF_TABLE, erfF32, erfScalar } from './erf';
import { EXP_TABLE, expF32 } from './exp';
import type { NumArray } from './offsets';
import { runGelu, runGeluGrad } from './wasm_special';

const fr = Math.fround;
const SQRT_HALF_F32 = fr(Math.SQRT1_2);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const TWO_OVER_SQRT_PI_F32 = fr(TWO_OVER_SQRT_PI);

/** A float32 scratch array of at least n elements, reused (the kernels run one at a time). */
let scratch = new Float32Array(0);
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch.subarray(0, n);
}

/** gelu of one float32 value, and erf(x·√½), by the float32 steps of the ops. */
function geluF32(v: number): [number, number] {
  const c = fr(erfScalar(fr(v * SQRT_HALF_F32)));
  return [fr(fr(v * 0.5) * fr(c + 1)), c];
}

/** The backward pass at one float32 element, from x, dy and erf(x·√½), by the float32 steps of the ops. */
function geluGradF32(v: number, g: number, c: number): number {
  const b = fr(v * SQRT_HALF_F32);
  const e = fr(Math.exp(-fr(b * b)));
  const da = fr(g * fr(c + 1));
  const db = fr(fr(g * fr(v * 0.5)) * fr(e * TWO_OVER_SQRT_PI_F32));
  return fr(fr(db * SQRT_HALF_F32) + fr(da * 0.5));
}

/**
 * out = gelu(x); x and out (and erfOut) all Float32Array or all Float64Array. With erfOut, also
 * erf(x·√½) there, which the backward pass then need not compute again.
 */
export function geluKernel(x: NumArray, out: NumArray, erfOut?: NumArray): void {
  const n = x.length;
  if (out instanceof Float32Array) {
    const xs = x as Float32Array;
    const e = (erfOut as Float32Array | undefined) ?? scratchOf(n);
    if (runGelu(ERF_TABLE, xs, out, e, (i) => geluF32(xs[i]))) return;
    for (let i = 0; i < n; i++) e[i] = x[i] * SQRT_HALF_F32;
    erfF32(e, e);
    for (let i = 0; i < n; i++) out[i] = fr(x[i] * 0.5) * fr(e[i] + 1);
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const e = erfScalar(v * Math.SQRT1_2);
      if (erfOut !== undefined) erfOut[i] = e;
      out[i] = v * 0.5 * (e + 1);
    }
  }
}

/**
 * out = dy · gelu'(x), as the chain rule through the composite's ops computes it: with a = x·0.5,
 * b = x·√½, d = erf(b) + 1: dy·d·0.5 + dy·a·(exp(−b²)·2/√π)·√½, every product rounded. `erfB`,
 * erf(b) if the forward pass kept it. All arrays Float32Array or all Float64Array.
 */
export function geluGradKernel(x: NumArray, dy: NumArray, out: NumArray, erfB?: NumArray): void {
  const n = x.length;
  if (out instanceof Float32Array) {
    const [xs, gs] = [x as Float32Array, dy as Float32Array];
    // erf(b): the forward pass's, or computed here
    let c = erfB as Float32Array | undefined;
    if (c === undefined) {
      c = scratchOf(n);
      for (let i = 0; i < n; i++) c[i] = x[i] * SQRT_HALF_F32;
      erfF32(c, c);
    }
    const cs = c;
    if (runGeluGrad(EXP_TABLE, xs, gs, cs, out, (i) => [geluGradF32(xs[i], gs[i], cs[i])])) return;
    // exp(−b²) in float32, as neg(square(b)) then exp
    const e = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const b = fr(x[i] * SQRT_HALF_F32);
      e[i] = -(b * b);
    }
    expF32(e, e);
    for (let i = 0; i < n; i++) {
      const g = dy[i];
      const da = fr(g * fr(cs[i] + 1));
      const db = fr(fr(g * fr(x[i] * 0.5)) * fr(e[i] * TWO_OVER_SQRT_PI_F32));
      out[i] = fr(db * SQRT_HALF_F32) + fr(da * 0.5);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const g = dy[i];
      const b = v * Math.SQRT1_2;
      const da = g * ((erfB === undefined ? erfScalar(b) : erfB[i]) + 1);
      const db = g * (v * 0.5) * (Math.exp(-(b * b)) * TWO_OVER_SQRT_PI);
      out[i] = db * Math.SQRT1_2 + da * 0.5;
    }
  }
}
