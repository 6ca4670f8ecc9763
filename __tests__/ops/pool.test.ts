// maxPool and avgPool: TF's documented examples, a property test against naive loops (values and
// gradients, random shapes, strides and paddings), ties, second derivatives, dtypes, empty tensors, errors.
import fc from 'fast-check';
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { ArgumentError, DTypeError, ShapeError } from '../../src/core/errors';
import { activeRecorders } from '../../src/core/recording';
import { avgPool, maxPool } from '../../src/ops/prims/pool';
import type { Padding } from '../../src/ops/prims/pool';
import { expectTensor, flat } from '../helpers';

afterEach(() => expect(activeRecorders.length).toBe(0));

/** An NHWC image [1, h, w, 1] from rows of numbers. */
const image = (rows: number[][], dtype: 'float32' | 'float64' = 'float32'): Tensor =>
  tg.tensor(rows.flat(), [1, rows.length, rows[0].length, 1], dtype);

const grid3 = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];
const grid34 = [
  [1, 2, 3, 4],
  [5, 6, 7, 8],
  [9, 10, 11, 12],
];

describe("TF's documented examples (keras.layers.MaxPooling2D, AveragePooling2D)", () => {
  test('maxPool, 2×2 windows, stride 1, valid: [[5, 6], [8, 9]]', () => {
    expectTensor(maxPool(image(grid3), 2, 1, 'valid'), [5, 6, 8, 9], [1, 2, 2, 1], 0);
  });
  test('maxPool, 2×2 windows, stride 2, valid, on 3×4: [[6, 8]]', () => {
    expectTensor(maxPool(image(grid34), [2, 2], [2, 2], 'VALID'), [6, 8], [1, 1, 2, 1], 0);
  });
  test('maxPool, 2×2 windows, stride 1, same: [[5, 6, 6], [8, 9, 9], [8, 9, 9]]', () => {
    expectTensor(maxPool(image(grid3), 2, 1, 'same'), [5, 6, 6, 8, 9, 9, 8, 9, 9], [1, 3, 3, 1], 0);
  });
  test('avgPool, 2×2 windows, stride 1, valid: [[3, 4], [6, 7]]', () => {
    // (1 + 2 + 4 + 5) / 4 = 3, (2 + 3 + 5 + 6) / 4 = 4, (4 + 5 + 7 + 8) / 4 = 6, (5 + 6 + 8 + 9) / 4 = 7
    expectTensor(avgPool(image(grid3), 2, 1, 'valid'), [3, 4, 6, 7], [1, 2, 2, 1], 0);
  });
  test('avgPool, 2×2 windows, stride 2, valid, on 3×4: [[3.5, 5.5]]', () => {
    // (1 + 2 + 5 + 6) / 4 = 3.5, (3 + 4 + 7 + 8) / 4 = 5.5
    expectTensor(avgPool(image(grid34), 2, 2, 'valid'), [3.5, 5.5], [1, 1, 2, 1], 0);
  });
  test("avgPool, 'same' divides by the in-bounds cells: [[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5, 9]]", () => {
    // the padding (one row below, one column right) is not counted: (3 + 6) / 2 = 4.5, (7 + 8) / 2 = 7.5, 9 / 1 = 9
    expectTensor(avgPool(image(grid3), 2, 1, 'same'), [3, 4, 4.5, 6, 7, 7.5, 7.5, 8.5, 9], [1, 3, 3, 1], 0);
  });
});

/** The output size and padding before, by TF's rules, written out independently of the library. */
function axis(inSize: number, k: number, s: number, pad: 'valid' | 'same' | [number, number]) {
  if (pad === 'same') {
    const out = Math.ceil(inSize / s);
    const total = Math.max(0, (out - 1) * s + k - inSize);
    return { out, before: Math.floor(total / 2) };
  }
  const [b, a] = pad === 'valid' ? [0, 0] : pad;
  return { out: Math.floor((inSize + b + a - k) / s) + 1, before: b };
}

/**
 * Naive pooling: for each output cell, the window's in-bounds cells in row-major order. Returns the
 * values, the max pool's argmax (the first strictly greater, TF's scan) and avgPool's divisor.
 */
