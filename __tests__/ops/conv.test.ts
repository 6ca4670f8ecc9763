// Convolutions: conv2d, conv1d, conv2dTranspose and depthwiseConv2d against a naive direct loop (a
// property test over shapes, strides, dilations and paddings), TF's documented values, hand-computed
// values, float32 through the WebAssembly matmul, and the argument errors.
import fc from 'fast-check';
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d } from '../../src/ops/prims/conv';
import type { Padding } from '../../src/ops/prims/conv';
import { expectTensor, flat } from '../helpers';

const f64 = (v: number[], shape: number[]) => tg.tensor(v, shape, 'float64');
const rand = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64') =>
  tg.randomUniform(shape, { minval: -1, maxval: 1, seed, dtype });

// ---- the naive reference: the definition, one multiply-add at a time -------------------------------------

interface Win {
  s: [number, number];
  d: [number, number];
  /** [top, bottom, left, right] */
  pads: [number, number, number, number];
  out: [number, number];
}

/** The output size and padding of one axis, from TF's documented rules (written out again here). */
function axis(inSize: number, k: number, s: number, d: number, padding: 'valid' | 'same' | [number, number]) {
  const eff = (k - 1) * d + 1;
  if (padding === 'same') {
    const out = Math.ceil(inSize / s);
    const total = Math.max(0, (out - 1) * s + eff - inSize);
    return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
  }
  const [before, after] = padding === 'valid' ? [0, 0] : padding;
  return { out: Math.floor((inSize + before + after - eff) / s) + 1, before, after };
}

function windowOf(
  h: number,
  w: number,
  kh: number,
  kw: number,
  s: [number, number],
  d: [number, number],
  padding: Padding,
): Win {
  const p = (i: number): 'valid' | 'same' | [number, number] =>
    padding === 'valid' || padding === 'same'
      ? padding
      : [(padding as readonly (readonly number[])[])[i + 1][0], (padding as readonly (readonly number[])[])[i + 1][1]];
  const a = axis(h, kh, s[0], d[0], p(0));
  const b = axis(w, kw, s[1], d[1], p(1));
  return { s, d, pads: [a.before, a.after, b.before, b.after], out: [a.out, b.out] };
}

/** Calls body(b, oy, ox, i, j, iy, ix) for every output pixel and filter tap that reads inside the image. */
function taps(
  n: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  win: Win,
  body: (b: number, oy: number, ox: number, i: number, j: number, iy: number, ix: number) => void,
): void {
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < win.out[0]; oy++)
      for (let ox = 0; ox < win.out[1]; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const iy = oy * win.s[0] - win.pads[0] + i * win.d[0];
            const ix = ox * win.s[1] - win.pads[2] + j * win.d[1];
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) body(b, oy, ox, i, j, iy, ix);
          }
}

/** conv2d's output and its gradients for the upstream gradient dy, by the definition. */
function naiveConv(x: Tensor, f: Tensor, dy: Tensor | null, win: Win, depthwise: boolean) {
  const [n, h, w, ci] = x.shape;
  const [kh, kw, , m] = f.shape;
  const co = depthwise ? ci * m : m;
  const [oh, ow] = win.out;
  const X = flat(x);
  const F = flat(f);
  const D = dy ? flat(dy) : [];
  const y = new Array<number>(n * oh * ow * co).fill(0);
  const dx = new Array<number>(X.length).fill(0);
  const df = new Array<number>(F.length).fill(0);
  taps(n, h, w, kh, kw, win, (b, oy, ox, i, j, iy, ix) => {
    const o = ((b * oh + oy) * ow + ox) * co;
    const xi = ((b * h + iy) * w + ix) * ci;
    for (let c = 0; c < ci; c++)
      for (let q = 0; q < m; q++) {
        const fi = ((i * kw + j) * ci + c) * m + q;
        const oc = o + (depthwise ? c * m + q : q);
        y[oc] += X[xi + c] * F[fi];
        if (dy) {
          dx[xi + c] += D[oc] * F[fi];
          df[fi] += D[oc] * X[xi + c];
        }
      }
  });
  return { y, shape: [n, oh, ow, co], dx, df };
}

/** The op's output and its tape gradients for dy. */
function withGradients(op: (x: Tensor, f: Tensor) => Tensor, x: Tensor, f: Tensor, dy: (shape: number[]) => Tensor) {
  using tape = new tg.GradientTape();
  tape.watch(x);
  tape.watch(f);
  const y = op(x, f);
  const g = dy([...y.shape]);
  const [dx, df] = tape.gradient(y, [x, f], { outputGradients: g }) as Tensor[];
  return { y, g, dx, df };
}

