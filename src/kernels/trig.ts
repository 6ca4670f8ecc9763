// float32 sine and cosine, as TensorFlow computes them on CPU: float32 arithmetic and polynomials
// rather than a double-precision call rounded (see wasm/trig.wat.mjs for the method). The SIMD
// kernel takes four elements per step; the JavaScript path below repeats its float32 operations one
// by one (each + and × rounded with Math.fround gives the float32 result exactly), so a value's sine
// is the same whichever path, and whatever the size of its tensor.
import { TRIG } from './wasm/generated';
import { runFloat32 } from './float32_simd';

const f = Math.fround;
const { limit, twoOverPi, round, p1, p2, p3, p4, s1, s2, s3, c1, c2, c3 } = TRIG;

/** sin (or cos) of one float32 value, by the float32 operations of the SIMD kernel. */
function trigScalar(x: number, cos: boolean): number {
  const ax = Math.abs(x);
  if (!(ax <= limit)) return f(cos ? Math.cos(x) : Math.sin(x)); // too large to reduce exactly, or NaN
  const qf = f(f(f(ax * twoOverPi) + round) - round);
  const r = f(f(f(f(ax - f(qf * p1)) - f(qf * p2)) - f(qf * p3)) - f(qf * p4));
  const z = f(r * r);
  const s = f(f(f(f(f(f(f(s3 * z) + s2) * z) + s1) * z) * r) + r);
  const c = f(f(f(f(f(f(f(f(c3 * z) + c2) * z) + c1) * z) * z) - f(z * 0.5)) + 1);
  const q = qf & 3;
  if (cos) return (q & 1 ? s : c) * (((q + 1) & 2) !== 0 ? -1 : 1);
  // sin(-0) is -0: the sign comes from x itself, flipped in quadrants 2 and 3
  const v = q & 1 ? c : s;
  return (x < 0 || Object.is(x, -0)) !== ((q & 2) !== 0) ? -v : v;
}

const sinScalar = (x: number): number => trigScalar(x, false);
const cosScalar = (x: number): number => trigScalar(x, true);
/** The inputs the SIMD kernel flags and leaves to the scalar path: too large to reduce exactly, or infinite. */
const outside = (x: number): boolean => !(Math.abs(x) <= limit);

/**
 * out[i] = sin(x[i]) in float32 arithmetic: the kernel of `tg.sin` on float32 tensors.
 * @example
 * tg.sin([1]); // [0.84147096]
 */
export function sinF32(x: Float32Array, out: Float32Array): void {
  runFloat32(x, out, (mod) => mod.sin_f32, sinScalar, outside);
}

/**
 * out[i] = cos(x[i]) in float32 arithmetic: the kernel of `tg.cos` on float32 tensors.
 * @example
 * tg.cos([0]); // [1]
 */
export function cosF32(x: Float32Array, out: Float32Array): void {
  runFloat32(x, out, (mod) => mod.cos_f32, cosScalar, outside);
}