function naive(
  x: number[],
  [n, h, w, c]: number[],
  [kh, kw]: number[],
  [sh, sw]: number[],
  pad: 'valid' | 'same' | [[number, number], [number, number]],
) {
  const rows = axis(h, kh, sh, pad === 'valid' || pad === 'same' ? pad : pad[0]);
  const cols = axis(w, kw, sw, pad === 'valid' || pad === 'same' ? pad : pad[1]);
  const max: number[] = [];
  const arg: number[] = [];
  const avg: number[] = [];
  const cells: number[][] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let ch = 0; ch < c; ch++) {
          const window: number[] = [];
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const y = i * sh - rows.before + di;
              const z = j * sw - cols.before + dj;
              if (y >= 0 && y < h && z >= 0 && z < w) window.push(((b * h + y) * w + z) * c + ch);
            }
          let best = window[0];
          for (const k of window) if (x[k] > x[best]) best = k;
          max.push(x[best]);
          arg.push(best);
          avg.push(window.reduce((t, k) => t + x[k], 0) / window.length);
          cells.push(window);
        }
  return { shape: [n, rows.out, cols.out, c], max, arg, avg, cells };
}

const padArb = fc.oneof(
  fc.constant<'valid'>('valid'),
  fc.constant<'same'>('same'),
  fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)),
);

test('property: values and gradients equal naive loops on random shapes, strides and paddings (both dtypes)', () => {
  fc.assert(
    fc.property(
      fc.record({
        n: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 1, max: 7 }),
        w: fc.integer({ min: 1, max: 7 }),
        c: fc.integer({ min: 1, max: 3 }),
        kh: fc.integer({ min: 1, max: 4 }),
        kw: fc.integer({ min: 1, max: 4 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 3 }),
        pad: padArb,
        dtype: fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
        seed: fc.nat(1000),
        ties: fc.boolean(),
      }),
      ({ n, h, w, c, kh, kw, sh, sw, pad, dtype, seed, ties }) => {
        // explicit pads smaller than the window (TF's rule), and a window that fits the padded input
        const p: 'valid' | 'same' | [[number, number], [number, number]] =
          typeof pad === 'string'
            ? pad
            : [
                [pad[0] % kh, pad[1] % kh],
                [pad[2] % kw, pad[3] % kw],
              ];
        const padH = p === 'valid' ? 0 : p === 'same' ? kh : p[0][0] + p[0][1];
        const padW = p === 'valid' ? 0 : p === 'same' ? kw : p[1][0] + p[1][1];
        fc.pre(h + padH >= kh && w + padW >= kw);
        const shape = [n, h, w, c];
        // with ties: small integers, so windows often hold equal maxima
        const raw = tg.randomUniform(shape, { minval: -2, maxval: 2, seed, dtype });
        const x = ties ? tg.round(raw) : raw;
        const xs = flat(x);
        const want = naive(xs, shape, [kh, kw], [sh, sw], p);
        const padding: Padding = typeof p === 'string' ? p : [[0, 0], ...p, [0, 0]];
        expectTensor(maxPool(x, [kh, kw], [sh, sw], padding), want.max, want.shape, 0);
        expectTensor(avgPool(x, [kh, kw], [sh, sw], padding), want.avg, want.shape, dtype === 'float32' ? 1e-6 : 1e-14);
        // gradients of Σ dy·pool(x): dy to the argmax; dy / count to each in-bounds cell
        const dy = tg.randomUniform(want.shape, { minval: -1, maxval: 1, seed: seed + 1, dtype });
        const dys = flat(dy);
        const gMax = new Array<number>(xs.length).fill(0);
        const gAvg = new Array<number>(xs.length).fill(0);
        want.arg.forEach((k, j) => (gMax[k] += dys[j]));
        want.cells.forEach((cells, j) => cells.forEach((k) => (gAvg[k] += dys[j] / cells.length)));
        const dMax = tg.grad((v: Tensor) => tg.sum(maxPool(v, [kh, kw], [sh, sw], padding).mul(dy)))(x) as Tensor;
        const dAvg = tg.grad((v: Tensor) => tg.sum(avgPool(v, [kh, kw], [sh, sw], padding).mul(dy)))(x) as Tensor;
        expectTensor(dMax, gMax, shape, dtype === 'float32' ? 1e-6 : 1e-14);
        expectTensor(dAvg, gAvg, shape, dtype === 'float32' ? 1e-6 : 1e-14);
        // forward mode: the tangent is read at the argmax
        const t = tg.randomUniform(shape, { minval: -1, maxval: 1, seed: seed + 2, dtype });
        const ts = flat(t);
        const { tangent: jvp } = tg.jvp((v: Tensor) => maxPool(v, [kh, kw], [sh, sw], padding), x, t);
        expectTensor(
          jvp,
          want.arg.map((k) => ts[k]),
          want.shape,
          0,
        );
      },
    ),
    { numRuns: 200 },
  );
});

