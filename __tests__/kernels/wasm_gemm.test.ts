// The WebAssembly matmul against the TypeScript reference kernel, on generated shapes that are
// mostly not multiples of the tile, both dtypes, every transpose combination, with offsets.
import fc from 'fast-check';
import { gemmReference } from '../../src/kernels/matmul';
import type { GemmArgs } from '../../src/kernels/matmul';
import { wasmGemm, wasmGemmAvailable, wasmMatvec } from '../../src/kernels/wasm_gemm';

type FloatArrayType = typeof Float32Array | typeof Float64Array;

/**
 * Random operands of an m×k by k×n product (seeded, `off` elements in), the reference kernel's
 * answer, and an output filled with 123 (`extra` elements past the end) for the kernel under test.
 */
function product(
  Type: FloatArrayType,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  off: number,
  seed: number,
  extra: number,
) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const a = Type.from(Array.from({ length: off + m * k }, rand));
  const b = Type.from(Array.from({ length: off + k * n }, rand));
  const args = (out: Float32Array | Float64Array): GemmArgs => ({
    a,
    aOff: off,
    b,
    bOff: off,
    out,
    outOff: off,
    m,
    k,
    n,
    transA,
    transB,
  });
  const want = new Type(off + m * n);
  gemmReference(args(want));
  return { args, want, got: new Type(off + m * n + extra).fill(123) };
}

test('WebAssembly SIMD is available on this Node, so the kernel below is really exercised', () => {
  expect(wasmGemmAvailable()).toBe(true);
});

test.each([
  ['float32', Float32Array],
  ['float64', Float64Array],
] as const)('%s: wasm kernel equals the reference kernel', (_name, Type) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 37 }),
      fc.integer({ min: 0, max: 41 }),
      fc.integer({ min: 1, max: 29 }),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 5 }),
      fc.nat(1 << 20),
      (m, k, n, transA, transB, off, seed) => {
        const { args, want, got } = product(Type, m, k, n, transA, transB, off, seed, 0);
        expect(wasmGemm(args(got))).toBe(true);
        for (let i = 0; i < off; i++) expect(got[i]).toBe(123); // nothing written before the offset
        for (let i = off; i < want.length; i++)
          expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
      },
    ),
    { numRuns: 150 },
  );
});

test('a large product, 300 x 257 x 129, float32: within 1e-5 of the reference', () => {
  const m = 300,
    k = 257,
    n = 129;
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
  const want = new Float32Array(m * n);
  const got = new Float32Array(m * n);
  gemmReference({ a, aOff: 0, b, bOff: 0, out: want, outOff: 0, m, k, n, transA: false, transB: false });
  wasmGemm({ a, aOff: 0, b, bOff: 0, out: got, outOff: 0, m, k, n, transA: false, transB: false });
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect(worst).toBeLessThan(1e-5);
});

test.each([
  ['float32', Float32Array],
  ['float64', Float64Array],
] as const)('%s: thin products by the matrix-vector kernels equal the reference kernel', (_name, Type) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 0, max: 70 }),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 5 }),
      fc.nat(1 << 20),
      (long, thin, k, narrow, transA, transB, off, seed) => {
        // fewer than 8 columns (any rows), or fewer than 4 rows (any columns)
        const [m, n] = narrow ? [long, thin] : [Math.min(thin, 3), long];
        const { args, want, got } = product(Type, m, k, n, transA, transB, off, seed, 3);
        // float64 takes 4-column panels: 4 to 7 columns fill a tile there, which is not this kernel's job
        const thinHere = Type === Float32Array || n < 4 || m < 4;
        expect(wasmMatvec(args(got))).toBe(thinHere);
        if (!thinHere) return;
        for (let i = 0; i < off; i++) expect(got[i]).toBe(123); // nothing written before the offset
        for (let i = off + m * n; i < got.length; i++) expect(got[i]).toBe(123); // nor after the end
        for (let i = off; i < want.length; i++)
          expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
      },
    ),
    { numRuns: 300 },
  );
});

test('a NaN or infinity in the matrix reaches only its own output entries', () => {
  // 5 x 3 times a 3-vector: the SIMD overread past a row must not carry row 0's infinity into row 1
  const a = Float32Array.from([Infinity, 1, 1, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  const b = Float32Array.from([1, 1, 1]);
  const out = new Float32Array(5);
  expect(wasmMatvec({ a, aOff: 0, b, bOff: 0, out, outOff: 0, m: 5, k: 3, n: 1, transA: false, transB: false })).toBe(
    true,
  );
  expect(Array.from(out)).toEqual([Infinity, 6, 3, 3, 3]);
  // transposed: A stored 3 x 5, y = Aᵀ·v; the overread lanes past m = 5 stay out of the result
  const at = Float32Array.from([1, 2, 3, 4, 5, 1, 1, 1, 1, 1, NaN, 0, 0, 0, 0]);
  expect(
    wasmMatvec({ a: at, aOff: 0, b, bOff: 0, out, outOff: 0, m: 5, k: 3, n: 1, transA: true, transB: false }),
  ).toBe(true);
  expect(Array.from(out)).toEqual([NaN, 3, 4, 5, 6]);
});
