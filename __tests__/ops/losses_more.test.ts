// The losses Keras 3 has beyond the first six, against Keras's formulas (keras/src/losses/losses.py) by hand;
// figures quoted as "Keras" come from its docstrings and keras/src/losses/losses_test.py.
import * as tg from '../../src';
import { expectTensor, flat } from '../helpers';

const EPS = 1e-7;
// Keras's test arrays
const T = [
  [1, 9, 2],
  [-5, -2, 6],
];
const P = [
  [4, 8, 12],
  [8, 1, 3],
];
const rowMean = (m: number[][], f: (t: number, p: number) => number, other: number[][]): number[] =>
  m.map((row, i) => row.reduce((a, t, j) => a + f(t, other[i][j]), 0) / row.length);
const hingeY = [
  [0, 1],
  [0, 0],
];
const hingeP = [
  [0.6, 0.4],
  [0.4, 0.6],
];

describe('hinge losses', () => {
  test('hinge: 0/1 labels read as -1/1, mean(max(1 - z·p, 0)) per sample (Keras: 1.3, 2.6, [1.1, 1.5])', () => {
    // labels → [[-1, 1], [-1, -1]]: rows [1.6, 0.6] and [1.4, 1.6]
    expectTensor(tg.losses.hinge(hingeY, hingeP, { reduction: 'none' }), [1.1, 1.5], [2]);
    expectTensor(tg.losses.hinge(hingeY, hingeP, { reduction: 'sum' }), 2.6, []);
    expectTensor(tg.losses.hinge(hingeY, hingeP), 1.3, []);
    // labels already -1/1 are kept; a margin beyond 1 gives 0
    expectTensor(tg.losses.hinge([[-1, 1]], [[-2, 0.5]]), (0 + 0.5) / 2, []);
    // labels not all 0/1 (a 2 among them) are not converted: the 0 stays 0, so max(1 - 0·p, 0) = 1
    expectTensor(tg.losses.hinge([[0, 2]], [[0.5, 0.25]]), (1 + 0.5) / 2, []);
  });

  test('squaredHinge: the same margins squared (Keras: 1.86, 3.72, [1.46, 2.26])', () => {
    expectTensor(tg.losses.squaredHinge(hingeY, hingeP, { reduction: 'none' }), [1.46, 2.26], [2]); // (2.56 + .36) / 2 …
    expectTensor(tg.losses.squaredHinge(hingeY, hingeP, { reduction: 'sum' }), 3.72, []);
    expectTensor(tg.losses.squaredHinge(hingeY, hingeP), 1.86, []);
  });

  test('categoricalHinge: max(max((1 - z)·p) - Σz·p + 1, 0), labels as given (Keras: 1.4, 2.8, [1.2, 1.6])', () => {
    // row 0: neg = max(.6, 0) = .6, pos = .4 → 1.2; row 1: neg = max(.4, .6) = .6, pos = 0 → 1.6
    expectTensor(tg.losses.categoricalHinge(hingeY, hingeP, { reduction: 'none' }), [1.2, 1.6], [2]);
    expectTensor(tg.losses.categoricalHinge(hingeY, hingeP, { reduction: 'sum' }), 2.8, []);
    expectTensor(tg.losses.categoricalHinge(hingeY, hingeP), 1.4, []);
    // a confident right answer: neg - pos + 1 = .1 - .9 + 1 = .2; beyond the margin: 0
    expectTensor(
      tg.losses.categoricalHinge(
        [
          [0, 1],
          [1, 0],
        ],
        [
          [0.1, 0.9],
          [3, 0],
        ],
        { reduction: 'none' },
      ),
      [0.2, 0],
    );
  });
});