describe('ties, and the derivatives TF does not have', () => {
  test("the gradient goes to the first maximum in row-major order, as TF's MaxPoolGrad", () => {
    // window [[1, 3], [3, 2]]: both 3s tie; (0, 1) comes before (1, 0), so it takes the gradient
    const x = image([
      [1, 3],
      [3, 2],
    ]);
    const g = tg.grad((v: Tensor) => tg.sum(maxPool(v, 2, 1, 'valid')))(x) as Tensor;
    expectTensor(g, [0, 1, 0, 0], [1, 2, 2, 1], 0);
    // all equal: the first cell
    const g1 = tg.grad((v: Tensor) => tg.sum(maxPool(v, 2, 2, 'valid')))(tg.ones([1, 2, 2, 1])) as Tensor;
    expectTensor(g1, [1, 0, 0, 0], [1, 2, 2, 1], 0);
  });

  test('overlapping windows add their gradients at a shared maximum', () => {
    // 9 is the maximum of all four 2×2 windows of the 3×3 grid, so it gets 1 + 1 + 1 + 1
    const g = tg.grad((v: Tensor) => tg.sum(maxPool(v, 2, 1, 'valid')))(image(grid3)) as Tensor;
    expectTensor(g, [0, 0, 0, 0, 1, 1, 0, 1, 1], [1, 3, 3, 1], 0);
  });

  test('second derivative: d²/dx² Σ maxPool(x)² is 2 at each window maximum (TF has none)', () => {
    // Σ m² over the two windows [[1, 4], [2, 3]] and [[8, 5], [6, 7]], maxima 4 and 8:
    // gradient 2m at the maxima, and the Hessian diagonal 2 there, 0 elsewhere
    const x = tg.tensor([1, 4, 8, 5, 2, 3, 6, 7], [1, 2, 4, 1], 'float64');
    const f = (v: Tensor) => tg.sum(maxPool(v, 2, 2, 'valid').square());
    const g = tg.grad(f)(x) as Tensor;
    expectTensor(g, [0, 8, 16, 0, 0, 0, 0, 0], [1, 2, 4, 1], 0);
    const h = tg.hessian(f)(x);
    const diag = flat(h).filter((_, i) => i % 9 === 0);
    expect(diag).toEqual([0, 2, 2, 0, 0, 0, 0, 0]);
    expect(flat(h).reduce((a, b) => a + b, 0)).toBe(4);
  });

  test('avgPool is linear: its second derivative is 0 and its gradient needs no input', () => {
    // d/dx Σ avgPool(x)² = 2·avgPoolGrad(avgPool(x)); on the 2×2 image [[1, 2], [3, 4]] with one window:
    // the mean 2.5, so each cell gets 2·2.5/4 = 1.25
    const f = (v: Tensor) => tg.sum(avgPool(v, 2, 2, 'valid').square());
    const x = image(
      [
        [1, 2],
        [3, 4],
      ],
      'float64',
    );
    const g = tg.grad(f)(x) as Tensor;
    expectTensor(g, [1.25, 1.25, 1.25, 1.25], [1, 2, 2, 1], 1e-15);
    // the Hessian is 2·(1/4)(1/4) = 0.125 everywhere
    expectTensor(tg.hessian(f)(x), new Array<number>(16).fill(0.125), [1, 2, 2, 1, 1, 2, 2, 1], 1e-15);
  });
});

