// The WebAssembly matmul against the TypeScript reference kernel, on generated shapes that are
// mostly not multiples of the tile, both dtypes, every transpose combination, with offsets.
import fc from 'fast-check';
import { gemmReference } from '../../src/kernels/matmul';
import type { GemmArgs } from '../../src/kernels/matmul';
import { wasmGemm, wasmGemmAvailable } from '../../src/kernels/wasm_gemm';

test('WebAssembly SIMD is available on this Node, so the kernel below is really exercised', () => {
  expect(wasmGemmAvailable()).toBe(true);
});

test.each([['float32', Float32Array], ['float64', Float64Array]] as const)('%s: wasm kernel equals the reference kernel', (_name, Type) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 37 }), fc.integer({ min: 0, max: 41 }), fc.integer({ min: 1, max: 29 }),
      fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.nat(1 << 20),
      (m, k, n, transA, transB, off, seed) => {
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
        const a = Type.from(Array.from({ length: off + m * k }, rand));
        const b = Type.from(Array.from({ length: off + k * n }, rand));
        const args = (out: Float32Array | Float64Array): GemmArgs => ({ a, aOff: off, b, bOff: off, out, outOff: off, m, k, n, transA, transB });
        const want = new Type(off + m * n);
        const got = new Type(off + m * n).fill(123);
        gemmReference(args(want));
        expect(wasmGemm(args(got))).toBe(true);
        for (let i = 0; i < off; i++) expect(got[i]).toBe(123); // nothing written before the offset
        for (let i = off; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
      },
    ),
    { numRuns: 150 },
  );
});

test('a large product through the public op: 300 x 257 x 129, float32', () => {
  const m = 300, k = 257, n = 129;
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