const paddingArb = (n: number): fc.Arbitrary<Padding> =>
  fc.oneof(
    fc.constant('valid' as const),
    fc.constant('same' as const),
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
        minLength: n,
        maxLength: n,
      })
      .map((ps) => [[0, 0] as [number, number], ...ps, [0, 0] as [number, number]]),
  );

const geometryArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 7 }),
  w: fc.integer({ min: 1, max: 7 }),
  ci: fc.integer({ min: 1, max: 3 }),
  co: fc.integer({ min: 1, max: 3 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padding: paddingArb(2),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe('against the naive loop (property, float64)', () => {
  test('conv2d: output, input gradient, filter gradient; conv2dTranspose is the input gradient', () => {
    fc.assert(
      fc.property(geometryArb, ({ n, h, w, ci, co, kh, kw, s, d, padding, seed }) => {
        const win = windowOf(h, w, kh, kw, s, d, padding);
        fc.pre(win.out[0] >= 1 && win.out[1] >= 1);
        const x = rand([n, h, w, ci], seed);
        const f = rand([kh, kw, ci, co], seed + 1);
        const got = withGradients(
          (a, b) => conv2d(a, b, s, padding, 'NHWC', d),
          x,
          f,
          (sh) => rand(sh, seed + 2),
        );
        const want = naiveConv(x, f, got.g, win, false);
        expectTensor(got.y, want.y, want.shape, 1e-12);
        expectTensor(got.dx, want.dx, x.shape, 1e-12);
        expectTensor(got.df, want.df, f.shape, 1e-12);
        if (d[0] === 1 && d[1] === 1)
          expectTensor(conv2dTranspose(got.g, f, [...x.shape], s, padding), want.dx, x.shape, 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  test('depthwiseConv2d: output, input gradient, filter gradient', () => {
    fc.assert(
      fc.property(geometryArb, ({ n, h, w, ci, co, kh, kw, s, d, padding, seed }) => {
        // TF refuses strides > 1 together with dilations > 1 here
        const dd: [number, number] = s[0] > 1 || s[1] > 1 ? [1, 1] : d;
        const win = windowOf(h, w, kh, kw, s, dd, padding);
        fc.pre(win.out[0] >= 1 && win.out[1] >= 1);
        const x = rand([n, h, w, ci], seed);
        const f = rand([kh, kw, ci, co], seed + 1);
        const got = withGradients(
          (a, b) => depthwiseConv2d(a, b, s, padding, 'NHWC', dd),
          x,
          f,
          (sh) => rand(sh, seed + 2),
        );
        const want = naiveConv(x, f, got.g, win, true);
        expectTensor(got.y, want.y, want.shape, 1e-12);
        expectTensor(got.dx, want.dx, x.shape, 1e-12);
        expectTensor(got.df, want.df, f.shape, 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  test('conv1d is conv2d over a height of 1', () => {
    fc.assert(
      fc.property(geometryArb, paddingArb(1), ({ n, w, ci, co, kw, s, d, seed }, padding) => {
        const p2: Padding = typeof padding === 'string' ? padding : [[0, 0], [0, 0], ...padding.slice(1)];
        const win = windowOf(1, w, 1, kw, [1, s[1]], [1, d[1]], p2);
        fc.pre(win.out[1] >= 1);
        const x = rand([n, w, ci], seed);
        const f = rand([kw, ci, co], seed + 1);
        const got = withGradients(
          (a, b) => conv1d(a, b, s[1], padding, 'NWC', d[1]),
          x,
          f,
          (sh) => rand(sh, seed + 2),
        );
        const want = naiveConv(
          x.reshape([n, 1, w, ci]),
          f.reshape([1, kw, ci, co]),
          got.g.reshape([n, 1, -1, co]),
          win,
          false,
        );
        expectTensor(got.y, want.y, [n, win.out[1], co], 1e-12);
        expectTensor(got.dx, want.dx, x.shape, 1e-12);
        expectTensor(got.df, want.df, f.shape, 1e-12);
      }),
      { numRuns: 80 },
    );
  });
});

describe('float32, through the WebAssembly matmul, in chunks', () => {
  test.each([
    // [n, h, w, ci, co, k, stride, padding]: the last one's patch matrix (8·32·32 rows × 144) is built in two chunks
    [4, 12, 12, 3, 16, 3, 1, 'same'],
    [2, 9, 9, 4, 16, 1, 1, 'valid'],
    [8, 32, 32, 16, 4, 3, 1, 'same'],
  ] as const)('[%i, %i, %i, %i] * %i filters of size %i, stride %i, %s', (n, h, w, ci, co, k, s, padding) => {
    const x = rand([n, h, w, ci], 5, 'float32');
    const f = rand([k, k, ci, co], 6, 'float32');
    const got = withGradients(
      (a, b) => conv2d(a, b, s, padding),
      x,
      f,
      (sh) => rand(sh, 7, 'float32'),
    );
    expect(got.y.dtype).toBe('float32');
    expect(got.dx.dtype).toBe('float32');
    const win = windowOf(h, w, k, k, [s, s], [1, 1], padding);
    const want = naiveConv(x, f, got.g, win, false);
    expectTensor(got.y, want.y, want.shape, 2e-5);
    expectTensor(got.dx, want.dx, x.shape, 2e-5);
    expectTensor(got.df, want.df, f.shape, 1e-4);
  });
});

describe('values from TF documentation and by hand', () => {
  // tf.nn.depthwise_conv2d's docstring: x = [[1, 2], [3, 4], [5, 6]] as [1, 3, 2, 1], kernel [[1, 2], [3, 4]] as [2, 1, 1, 2]
  const x = f64([1, 2, 3, 4, 5, 6], [1, 3, 2, 1]);
  const k = f64([1, 2, 3, 4], [2, 1, 1, 2]);

  test("depthwiseConv2d 'valid' (TF's docstring)", () => {
    // out[0, 0, 0] = 1·[1, 2] + 3·[3, 4] = [10, 14]
    expectTensor(depthwiseConv2d(x, k, [1, 1, 1, 1], 'valid'), [10, 14, 14, 20, 18, 26, 22, 32], [1, 2, 2, 2], 0);
  });

  test("depthwiseConv2d with explicit padding [[0, 0], [1, 0], [1, 0], [0, 0]] (TF's docstring)", () => {
    const pad: Padding = [
      [0, 0],
      [1, 0],
      [1, 0],
      [0, 0],
    ];
    expectTensor(
      depthwiseConv2d(x, k, 1, pad),
      [0, 0, 3, 4, 6, 8, 0, 0, 10, 14, 14, 20, 0, 0, 18, 26, 22, 32],
      [1, 3, 3, 2],
      0,
    );
  });

  const row = (v: number[]) => f64(v, [1, 1, v.length, 1]);
  const taps1 = (v: number[]) => f64(v, [1, v.length, 1, 1]);

  test("'same', stride 1, even filter: the extra padding column is on the right", () => {
    // width 4, filter [1, 10]: padding 1 in all, 0 left, 1 right: [1 + 20, 2 + 30, 3 + 40, 4 + 0]
    expectTensor(conv2d(row([1, 2, 3, 4]), taps1([1, 10]), 1, 'same'), [21, 32, 43, 4], [1, 1, 4, 1], 0);
  });

  test("'same', stride 2: ceil(6 / 2) = 3 outputs, padding (3 - 1)·2 + 3 - 6 = 1, on the right", () => {
    // windows at 0, 2, 4 of [1..6] with [1, 10, 100]: 1 + 20 + 300, 3 + 40 + 500, 5 + 60 + 0
    expectTensor(conv2d(row([1, 2, 3, 4, 5, 6]), taps1([1, 10, 100]), 2, 'same'), [321, 543, 65], [1, 1, 3, 1], 0);
  });

  test("'same', stride 2, odd width: padding 2 split 1 left, 1 right", () => {
    // windows at -1, 1, 3 of [1..5]: 0 + 10 + 200, 2 + 30 + 400, 4 + 50 + 0
    expectTensor(conv2d(row([1, 2, 3, 4, 5]), taps1([1, 10, 100]), [1, 2], 'same'), [210, 432, 54], [1, 1, 3, 1], 0);
  });

  test('dilation 2: taps two apart', () => {
    // [1..5] with [1, _, 10]: 1 + 30, 2 + 40, 3 + 50
    expectTensor(
      conv1d(f64([1, 2, 3, 4, 5], [1, 5, 1]), f64([1, 10], [2, 1, 1]), 1, 'valid', 'NWC', 2),
      [31, 42, 53],
      [1, 3, 1],
      0,
    );
  });

  test('channels mix through the filter', () => {
    // one pixel, channels [1, 2], filter [[1, 0, 1], [0, 1, 1]] (in × out): [1, 2, 3]
    const f = f64([1, 0, 1, 0, 1, 1], [1, 1, 2, 3]);
    expectTensor(conv2d(f64([1, 2], [1, 1, 1, 2]), f, 1, 'valid'), [1, 2, 3], [1, 1, 1, 3], 0);
  });

  test('conv2dTranspose spreads each input cell over the filter', () => {
    // input [[1, 2]] (1×2), filter [1, 10] (1×2), stride 2, output width 4: [1, 10, 2, 20]
    expectTensor(
      conv2dTranspose(row([1, 2]), taps1([1, 10]), [1, 1, 4, 1], 2, 'valid'),
      [1, 10, 2, 20],
      [1, 1, 4, 1],
      0,
    );
    // stride 1, output width 3: overlapping, [1, 10 + 2, 20]
    expectTensor(conv2dTranspose(row([1, 2]), taps1([1, 10]), [1, 1, 3, 1], 1, 'valid'), [1, 12, 20], [1, 1, 3, 1], 0);
  });

  test('a filter one wider than the input gives an empty output, as TF (its division truncates toward 0)', () => {
    expect(conv2d(tg.ones([1, 2, 2, 1]), tg.ones([3, 3, 1, 1]), 1, 'valid').shape).toEqual([1, 0, 0, 1]);
  });

  test('an empty batch', () => {
    const y = conv2d(tg.zeros([0, 3, 3, 2]), tg.ones([2, 2, 2, 4]), 1, 'same');
    expect(y.shape).toEqual([0, 3, 3, 4]);
  });

  test("the upper-case forms 'SAME' and 'VALID' are TF's", () => {
    expectTensor(conv2d(row([1, 2, 3, 4]), taps1([1, 10]), 1, 'SAME'), [21, 32, 43, 4], [1, 1, 4, 1], 0);
  });

  test('gradients of a mean over conv2d, by hand', () => {
    // y = conv of a 1×3 row with [w0, w1] ('valid'): [x0 w0 + x1 w1, x1 w0 + x2 w1]; Σy w.r.t. w: [x0 + x1, x1 + x2]
    const xr = row([1, 2, 4]);
    const w = taps1([3, 5]);
    using tape = new tg.GradientTape();
    tape.watch(w);
    tape.watch(xr);
    const [gx, gw] = tape.gradient(tg.sum(conv2d(xr, w, 1, 'valid')), [xr, w]) as Tensor[];
    expectTensor(gw, [3, 6], [1, 2, 1, 1], 0);
    // w.r.t. x: [w0, w0 + w1, w1]
    expectTensor(gx, [3, 8, 5], [1, 1, 3, 1], 0);
  });
});

describe('bad inputs name the op and record nothing', () => {
  const x = tg.ones([1, 4, 4, 2]);
  const f = tg.ones([2, 2, 2, 3]);
  const cases: [string, () => unknown, unknown, RegExp][] = [
    [
      'channel mismatch',
      () => conv2d(x, tg.ones([2, 2, 3, 1]), 1, 'valid'),
      tg.ShapeError,
      /^conv2d: the input has 2 channels but the filter expects 3/,
    ],
    [
      'filter larger than the padded input',
      () => conv2d(x, tg.ones([6, 6, 2, 1]), 1, 'valid'),
      tg.ShapeError,
      /^conv2d: the filter is larger than the padded input along the height/,
    ],
    [
      'dilated filter larger',
      () => conv2d(x, tg.ones([3, 1, 2, 1]), 1, 'valid', 'NHWC', 3),
      tg.ShapeError,
      /^conv2d: the filter is larger .*effective filter size 7/,
    ],
    ['input rank', () => conv2d(tg.ones([4, 4, 2]), f, 1, 'valid'), tg.ShapeError, /^conv2d: input must have rank 4/],
    ['filter rank', () => conv2d(x, tg.ones([2, 2, 2]), 1, 'valid'), tg.ShapeError, /^conv2d: filter must have rank 4/],
    [
      'int32',
      () => conv2d(tg.ones([1, 4, 4, 2], 'int32'), tg.ones([2, 2, 2, 3], 'int32'), 1, 'valid'),
      tg.DTypeError,
      /^conv2d: expected a float32 or float64 tensor, got int32/,
    ],
    ['NCHW', () => conv2d(x, f, 1, 'valid', 'NCHW'), tg.ArgumentError, /^conv2d: dataFormat 'NCHW' is not supported/],
    [
      'unknown format',
      () => conv2d(x, f, 1, 'valid', 'NWHC' as 'NHWC'),
      tg.ArgumentError,
      /^conv2d: dataFormat must be one of/,
    ],
    ['stride 0', () => conv2d(x, f, 0, 'valid'), tg.ArgumentError, /^conv2d: strides must be >= 1/],
    [
      '3 strides',
      () => conv2d(x, f, [1, 1, 1], 'valid'),
      tg.ArgumentError,
      /^conv2d: strides must have length 1, 2 or 4/,
    ],
    [
      'batch stride',
      () => conv2d(x, f, [2, 1, 1, 1], 'valid'),
      tg.ArgumentError,
      /^conv2d: strides in the batch and channel dimensions must be 1/,
    ],
    [
      'fractional dilation',
      () => conv2d(x, f, 1, 'valid', 'NHWC', 1.5),
      tg.ArgumentError,
      /^conv2d: dilations must be an integer/,
    ],
    [
      'padding name',
      () => conv2d(x, f, 1, 'full' as 'same'),
      tg.ArgumentError,
      /^conv2d: padding must be 'valid', 'same' or/,
    ],
    [
      'padding pairs',
      () =>
        conv2d(x, f, 1, [
          [1, 1],
          [1, 1],
        ]),
      tg.ArgumentError,
      /^conv2d: padding must be .*4 pairs/,
    ],
    [
      'batch padding',
      () =>
        conv2d(x, f, 1, [
          [1, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
      tg.ArgumentError,
      /^conv2d: explicit padding of the batch and channel dimensions must be \[0, 0\]/,
    ],
    [
      'negative padding',
      () =>
        conv2d(x, f, 1, [
          [0, 0],
          [-1, 0],
          [0, 0],
          [0, 0],
        ]),
      tg.ArgumentError,
      /^conv2d: padding must be/,
    ],
    ['conv1d rank', () => conv1d(x, tg.ones([2, 2, 3]), 1, 'valid'), tg.ShapeError, /^conv1d: input must have rank 3/],
    [
      'conv1d NCW',
      () => conv1d(tg.ones([1, 4, 2]), tg.ones([2, 2, 3]), 1, 'valid', 'NCW'),
      tg.ArgumentError,
      /^conv1d: dataFormat 'NCW' is not supported/,
    ],
    [
      'conv1d channels',
      () => conv1d(tg.ones([1, 4, 2]), tg.ones([2, 3, 3]), 1, 'valid'),
      tg.ShapeError,
      /^conv1d: the input has 2 channels but the filter expects 3/,
    ],
    [
      'transpose outputShape size',
      () => conv2dTranspose(tg.ones([1, 2, 2, 3]), f, [1, 5, 5, 2], 1, 'valid'),
      tg.ShapeError,
      /^conv2dTranspose: conv2d of an input of shape \[1,5,5,2\]/,
    ],
    [
      'transpose channels',
      () => conv2dTranspose(tg.ones([1, 3, 3, 2]), f, [1, 4, 4, 2], 1, 'valid'),
      tg.ShapeError,
      /^conv2dTranspose: the input has 2 channels but the filter's last axis/,
    ],
    [
      'transpose outputShape channels',
      () => conv2dTranspose(tg.ones([1, 3, 3, 3]), f, [1, 4, 4, 5], 1, 'valid'),
      tg.ShapeError,
      /^conv2dTranspose: outputShape \[1,4,4,5\] needs/,
    ],
    [
      'transpose outputShape rank',
      () => conv2dTranspose(tg.ones([1, 3, 3, 3]), f, [4, 4, 2], 1, 'valid'),
      tg.ShapeError,
      /^conv2dTranspose: outputShape must have 4 entries/,
    ],
    [
      'depthwise strides with dilations',
      () => depthwiseConv2d(x, tg.ones([2, 2, 2, 1]), 2, 'valid', 'NHWC', 2),
      tg.ArgumentError,
      /^depthwiseConv2d: strides > 1 are not supported together with dilations > 1/,
    ],
    [
      'depthwise channels',
      () => depthwiseConv2d(x, tg.ones([2, 2, 3, 1]), 1, 'valid'),
      tg.ShapeError,
      /^depthwiseConv2d: the input has 2 channels/,
    ],
  ];

  test.each(cases)('%s', (_name, call, cls, message) => {
    expect(call).toThrow(cls as new () => Error);
    expect(call).toThrow(message);
  });

  test('a refused mixed-dtype pair leaves no cast on a watching tape', () => {
    const xw = tg.ones([1, 4, 4, 2], 'float64');
    using tape = new tg.GradientTape();
    tape.watch(xw);
    expect(() => conv2d(xw, tg.ones([2, 2, 3, 1]), 1, 'valid')).toThrow(/^conv2d: the input has 2 channels/);
    expect(tape.toString().split('\n')[0]).toBe('GradientTape(persistent=false, 0 ops)');
  });
});
