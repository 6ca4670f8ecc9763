// Kernels against naive index-by-index loops on generated shapes (fast-check).
import fc from 'fast-check';
import * as tg from '../../src';
import { stridesOf } from '../../src/core/shape';

/** The multi-index of flat position i in a shape. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Element of t at a multi-index, broadcasting size-1 and missing leading axes. */
function at(t: tg.Tensor, idx: number[]): number {
  const lead = idx.length - t.rank;
  const strides = stridesOf(t.shape);
  let off = 0;
  for (let d = 0; d < t.rank; d++) off += (t.shape[d] === 1 ? 0 : idx[lead + d]) * strides[d];
  return t.dataSync()[off];
}

const dim = fc.integer({ min: 0, max: 4 });
/** Two shapes that broadcast: each axis of the second is the first's, 1, or dropped from the front. */
const broadcastPair = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }).chain((base) =>
  fc
    .tuple(
      fc.constant(base),
      fc
        .array(fc.boolean(), { minLength: base.length, maxLength: base.length })
        .map((ones) => base.map((d, i) => (ones[i] ? 1 : d))),
      fc.integer({ min: 0, max: base.length }),
    )
    .map(([a, b, drop]) => [a, b.slice(drop)] as const),
);

const seeded = (shape: readonly number[], seed: number) =>
  tg.randomUniform(shape as number[], { minval: -3, maxval: 3, seed });

describe('binary kernel with broadcasting', () => {
  test('add, mul, sub, div, maximum, greater agree with the naive loop in both operand orders', () => {
    fc.assert(
      fc.property(broadcastPair, fc.boolean(), fc.nat(1000), ([sa, sb], swap, seed) => {
        const [x, y] = swap ? [seeded(sb, seed), seeded(sa, seed + 1)] : [seeded(sa, seed), seeded(sb, seed + 1)];
        const ops: [(a: tg.Tensor, b: tg.Tensor) => tg.Tensor, (p: number, q: number) => number][] = [
          [tg.add, (p, q) => p + q],
          [tg.sub, (p, q) => p - q],
          [tg.mul, (p, q) => p * q],
          [tg.div, (p, q) => p / q],
          [tg.maximum, Math.max],
          [(a, b) => tg.cast(tg.greater(a, b), 'float32'), (p, q) => (p > q ? 1 : 0)],
        ];
        for (const [op, ref] of ops) {
          const out = op(x, y);
          const got = out.dataSync();
          for (let i = 0; i < out.size; i++) {
            const idx = unravel(i, out.shape);
            expect(got[i]).toBe(Math.fround(ref(at(x, idx), at(y, idx))));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('reductions', () => {
  test('sum and max over any axis set agree with the naive loop', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.nat(1000),
        (shape, pick, seed) => {
          const x = seeded(shape, seed);
          const axes = shape.map((_, i) => i).filter((i) => pick[i]);
          const s = tg.sum(x, axes, true);
          const m = tg.max(x, axes, true);
          const sums = new Float64Array(s.size);
          const maxes = new Float64Array(s.size).fill(-Infinity);
          const data = x.dataSync();
          for (let i = 0; i < x.size; i++) {
            const idx = unravel(i, shape).map((v, d) => (axes.includes(d) ? 0 : v));
            const o = idx.reduce((acc, v, d) => acc * s.shape[d] + v, 0);
            sums[o] += data[i];
            maxes[o] = Math.max(maxes[o], data[i]);
          }
          expect(Array.from(s.dataSync())).toEqual(Array.from(sums, Math.fround));
          expect(Array.from(m.dataSync())).toEqual(Array.from(maxes, Math.fround));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('matmul', () => {
  test('agrees with the naive triple loop on sizes that are not multiples of anything, all transposes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(1000),
        (m, k, n, tA, tB, seed) => {
          const a = seeded(tA ? [k, m] : [m, k], seed);
          const b = seeded(tB ? [n, k] : [k, n], seed + 1);
          const got = tg.matmul(a, b, tA, tB).dataSync();
          const A = a.dataSync();
          const B = b.dataSync();
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let acc = 0;
              for (let p = 0; p < k; p++)
                acc += (tA ? A[p * m + i] : A[i * k + p]) * (tB ? B[j * k + p] : B[p * n + j]);
              expect(Math.abs(got[i * n + j] - acc)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(acc)));
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('movement', () => {
  test('transpose by any permutation agrees with index arithmetic', () => {
    fc.assert(
      fc.property(fc.array(dim, { minLength: 1, maxLength: 4 }), fc.nat(1000), (shape, seed) => {
        const perm = shape.map((_, i) => i).sort((p, q) => ((p * 7 + seed) % 5) - ((q * 7 + seed) % 5));
        const x = seeded(shape, seed);
        const y = tg.transpose(x, perm);
        const got = y.dataSync();
        for (let i = 0; i < y.size; i++) {
          const idx = unravel(i, y.shape);
          const src = new Array<number>(shape.length);
          perm.forEach((p, d) => (src[p] = idx[d]));
          expect(got[i]).toBe(at(x, src));
        }
      }),
      { numRuns: 60 },
    );
  });

  test('a strided slice followed by its adjoint puts every element back in place', () => {
    const x = tg.reshape(tg.range(1, 25, 1, 'float32'), [4, 6]); // x[r][c] = 6r + c + 1
    using tape = new tg.GradientTape();
    tape.watch(x);
    const s = tg.stridedSlice(x, [3, 1], [0, 6], [-2, 2]); // rows 3, 1; cols 1, 3, 5
    expect(s.arraySync()).toEqual([
      [20, 22, 24],
      [8, 10, 12],
    ]);
    // the adjoint (the slice's gradient) of s itself: each taken element back where it came from, 0 elsewhere
    expect(tape.gradient(s, x, { outputGradients: s })!.arraySync()).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 8, 0, 10, 0, 12],
      [0, 0, 0, 0, 0, 0],
      [0, 20, 0, 22, 0, 24],
    ]);
  });
});