describe('dtypes, shapes and edge cases', () => {
  test('int32 maxPool keeps its dtype; float64 stays float64', () => {
    const xi = tg.tensor([3, -1, 7, 2], [1, 2, 2, 1], 'int32');
    const mi = maxPool(xi, 2, 2, 'valid');
    expect(mi.dtype).toBe('int32');
    expectTensor(mi, [7], [1, 1, 1, 1], 0);
    expect(avgPool(image(grid3, 'float64'), 3, 1, 'valid').dtype).toBe('float64');
    // (1 + … + 9) / 9 = 5
    expectTensor(avgPool(image(grid3, 'float64'), 3, 1, 'valid'), [5], [1, 1, 1, 1], 0);
  });

  test('channels and images are pooled apart; strides given as TF lists of 4', () => {
    // two channels: c0 = 1…8, c1 = -(1…8) on a 2×4 image; windows 2×2 stride 2
    const vals = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((v) => [v, -v]);
    const x = tg.tensor(vals, [1, 2, 4, 2]);
    // c0 maxima: max(1, 2, 5, 6) = 6, max(3, 4, 7, 8) = 8; c1: max(-1, -2, -5, -6) = -1, -3
    expectTensor(maxPool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'valid'), [6, -1, 8, -3], [1, 1, 2, 2], 0);
    // means: (1 + 2 + 5 + 6) / 4 = 3.5, (3 + 4 + 7 + 8) / 4 = 5.5
    expectTensor(avgPool(x, 2, 2, 'valid'), [3.5, -3.5, 5.5, -5.5], [1, 1, 2, 2], 0);
  });

  test('explicit padding: padded cells never win, and are not counted in the mean', () => {
    // [[-1, -2], [-3, -4]] padded by one row above and one column left, 2×2 windows stride 1
    const x = image([
      [-1, -2],
      [-3, -4],
    ]);
    const p: Padding = [
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 0],
    ];
    // windows: {-1}, {-1, -2}, {-1, -3}, {-1, -2, -3, -4}: max -1 everywhere
    expectTensor(maxPool(x, 2, 1, p), [-1, -1, -1, -1], [1, 2, 2, 1], 0);
    // means: -1, -1.5, -2, -2.5
    expectTensor(avgPool(x, 2, 1, p), [-1, -1.5, -2, -2.5], [1, 2, 2, 1], 0);
  });

  test('empty tensors: an empty batch or channel axis, and an empty image with same padding', () => {
    expectTensor(maxPool(tg.zeros([0, 4, 4, 2]), 2, 2, 'valid'), [], [0, 2, 2, 2]);
    expectTensor(avgPool(tg.zeros([2, 4, 4, 0]), 2, 2, 'same'), [], [2, 2, 2, 0]);
    expectTensor(maxPool(tg.zeros([1, 0, 3, 1]), 2, 1, 'same'), [], [1, 0, 3, 1]);
    const g = tg.grad((v: Tensor) => tg.sum(maxPool(v, 2, 2, 'valid')))(tg.zeros([0, 4, 4, 1])) as Tensor;
    expectTensor(g, [], [0, 4, 4, 1]);
  });

  test('a Variable is read, and its gradient recorded', () => {
    const v = new tg.Variable(image(grid3));
    using tape = new tg.GradientTape();
    const y = tg.sum(avgPool(v, 3, 3, 'valid'));
    expectTensor(y, 5, [], 0);
    expectTensor(tape.gradient(y, v) as Tensor, new Array<number>(9).fill(1 / 9), [1, 3, 3, 1], 1e-7);
  });
});

describe('bad inputs: errors name the op, and nothing is recorded', () => {
  const x = tg.zeros([1, 4, 4, 1]);
  test.each([
    ['maxPool', maxPool],
    ['avgPool', avgPool],
  ] as const)('%s', (name, pool) => {
    expect(() => pool(tg.zeros([4, 4, 1]), 2, 2, 'valid')).toThrow(ShapeError);
    expect(() => pool(tg.zeros([4, 4, 1]), 2, 2, 'valid')).toThrow(new RegExp(`^${name}: expected a rank-4 NHWC`));
    expect(() => pool(tg.tensor([true], [1, 1, 1, 1]), 1, 1, 'valid')).toThrow(DTypeError);
    expect(() => pool(x, 0, 1, 'valid')).toThrow(ArgumentError);
    expect(() => pool(x, 0, 1, 'valid')).toThrow(new RegExp(`^${name}: filterSize must be >= 1`));
    expect(() => pool(x, [2, 2, 2], 1, 'valid')).toThrow(new RegExp(`^${name}: filterSize must have length 1, 2 or 4`));
    expect(() => pool(x, 2, 1.5, 'valid')).toThrow(new RegExp(`^${name}: strides must be an integer`));
    expect(() => pool(x, 2, 1, 'full' as Padding)).toThrow(new RegExp(`^${name}: padding must be 'valid', 'same'`));
    expect(() => pool(x, 2, 1, [[1, 1]])).toThrow(ArgumentError);
    // TF: explicit padding must be smaller than the window
    expect(() =>
      pool(x, 2, 1, [
        [0, 0],
        [2, 0],
        [0, 0],
        [0, 0],
      ]),
    ).toThrow(new RegExp(`^${name}: explicit padding of the height must be smaller than the filter size 2`));
    // a window larger than the input by a stride or more, with no padding
    expect(() => pool(x, 6, 1, 'valid')).toThrow(ShapeError);
    expect(() => pool(x, 6, 1, 'valid')).toThrow(new RegExp(`^${name}: the filter is larger than the padded input`));
    // a failed call leaves nothing on a tape watching its input
    using tape = new tg.GradientTape();
    tape.watch(x);
    expect(() => pool(x, 2, 1, 'nope' as Padding)).toThrow(ArgumentError);
    expect(() => pool(x, 9, 1, 'valid')).toThrow(ShapeError);
    expect(tape.toString()).toBe('GradientTape(persistent=false, 0 ops)');
  });

  test('avgPool takes floats only, as TF; maxPool also int32', () => {
    expect(() => avgPool(tg.tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), 2, 2, 'valid')).toThrow(
      /^avgPool: expected a float32 or float64 tensor, got int32/,
    );
    expect(() => maxPool(tg.tensor([true], [1, 1, 1, 1]), 1, 1, 'valid')).toThrow(
      /^maxPool: expected a float32, float64 or int32 tensor, got bool/,
    );
  });
});
