// The faster kernels give the values of the slower code they replace: float32 erf and exp (JavaScript
// and WebAssembly paths) bit for bit fround of the double-precision functions; fused gelu, softmax and
// Adam bit for bit the ops they stand for; the reduction and strided-copy fast paths; batched matmul
// bit for bit item by item, with or without the helper thread.
import * as tg from '../src';
import type { Tensor } from '../src';
import { erfF32, erfScalar } from '../src/kernels/erf';
import { expF32 } from '../src/kernels/exp';
import { gemm, gemmBatch } from '../src/kernels/matmul';
import type { GemmArgs } from '../src/kernels/matmul';
import { gatherAt, offsets, stridedCopy } from '../src/kernels/offsets';
import { reduce } from '../src/kernels/reduce';
import { helperRunning } from '../src/kernels/wasm_threads';
import { threadsWanted } from '../src/kernels/wasm_module';
import { geluGrad } from '../src/ops/prims/gelu';

/** Seeded uniform float32 values in [lo, hi). */
function uniforms(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return lo + ((hi - lo) * s) / 4294967296;
  });
}

/** Indices where two arrays differ as values (-0 and 0 differ, NaN equals NaN). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/** Values where float32 results are hardest: zeros, tiny and huge, infinities, NaN, range edges. */
const SPECIALS = [
  0,
  -0,
  1e-45,
  -1e-45,
  1e-38,
  1e-7,
  -1e-7,
  0.5,
  -0.5,
  1,
  -1,
  2,
  -2,
  3.9,
  3.92,
  3.95,
  4,
  -4,
  4.5,
  6,
  7,
  30,
  -88,
  87.9,
  88,
  88.5,
  88.72,
  88.73,
  89,
  -103,
  -103.9,
  -104,
  -104.5,
  -110,
  1e30,
  -1e30,
  Infinity,
  -Infinity,
  NaN,
];

describe('float32 erf and exp: bit for bit the double-precision functions, rounded', () => {
  // 40 000 values per scale: the WebAssembly path; the first 20 also alone: the JavaScript path
  const inputs = (scale: number, seed: number): Float32Array =>
    Float32Array.from([...SPECIALS, ...uniforms(40000, seed, -scale, scale)]);

  test.each([0.01, 1, 4, 8, 120])('erf, |x| up to %d', (scale) => {
    const x = inputs(scale, 7);
    const want = Float32Array.from(x, (v) => erfScalar(v));
    const got = new Float32Array(x.length);
    erfF32(x, got);
    expect(differences(got, want)).toEqual([]);
    const short = x.subarray(0, 20);
    const gotShort = new Float32Array(20);
    erfF32(short, gotShort);
    expect(differences(gotShort, want.subarray(0, 20))).toEqual([]);
  });

  test.each([0.01, 1, 4, 30, 120])('exp, |x| up to %d', (scale) => {
    const x = inputs(scale, 9);
    const want = Float32Array.from(x, (v) => Math.exp(v));
    const got = new Float32Array(x.length);
    expF32(x, got);
    expect(differences(got, want)).toEqual([]);
  });

  test('in place, as the fused kernels call them', () => {
    const x = inputs(5, 11);
    const want = Float32Array.from(x, (v) => erfScalar(v));
    erfF32(x, x);
    expect(differences(x, want)).toEqual([]);
  });

  test('tg.erf and tg.exp on float32 tensors take these kernels', () => {
    const x = tg.tensor(inputs(3, 13));
    expect(differences(tg.erf(x).dataSync(), Float32Array.from(x.dataSync(), erfScalar))).toEqual([]);
    expect(differences(tg.exp(x).dataSync(), Float32Array.from(x.dataSync(), Math.exp))).toEqual([]);
  });
});

/** gelu as the composite of ops it stands for. */
const geluOps = (x: Tensor): Tensor => tg.mul(tg.mul(x, 0.5), tg.add(tg.erf(tg.mul(x, Math.SQRT1_2)), 1));

/** y and dL/dx of f at x, L = sum(f(x)·w). */
function valueAndGradient(f: (x: Tensor) => Tensor, x: Tensor, w: Tensor): [Float32Array | Float64Array, Tensor] {
  const tape = new tg.GradientTape();
  tape.watch(x);
  const y = f(x);
  const g = tape.gradient(tg.sum(tg.mul(y, w)), x) as Tensor;
  return [y.dataSync() as Float32Array | Float64Array, g];
}

