// float32 sin and cos: the SIMD kernel and the JavaScript path agree bit for bit (so a value's sine
// does not depend on its tensor's size), both within a few float32 ulps of the true value.
import { cosF32, sinF32 } from '../../src/kernels/trig';
import * as tg from '../../src';

/** float32 values of every scale the reduction meets, the awkward ones included. */
function inputs(): Float32Array {
  const xs: number[] = [0, -0, 1, -1, Math.PI, -Math.PI / 2, 8192, -8192, 8193, 1e10, -3e38, Infinity, -Infinity, NaN, 1e-30, -1e-45];
  // near multiples of π/2, where the reduced argument is smallest and cancellation worst
  for (let q = 1; q < 5215; q += 7) for (const d of [-2, -1, 0, 1, 2]) xs.push(Math.fround((q * Math.PI) / 2) + d * 2 ** (Math.floor(Math.log2((q * Math.PI) / 2)) - 23));
  let s = 12345;
  for (let i = 0; i < 20000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    xs.push((u - 0.5) * [2, 20, 200, 2000, 16384][i % 5]);
  }
  return Float32Array.from(xs);
}

/** The float32 ulp at the magnitude of v. */
const ulp = (v: number): number => 2 ** Math.max(Math.floor(Math.log2(Math.abs(v))) - 23, -149);

describe.each([['sin', sinF32, Math.sin], ['cos', cosF32, Math.cos]] as const)('%s', (_name, kernel, exact) => {
  const xs = inputs();
  const simd = new Float32Array(xs.length);
  kernel(xs, simd);

  test('the SIMD kernel and the scalar path give the same bits for every input', () => {
    // arrays shorter than the SIMD threshold take the scalar path, one element at a time
    const one = new Float32Array(1);
    const out = new Float32Array(1);
    for (let i = 0; i < xs.length; i++) {
      one[0] = xs[i];
      kernel(one, out);
      if (!Object.is(out[0], simd[i])) throw new Error(`x = ${xs[i]}: SIMD ${simd[i]}, scalar ${out[0]}`);
    }
  });

  test('every finite result is within 2.5 float32 ulps of the exact value; inf and NaN give NaN', () => {
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = exact(xs[i]);
      if (!Number.isFinite(xs[i])) {
        expect(simd[i]).toBeNaN();
        continue;
      }
      worst = Math.max(worst, Math.abs(simd[i] - want) / ulp(want));
    }
    expect(worst).toBeLessThan(2.5);
    expect(worst).toBeGreaterThan(0); // a float32 polynomial, not a rounded double call
  });
});

test('odd and even: sin(-0) is -0, sin(-x) = -sin(x), cos(-x) = cos(x), through the public ops', () => {
  const x = tg.tensor(Float32Array.from({ length: 64 }, (_, i) => i * 0.37 - 3));
  const sinNeg = tg.sin(tg.neg(x)).dataSync();
  const sinPos = tg.sin(x).dataSync();
  const cosNeg = tg.cos(tg.neg(x)).dataSync();
  const cosPos = tg.cos(x).dataSync();
  for (let i = 0; i < 64; i++) {
    expect(sinNeg[i]).toBe(-sinPos[i]);
    expect(cosNeg[i]).toBe(cosPos[i]);
  }
  expect(Object.is(tg.sin(tg.tensor([-0])).item(), -0)).toBe(true);
  expect(tg.cos(tg.tensor([0])).item()).toBe(1);
});

test('float64 tensors keep the double-precision library values', () => {
  const x = tg.tensor([0.5, 1, 2, 1000], undefined, 'float64');
  expect(Array.from(tg.sin(x).dataSync())).toEqual([0.5, 1, 2, 1000].map(Math.sin));
  expect(Array.from(tg.cos(x).dataSync())).toEqual([0.5, 1, 2, 1000].map(Math.cos));
});
