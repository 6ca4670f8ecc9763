// float32 tanh, as TensorFlow computes it on CPU: float32 arithmetic rather than a double-precision
// call rounded (see wasm/tanh.wat.mjs for the method). The JavaScript path repeats the SIMD
// kernel's float32 operations one by one, bit for bit (each + × ÷ rounded with Math.fround gives
// the float32 result exactly, and the power of two is exact).
import { TANH } from './wasm/generated';
import { runFloat32 } from './float32_simd';

const f = Math.fround;
const { clamp, small, log2e, round, ln2hi, ln2lo, e0, e1, e2, e3, e4, e5, t0, t1, t2, t3, t4 } = TANH;

/** tanh of one float32 value, by the float32 operations of the SIMD kernel. */
function tanhScalar(x: number): number {
  const ax = Math.min(Math.abs(x), clamp); // NaN stays NaN
  let v: number;
  if (ax > small) {
    // e^{2|x|} = 2^n e^r
    const y = f(ax + ax);
    const n = f(f(f(y * log2e) + round) - round);
    const r = f(f(y - f(n * ln2hi)) - f(n * ln2lo));
    const p = f(f(f(f(f(f(f(f(f(f(e0 * r) + e1) * r) + e2) * r) + e3) * r) + e4) * r) + e5);
    const e = f(f(f(f(p * f(r * r)) + r) + 1) * 2 ** n);
    v = f(1 - f(2 / f(e + 1)));
  } else {
    const z = f(ax * ax);
    const p = f(f(f(f(f(f(f(f(t0 * z) + t1) * z) + t2) * z) + t3) * z) + t4);
    v = f(f(f(p * z) * ax) + ax);
  }
  // tanh is odd: x's sign, -0 included
  return x < 0 || Object.is(x, -0) ? -v : v;
}

/**
 * out[i] = tanh(x[i]) in float32 arithmetic: the kernel of `tg.tanh` on float32 tensors.
 * @example
 * tg.tanh([0.5]); // [0.46211717]
 */
export function tanhF32(x: Float32Array, out: Float32Array): void {
  runFloat32(x, out, (mod) => mod.tanh_f32, tanhScalar);
}