describe('fused gelu: the values and gradient of its ops, bit for bit', () => {
  test.each(['float32', 'float64'] as const)('%s', (dtype) => {
    const x = tg.tensor(uniforms(3000, 3, -7, 7), [30, 100], dtype);
    const w = tg.tensor(uniforms(3000, 4, -2, 2), [30, 100], dtype);
    const [y, g] = valueAndGradient(tg.gelu, x, w);
    const [yOps, gOps] = valueAndGradient(geluOps, x, w);
    expect(differences(y, yOps)).toEqual([]);
    expect(differences(g.dataSync(), gOps.dataSync())).toEqual([]);
  });

  test.each([0.01, 1, 10, 100])('float32 with the hard values, |x| up to %d', (scale) => {
    const n = SPECIALS.length + 4000;
    const x = tg.tensor(Float32Array.from([...SPECIALS, ...uniforms(4000, 31, -scale, scale)]));
    const w = tg.tensor(uniforms(n, 32, -2, 2));
    const [y, g] = valueAndGradient(tg.gelu, x, w);
    const [yOps, gOps] = valueAndGradient(geluOps, x, w);
    expect(differences(y, yOps)).toEqual([]);
    expect(differences(g.dataSync(), gOps.dataSync())).toEqual([]);
    // the backward pass without the forward pass's erf values (as at higher order): the same bits
    expect(
      differences(geluGrad(x, w).dataSync(), geluGrad(x, w, tg.erf(tg.mul(x, Math.SQRT1_2)).dataSync()).dataSync()),
    ).toEqual([]);
    expect(differences(geluGrad(x, w).dataSync(), gOps.dataSync())).toEqual([]);
  });

  test('without a tape (nothing kept for a backward pass), the same values', () => {
    const x = tg.tensor(uniforms(500, 5, -3, 3));
    expect(differences(tg.gelu(x).dataSync(), geluOps(x).dataSync())).toEqual([]);
  });

  test('second derivative: gelu″(x) = φ(x)(2 − x²)', () => {
    const x = tg.tensor([-2, -0.5, 0, 0.3, 1.7], [5], 'float64');
    const outer = new tg.GradientTape();
    outer.watch(x);
    const inner = new tg.GradientTape();
    inner.watch(x);
    const d1 = inner.gradient(tg.sum(tg.gelu(x)), x) as Tensor;
    const d2 = outer.gradient(tg.sum(d1), x) as Tensor;
    const phi = (v: number): number => Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI);
    const want = [-2, -0.5, 0, 0.3, 1.7].map((v) => phi(v) * (2 - v * v));
    Array.from(d2.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });
});

describe('softmax as one primitive', () => {
  const softmaxOps = (x: Tensor, axis: number): Tensor => {
    const e = tg.exp(tg.sub(x, tg.stopGradient(tg.max(x, axis, true))));
    return tg.div(e, tg.sum(e, axis, true));
  };

  test.each([
    ['float32', -1],
    ['float32', 1],
    ['float32', 0],
    ['float64', -1],
    ['float64', 1],
  ] as const)(
    '%s, axis %d: the values of exp(x − max) / sum bit for bit, the gradient within rounding',
    (dtype, axis) => {
      const x = tg.tensor(uniforms(4 * 30 * 20, 21, -20, 20), [4, 30, 20], dtype);
      const w = tg.tensor(uniforms(4 * 30 * 20, 22, -1, 1), [4, 30, 20], dtype);
      const [y, g] = valueAndGradient((t) => tg.softmax(t, axis), x, w);
      const [yOps, gOps] = valueAndGradient((t) => softmaxOps(t, axis), x, w);
      expect(differences(y, yOps)).toEqual([]);
      // TF's SoftmaxGrad, (dy − Σ dy·y)·y, rounds differently from the chain through the ops
      const tol = dtype === 'float32' ? 1e-6 : 1e-14;
      const gv = g.dataSync();
      gOps.dataSync().forEach((v, i) => expect(Math.abs(gv[i] - v)).toBeLessThanOrEqual(tol));
    },
  );

  test.each([
    [[8, 4, 64, 64], -1, 1],
    [[50, 12], -1, 100],
    [[50, 12], -1, 1000],
    [[30, 7], -1, 10],
    [[6, 8, 12], 1, 10],
  ])(
    'float32 %j, axis %d, scale %d, with NaN, ±Infinity and huge values: the values of the ops',
    (shape, axis, scale) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tg.tensor(
        Float32Array.from(uniforms(size, 41, -scale, scale), (v, i) =>
          i % 97 === 5 ? SPECIALS[((i / 97) % SPECIALS.length) | 0] : v,
        ),
        shape,
      );
      expect(differences(tg.softmax(x, axis).dataSync(), softmaxOps(x, axis).dataSync())).toEqual([]);
    },
  );

  test('a NaN or +Infinity in a row makes that row NaN, as the ops do', () => {
    const y = tg
      .softmax(
        tg.tensor([
          [1, NaN, 2],
          [1, Infinity, 2],
          [0, 0, -Infinity],
        ]),
      )
      .arraySync();
    expect(y).toEqual([
      [NaN, NaN, NaN],
      [NaN, NaN, NaN],
      [0.5, 0.5, 0],
    ]);
  });

  test('an int32 input is refused with the public name', () => {
    expect(() => tg.softmax(tg.tensor([1, 2], [2], 'int32'))).toThrow(/^softmax: /);
  });
});