describe('divergences and regression losses', () => {
  test('klDivergence: Σ z·ln(z/p) per sample, both clipped to [ε, 1] (Keras test arrays)', () => {
    const y = [
      [0.5, 0.8, 0.12],
      [0.7, 0.43, 0.8],
    ];
    const p = [
      [0.4, 0.9, 0.12],
      [0.36, 0.3, 0.4],
    ];
    const rows = y.map((r, i) => r.reduce((a, z, j) => a + z * Math.log(z / p[i][j]), 0));
    expectTensor(tg.losses.klDivergence(y, p, { reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.klDivergence(y, p), (rows[0] + rows[1]) / 2, []);
    // a label 0 is clipped to ε (ε·ln(ε/p), nearly 0), a label above 1 to 1, a prediction 0 to ε
    expectTensor(
      tg.losses.klDivergence([[0, 2]], [[0.5, 0.5]]),
      EPS * Math.log(EPS / 0.5) + Math.log(1 / 0.5),
      [],
      1e-5,
    );
    expectTensor(tg.losses.klDivergence([[1]], [[0]]), -Math.log(Math.fround(EPS)), [], 1e-6);
  });

  test('poisson: mean(p - z·ln(p + ε)) per sample (Keras test arrays)', () => {
    const p = [
      [1, 9, 2],
      [5, 2, 6],
    ];
    const y = [
      [4, 8, 12],
      [8, 1, 3],
    ];
    const rows = rowMean(p, (q, z) => q - z * Math.log(q + EPS), y);
    expectTensor(tg.losses.poisson(y, p, { reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.poisson(y, p), (rows[0] + rows[1]) / 2, []);
    // a prediction of 0 for a label 0 is 0 (0 - 0·ln ε), finite
    expectTensor(tg.losses.poisson([[0]], [[0]]), 0, []);
  });

  test('logCosh: x + softplus(-2x) - ln 2, finite for large errors (Keras docstring: 0.108)', () => {
    const rows = rowMean(T, (t, p) => Math.log(Math.cosh(p - t)), P);
    expectTensor(tg.losses.logCosh(T, P, { reduction: 'none' }), rows, [2], 1e-5);
    expectTensor(tg.losses.logCosh(T, P), (rows[0] + rows[1]) / 2, [], 1e-5);
    // ln cosh 1 = 0.4337808; one error in four
    expectTensor(
      tg.losses.logCosh(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [1, 1],
          [0, 0],
        ],
      ),
      Math.log(Math.cosh(1)) / 4,
      [],
    );
    // ln cosh(±1000) = 1000 - ln 2: cosh itself would overflow
    expectTensor(tg.losses.logCosh([[0, 0]], [[1000, -1000]]), 1000 - Math.LN2, []);
  });

  test('cosineSimilarity: -Σ ẑ·p̂ per sample, l2-normalised with ε² = 1e-14 under the norm (Keras docstring)', () => {
    // Keras: [-0., -0.99999994, 0.99999994]
    expectTensor(
      tg.losses.cosineSimilarity(
        [
          [0, 1],
          [1, 1],
          [1, 1],
        ],
        [
          [1, 0],
          [1, 1],
          [-1, -1],
        ],
        { reduction: 'none' },
      ),
      [0, -1, 1],
      [3],
    );
    // Keras test arrays: row 0 (4 + 72 + 24) / √(86·224), row 1 (-40 - 2 + 18) / √(65·74)
    const cos = [100 / Math.sqrt(86 * 224), -24 / Math.sqrt(65 * 74)];
    expectTensor(tg.losses.cosineSimilarity(T, P, { reduction: 'none' }), [-cos[0], -cos[1]], [2]);
    expectTensor(tg.losses.cosineSimilarity(T, P), -(cos[0] + cos[1]) / 2, []);
    // axis 0: the columns compared: [1, -5]·[4, 8] = -36 over √26·√80 …
    const cols = [0, 1, 2].map((j) => {
      const a = [T[0][j], T[1][j]];
      const b = [P[0][j], P[1][j]];
      return -(a[0] * b[0] + a[1] * b[1]) / Math.hypot(...a) / Math.hypot(...b);
    });
    expectTensor(tg.losses.cosineSimilarity(T, P, { axis: 0, reduction: 'none' }), cols, [3]);
    // a zero vector gives 0 (the norm is floored at ε), never NaN
    expectTensor(tg.losses.cosineSimilarity([[0, 0]], [[1, 2]]), 0, []);
  });

  test('meanAbsolutePercentageError: 100·mean(|(z - p) / max(|z|, ε)|) (Keras: 211.8518, docstring 6.111111)', () => {
    // row 0: (3/1 + 1/9 + 10/2) / 3 = 2.7037; row 1: (13/5 + 3/2 + 3/6) / 3 = 1.5333
    const rows = [(100 * (3 + 1 / 9 + 5)) / 3, (100 * (2.6 + 1.5 + 0.5)) / 3];
    expectTensor(tg.losses.meanAbsolutePercentageError(T, P, { reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.meanAbsolutePercentageError(T, P), 211.8518, [], 1e-6);
    expectTensor(tg.losses.meanAbsolutePercentageError([100, 200, 300], [90, 210, 310]), 6.111111, []);
    // a label 0 divides by ε
    expectTensor(tg.losses.meanAbsolutePercentageError([0], [1e-7]), 100, [], 1e-5);
  });

  test('meanSquaredLogarithmicError: both floored at ε, then (ln(p + 1) - ln(z + 1))² (Keras: 1.4370)', () => {
    const rows = rowMean(T, (t, p) => (Math.log(Math.max(p, EPS) + 1) - Math.log(Math.max(t, EPS) + 1)) ** 2, P);
    expectTensor(tg.losses.meanSquaredLogarithmicError(T, P, { reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.meanSquaredLogarithmicError(T, P), 1.437, [], 1e-4);
  });

  test('the regression losses meet shapes as Keras: [B] against [B, 1], broadcasting', () => {
    // [2] against [2, 1]: yTrue becomes [2, 1]; per sample one value each
    expectTensor(tg.losses.logCosh([0, 0], [[1], [0]], { reduction: 'none' }), [Math.log(Math.cosh(1)), 0], [2]);
    expectTensor(
      tg.losses.poisson([[1], [1]], [1, 2], { reduction: 'none' }),
      [1 - Math.log(1 + EPS), 2 - Math.log(2)],
      [2],
    );
    // [2, 1] against [2, 3] broadcast (Keras multiplies): hinge with labels [1, -1] per row
    expectTensor(
      tg.losses.hinge(
        [[1], [-1]],
        [
          [0.5, 1, 2],
          [0.5, -1, -2],
        ],
        { reduction: 'none' },
      ),
      [(0.5 + 0 + 0) / 3, (1.5 + 0 + 0) / 3],
      [2],
    );
  });
});

describe('focal cross-entropies', () => {
  test('binaryFocalCrossentropy: (1 - p_t)^gamma · bce, mean per sample (Keras: 0.268, none (0.515547, 0.020513))', () => {
    const y = [
      [1, 0],
      [1, 0],
    ];
    const p = [
      [0.9, 0.8],
      [0.7, 0.2],
    ];
    // p_t = [.9, .2], [.7, .8]: (0.1²·-ln .9 + 0.8²·-ln .2) / 2 and (0.3²·-ln .7 + 0.2²·-ln .8) / 2
    const rows = [
      (0.01 * -Math.log(0.9) + 0.64 * -Math.log(0.2)) / 2,
      (0.09 * -Math.log(0.7) + 0.04 * -Math.log(0.8)) / 2,
    ];
    expect(rows[0]).toBeCloseTo(0.515547, 5);
    expectTensor(tg.losses.binaryFocalCrossentropy(y, p, { reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.binaryFocalCrossentropy(y, p), 0.268, [], 1e-3);
    // gamma 0 is the binary cross-entropy
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y, p, { gamma: 0 }),
      flat(tg.losses.binaryCrossentropy(y, p))[0],
      [],
      1e-7,
    );
    // class balancing: alpha for label 1, 1 - alpha for label 0
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y, p, { applyClassBalancing: true, alpha: 0.4, reduction: 'none' }),
      [
        (0.4 * 0.01 * -Math.log(0.9) + 0.6 * 0.64 * -Math.log(0.2)) / 2,
        (0.4 * 0.09 * -Math.log(0.7) + 0.6 * 0.04 * -Math.log(0.8)) / 2,
      ],
      [2],
    );
  });

  test("binaryFocalCrossentropy on logits: Keras's docstring figures", () => {
    const y = [0, 1, 0, 0];
    const x = [-18.6, 0.51, 2.94, -12.8];
    expectTensor(tg.losses.binaryFocalCrossentropy(y, x, { gamma: 2, fromLogits: true }), 0.691, [], 1e-3);
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y, x, { gamma: 2, fromLogits: true, applyClassBalancing: true }),
      0.51,
      [],
      1e-2,
    );
    const y2 = [
      [0, 1],
      [0, 0],
    ];
    const x2 = [
      [-18.6, 0.51],
      [2.94, -12.8],
    ];
    expectTensor(tg.losses.binaryFocalCrossentropy(y2, x2, { gamma: 3, fromLogits: true }), 0.647, [], 1e-3);
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y2, x2, { gamma: 3, fromLogits: true, applyClassBalancing: true }),
      0.482,
      [],
      1e-3,
    );
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y2, x2, { gamma: 4, fromLogits: true, reduction: 'sum' }),
      1.222,
      [],
      1e-3,
    );
    expectTensor(
      tg.losses.binaryFocalCrossentropy(y2, x2, { gamma: 5, fromLogits: true, reduction: 'none' }),
      [0.0017, 1.1561],
      [2],
      1e-4,
    );
    // by hand, one element: label 1, logit .51: p = σ(.51), bce = -ln p, factor (1 - p)^2
    const s = 1 / (1 + Math.exp(-0.51));
    expectTensor(tg.losses.binaryFocalCrossentropy([1], [0.51], { fromLogits: true }), (1 - s) ** 2 * -Math.log(s), []);
    // label smoothing 0.2: z = .9; p_t = .9p + .1(1 - p)
    const q = 0.7;
    const z = 0.9;
    const pt = z * q + (1 - z) * (1 - q);
    expectTensor(
      tg.losses.binaryFocalCrossentropy([1], [q], { labelSmoothing: 0.2 }),
      (1 - pt) ** 2 * -(z * Math.log(q) + (1 - z) * Math.log(1 - q)),
      [],
    );
  });

  test('categoricalFocalCrossentropy: Σ alpha·(1 - q)^gamma·(-z ln q), q renormalised and clipped (Keras)', () => {
    const eye = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const p = [
      [0.9, 0.05, 0.05],
      [0.5, 0.89, 0.6],
      [0.05, 0.01, 0.94],
    ];
    // row 1 sums to 1.99: q = .89 / 1.99
    const term = (q: number) => 0.25 * (1 - q) ** 2 * -Math.log(q);
    const rows = [term(0.9), term(0.89 / 1.99), term(0.94)];
    expectTensor(tg.losses.categoricalFocalCrossentropy(eye, p, { reduction: 'none' }), rows, [3]);
    expectTensor(tg.losses.categoricalFocalCrossentropy(eye, p), 0.02059, [], 1e-3); // Keras
    const logits = [
      [8, 1, 1],
      [0, 9, 1],
      [2, 3, 5],
    ];
    // Keras: none (1.5096224e-09, 2.4136547e-11, 1.0360638e-03), mean 0.000345
    const none = flat(tg.losses.categoricalFocalCrossentropy(eye, logits, { fromLogits: true, reduction: 'none' }));
    expect(none[0]).toBeCloseTo(1.5096224e-9, 12);
    expect(none[2]).toBeCloseTo(1.0360638e-3, 8);
    expectTensor(tg.losses.categoricalFocalCrossentropy(eye, logits, { fromLogits: true }), 0.000345, [], 1e-5);
    // Keras's label-smoothing test: logits [4.9, -0.5, 2.05], label 0, s = .1 → 0.06685
    expectTensor(
      tg.losses.categoricalFocalCrossentropy([[1, 0, 0]], [[4.9, -0.5, 2.05]], {
        fromLogits: true,
        labelSmoothing: 0.1,
      }),
      0.06685,
      [],
      1e-4,
    );
    // Keras docstring of the function: [[0, 1, 0], [0, 0, 1]] against [[.05, .9, .05], [.1, .85, .05]]
    expectTensor(
      tg.losses.categoricalFocalCrossentropy(
        [
          [0, 1, 0],
          [0, 0, 1],
        ],
        [
          [0.05, 0.9, 0.05],
          [0.1, 0.85, 0.05],
        ],
        { reduction: 'none' },
      ),
      [2.63401289e-4, 6.75912094e-1],
      [2],
    );
  });

  test('categoricalFocalCrossentropy: alpha per class, gamma, the class axis', () => {
    // alpha [1, 2]: label 1 weighs 2; q = [.25, .75]: 2·(.25)²·-ln .75
    expectTensor(
      tg.losses.categoricalFocalCrossentropy([[0, 1]], [[0.25, 0.75]], { alpha: [1, 2] }),
      2 * 0.0625 * -Math.log(0.75),
      [],
    );
    // gamma 0, alpha 1: the categorical cross-entropy
    expectTensor(
      tg.losses.categoricalFocalCrossentropy([[0, 1]], [[0.25, 0.75]], { alpha: 1, gamma: 0 }),
      -Math.log(0.75),
    );
    // classes down axis 0: columns [.25, .75] (label 1) and [.5, .5] (label 0)
    expectTensor(
      tg.losses.categoricalFocalCrossentropy(
        [
          [0, 1],
          [1, 0],
        ],
        [
          [0.25, 0.5],
          [0.75, 0.5],
        ],
        { axis: 0, reduction: 'none' },
      ),
      [0.25 * 0.0625 * -Math.log(0.75), 0.25 * 0.25 * -Math.log(0.5)],
      [2],
    );
    expect(() => tg.losses.categoricalFocalCrossentropy([[0, 1]], [[0.25, 0.75]], { alpha: [1, 2, 3] })).toThrow(
      /^categoricalFocalCrossentropy: alpha has 3 weights/,
    );
    expect(() =>
      tg.losses.categoricalFocalCrossentropy([[0, 1]], [[0.25, 0.75]], { alpha: ['1'] as unknown as number[] }),
    ).toThrow(/^categoricalFocalCrossentropy: alpha\[0\] must be a number/);
  });

  test('confident logits stay finite', () => {
    expectTensor(tg.losses.binaryFocalCrossentropy([1, 0], [1000, -1000], { fromLogits: true }), 0, [], 1e-6);
    // wrong and confident: σ(-1000) = 0 clipped to ε: factor 1, bce -ln ε
    expectTensor(
      tg.losses.binaryFocalCrossentropy([1], [-1000], { fromLogits: true }),
      -Math.log(Math.fround(EPS)),
      [],
      1e-5,
    );
    expect(
      Number.isFinite(flat(tg.losses.categoricalFocalCrossentropy([[0, 1]], [[1000, -1000]], { fromLogits: true }))[0]),
    ).toBe(true);
  });
});

