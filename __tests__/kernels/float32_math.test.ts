// float32 sin, cos and tanh: the SIMD kernel and the JavaScript path agree bit for bit (so a value's
// sine does not depend on its tensor's size), both within a few float32 ulps of the true value.
import { cosF32, sinF32 } from '../../src/kernels/trig';
import { tanhF32 } from '../../src/kernels/tanh';
import * as tg from '../../src';

/** float32 values of every scale the reduction meets, the awkward ones included. */
function inputs(): Float32Array {
  const xs: number[] = [
    0,
    -0,
    1,
    -1,
    Math.PI,
    -Math.PI / 2,
    8192,
    -8192,
    8193,
    1e10,
    -3e38,
    Infinity,
    -Infinity,
    NaN,
    1e-30,
    -1e-45,
  ];
  // near multiples of π/2, where the reduced argument is smallest and cancellation worst
  for (let q = 1; q < 5215; q += 7)
    for (const d of [-2, -1, 0, 1, 2])
      xs.push(Math.fround((q * Math.PI) / 2) + d * 2 ** (Math.floor(Math.log2((q * Math.PI) / 2)) - 23));
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

/** tanh's awkward inputs: around the branch point 0.625, the clamp at 10, tiny and huge. */
function tanhInputs(): Float32Array {
  const xs: number[] = [0, -0, 0.625, -0.625, 10, -10, 9.5, 11, 1e-40, -1e-30, 88, -3e38, Infinity, -Infinity, NaN];
  for (const c of [0.625, 10]) for (let d = -50; d <= 50; d++) xs.push(c + d * 2 ** -20, -(c + d * 2 ** -20));
  let s = 777;
  for (let i = 0; i < 20000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    xs.push((s / 2147483648 - 0.5) * [0.02, 2, 8, 30][i % 4]);
  }
  return Float32Array.from(xs);
}

describe.each([
  ['sin', sinF32, Math.sin, inputs, 2.5],
  ['cos', cosF32, Math.cos, inputs, 2.5],
  ['tanh', tanhF32, Math.tanh, tanhInputs, 1.5],
] as const)('%s', (_name, kernel, exact, make, bound) => {
  const xs = make();
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

  test(`every result is within ${bound} float32 ulps of the exact value, infinities and NaN as Math's`, () => {
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = exact(xs[i]);
      if (!Number.isFinite(want) || want === 0) {
        expect(Object.is(simd[i], want)).toBe(true); // NaN, ±1 at ±inf for tanh, ±0
        continue;
      }
      worst = Math.max(worst, Math.abs(simd[i] - want) / ulp(want));
    }
    expect(worst).toBeLessThan(bound);
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

test('tanh is odd, saturates to exactly ±1, and keeps tiny values as they are', () => {
  const x = tg.tensor(Float32Array.from({ length: 64 }, (_, i) => i * 0.31 - 9));
  const pos = tg.tanh(x).dataSync();
  const neg = tg.tanh(tg.neg(x)).dataSync();
  for (let i = 0; i < 64; i++) expect(neg[i]).toBe(-pos[i]);
  expect(Array.from(tg.tanh(tg.tensor([20, -20, Infinity, 1e-20])).dataSync())).toEqual([1, -1, 1, Math.fround(1e-20)]);
});

test('float64 tensors keep the double-precision library values', () => {
  const x = tg.tensor([0.5, 1, 2, 1000], undefined, 'float64');
  expect(Array.from(tg.sin(x).dataSync())).toEqual([0.5, 1, 2, 1000].map(Math.sin));
  expect(Array.from(tg.cos(x).dataSync())).toEqual([0.5, 1, 2, 1000].map(Math.cos));
  expect(Array.from(tg.tanh(x).dataSync())).toEqual([0.5, 1, 2, 1000].map(Math.tanh));
});