describe('fused Adam step: the values and slots of the ops, bit for bit', () => {
  /** Keras 3's Adam step with the library's ops, as Adam.update wrote it before the fused kernel. */
  function adamOps(
    g: Tensor,
    w: Tensor,
    m: Tensor,
    v: Tensor,
    lr: number,
    t: number,
    b1: number,
    b2: number,
    eps: number,
  ) {
    const d = w.dtype;
    const alpha = tg.div(
      tg.mul(tg.scalar(lr, d), tg.sqrt(tg.sub(1, tg.pow(tg.scalar(b2, d), tg.scalar(t, d))))),
      tg.sub(1, tg.pow(tg.scalar(b1, d), tg.scalar(t, d))),
    );
    const m2 = tg.add(m, tg.mul(tg.sub(g, m), 1 - b1));
    const v2 = tg.add(v, tg.mul(tg.sub(tg.mul(g, g), v), 1 - b2));
    return { w: tg.sub(w, tg.div(tg.mul(m2, alpha), tg.add(tg.sqrt(v2), eps))), m: m2, v: v2 };
  }

  test.each(['float32', 'float64'] as const)('%s, three steps', (dtype) => {
    const [lr, b1, b2, eps] = [0.01, 0.8, 0.99, 1e-4];
    const w = new tg.Variable(tg.tensor(uniforms(300, 1, -1, 1), [20, 15], dtype));
    const opt = new tg.Adam({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
    let ref = { w: w.value(), m: tg.zeros([20, 15], dtype), v: tg.zeros([20, 15], dtype) };
    for (let t = 1; t <= 3; t++) {
      const g = tg.tensor(uniforms(300, 10 + t, -(10 ** (t - 2)), 10 ** (t - 2)), [20, 15], dtype);
      opt.applyGradients([[g, w]]);
      ref = adamOps(g, ref.w, ref.m, ref.v, lr, t, b1, b2, eps);
    }
    const slots = Object.fromEntries(opt.slotEntries().map((e) => [e.slot, e.value.dataSync()]));
    expect(differences(w.value().dataSync(), ref.w.dataSync())).toEqual([]);
    expect(differences(slots.m, ref.m.dataSync())).toEqual([]);
    expect(differences(slots.v, ref.v.dataSync())).toEqual([]);
  });
});

describe('reduction and strided-copy fast paths', () => {
  test.each([
    [5, 7, 1],
    [1, 64, 1],
    [3, 9, 4],
    [1, 512, 128],
    [2, 1, 3],
  ])('sum over [%d, %d, %d]: in doubles, in order, rounded once', (outer, reduced, inner) => {
    const x = uniforms(outer * reduced * inner, 5, -3, 3);
    const got = new Float32Array(outer * inner);
    reduce('sum', x, { outer, reduced, inner }, got);
    const want = new Float32Array(outer * inner);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++) {
        let s = x[o * reduced * inner + j];
        for (let k = 1; k < reduced; k++) s += x[(o * reduced + k) * inner + j];
        want[o * inner + j] = s;
      }
    expect(differences(got, want)).toEqual([]);
  });

  test.each([
    [[8, 4, 64, 32], [8192, 32, 128, 1], 0],
    [[3, 1, 5], [0, 7, 1], 2],
    [[4, 6], [1, 4], 0],
    [[2, 3, 4], [12, 0, 1], 0],
    [[], [], 3],
    [[3, 0, 2], [0, 0, 1], 0],
  ])('stridedCopy %j by %j from %d equals gatherAt(offsets)', (shape, strides, base) => {
    const src = uniforms(9000, 3, -1, 1);
    const size = shape.reduce((a, b) => a * b, 1);
    const got = new Float32Array(size);
    stridedCopy(src, shape, strides, base, got);
    const want = new Float32Array(size);
    gatherAt(src, offsets(shape, strides, base), want);
    expect(differences(got, want)).toEqual([]);
  });
});

describe('batched matmul: each item bit for bit what a single product gives', () => {
  /** `count` products of m×k by k×n, item t at the given offsets, as gemmBatch and as single gemms. */
  function both(m: number, k: number, n: number, aOffs: number[], bOffs: number[], tA: boolean, tB: boolean) {
    const a = uniforms(Math.max(...aOffs) + m * k, 1, -1, 1);
    const b = uniforms(Math.max(...bOffs) + k * n, 2, -1, 1);
    const g = (out: Float32Array): GemmArgs => ({
      a,
      aOff: 0,
      b,
      bOff: 0,
      out,
      outOff: 3,
      m,
      k,
      n,
      transA: tA,
      transB: tB,
    });
    const batched = new Float32Array(3 + aOffs.length * m * n);
    gemmBatch(g(batched), aOffs, bOffs);
    const single = new Float32Array(3 + aOffs.length * m * n);
    aOffs.forEach((_, t) => gemm({ ...g(single), aOff: aOffs[t], bOff: bOffs[t], outOff: 3 + t * m * n }));
    return { batched, single };
  }
  const consecutive = (count: number, block: number): number[] => Array.from({ length: count }, (_, t) => t * block);

  test.each([
    [64, 32, 64, false, true],
    [64, 64, 32, false, false],
    [64, 64, 32, true, false],
    [37, 29, 19, false, false],
    [37, 29, 19, true, true],
  ])('%d×%d×%d (transA %s, transB %s): consecutive, shared and scattered operands', (m, k, n, tA, tB) => {
    const count = 6;
    for (const [aOffs, bOffs] of [
      [consecutive(count, m * k), consecutive(count, k * n)],
      [consecutive(count, m * k), new Array<number>(count).fill(5)],
      [new Array<number>(count).fill(2), consecutive(count, k * n)],
      [
        [40, 0, 900, 7, 40, 3000],
        [11, 5000, 0, 11, 300, 2],
      ],
    ]) {
      const { batched, single } = both(m, k, n, aOffs, bOffs, tA, tB);
      expect(differences(batched, single)).toEqual([]);
      expect(batched.slice(0, 3)).toEqual(new Float32Array(3));
    }
  });

  test.each([
    [64, 64, 1, false, false],
    [64, 64, 3, true, true],
    [2, 30, 17, false, false],
    [3, 30, 40, true, true],
  ])('thin %d×%d×%d (transA %s, transB %s): the matrix shared, by the matrix-vector kernels', (m, k, n, tA, tB) => {
    const count = 5;
    const narrow = n < 8;
    for (const [aOffs, bOffs] of narrow
      ? [
          [new Array<number>(count).fill(4), consecutive(count, k * n)],
          [new Array<number>(count).fill(4), [9, 0, 300, 9, 41]],
        ]
      : [
          [consecutive(count, m * k), new Array<number>(count).fill(4)],
          [[9, 0, 300, 9, 41], new Array<number>(count).fill(4)],
        ]) {
      const { batched, single } = both(m, k, n, aOffs, bOffs, tA, tB);
      expect(differences(batched, single)).toEqual([]);
    }
  });

  test('32 items of 64×32×64 split with the helper thread: the same bits', async () => {
    expect(threadsWanted()).toBe(true);
    const count = 32;
    const run = () => both(64, 32, 64, consecutive(count, 64 * 32), consecutive(count, 32 * 64), false, true);
    const first = run();
    const deadline = Date.now() + 10_000;
    while (!helperRunning() && Date.now() < deadline) {
      run();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(helperRunning()).toBe(true);
    const split = run();
    expect(differences(split.batched, first.single)).toEqual([]);
    expect(differences(split.batched, split.single)).toEqual([]);
  });
});