describe('options and errors', () => {
  test('each loss takes reduction and refuses what Keras does not take', () => {
    const y = [[1, 0]];
    const p = [[0.75, 0.25]];
    for (const [name, f] of Object.entries(tg.losses)) {
      if (typeof f !== 'function') continue;
      const call = f as (a: unknown, b: unknown, ...rest: unknown[]) => tg.Tensor;
      const args = name === 'sparseCategoricalCrossentropy' ? [[0], p] : [y, p];
      const extra = name === 'huber' ? [1] : [];
      const none = call(...(args as [unknown, unknown]), ...extra, { reduction: 'none' });
      const total = call(...(args as [unknown, unknown]), ...extra, { reduction: 'sum' });
      // one sample: the per-sample vector [v], its sum v, the mean v
      expect(none.shape).toEqual([1]);
      expect(flat(total)[0]).toBeCloseTo(flat(none)[0], 6);
      expect(() => call(...(args as [unknown, unknown]), ...extra, { reduction: 'mean' })).toThrow(
        new RegExp(`^${name}: reduction must be one of`),
      );
      expect(() => call(...(args as [unknown, unknown]), ...extra, { bogus: 1 })).toThrow(
        new RegExp(`^${name}: unknown option "bogus"`),
      );
    }
  });

  test('bad values name the loss and the option', () => {
    expect(() => tg.losses.binaryFocalCrossentropy([1], [0.5], { gamma: '2' as unknown as number })).toThrow(
      /^binaryFocalCrossentropy: gamma must be a number, got "2"/,
    );
    expect(() =>
      tg.losses.binaryFocalCrossentropy([1], [0.5], { applyClassBalancing: 1 as unknown as boolean }),
    ).toThrow(/^binaryFocalCrossentropy: applyClassBalancing must be true or false/);
    expect(() => tg.losses.cosineSimilarity([[1, 2]], [[1, 2]], { axis: 2 })).toThrow(tg.ShapeError);
    expect(() => tg.losses.hinge([1, 2, 3], [1, 2])).toThrow(
      /^hinge: yTrue \[3\] and yPred \[2\] must have one shape or broadcast together$/,
    );
    expect(() => tg.losses.binaryFocalCrossentropy([[1, 0]], [[0.5]])).toThrow(
      /^binaryFocalCrossentropy: yTrue \[1,2\] and yPred \[1,1\] must have one shape$/,
    );
    expect(() => tg.losses.poisson(1, 2)).toThrow(/^poisson: yTrue \[\] and yPred \[\] leave no axis to reduce/);
    expect(() => tg.losses.categoricalFocalCrossentropy(1, 0.5)).toThrow(
      /^categoricalFocalCrossentropy: expected predictions with a class axis, got a scalar$/,
    );
  });

  test('a refused call records nothing on a tape', () => {
    const p = tg.tensor([[0.5, 0.5]], undefined, 'float64');
    using tape = new tg.GradientTape();
    tape.watch(p);
    expect(() => tg.losses.cosineSimilarity([[1, 0]], p, { axis: 3 })).toThrow(tg.ShapeError);
    expect(() => tg.losses.binaryFocalCrossentropy([[1, 0]], p, { axis: 2 })).toThrow(tg.ShapeError);
    expect(() => tg.losses.categoricalFocalCrossentropy([[1, 0]], p, { alpha: [1, 2, 3] })).toThrow(tg.ShapeError);
    expect(String(tape)).toMatch(/, 0 ops\)/);
    // the tape was recording: a call that succeeds is recorded
    tg.losses.cosineSimilarity([[1, 0]], p);
    expect(String(tape)).not.toMatch(/, 0 ops\)/);
  });
});
