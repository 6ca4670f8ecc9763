// Loss values against hand computation, and their stability at the edges.
import * as tg from '../../src';
import { expectTensor } from '../helpers';

describe('losses', () => {
  test('meanSquaredError, meanAbsoluteError, huber', () => {
    expectTensor(
      tg.losses.meanSquaredError(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 4],
          [3, 0],
        ],
      ),
      (0 + 4 + 0 + 16) / 4,
    );
    expectTensor(tg.losses.meanAbsoluteError([1, 2], [2, 4]), (1 + 2) / 2);
    // |e| <= 1: ½e² = 0.125; |e| > 1: 1·3 - ½ = 2.5
    expectTensor(tg.losses.huber([0, 0], [0.5, 3]), (0.125 + 2.5) / 2);
    expectTensor(tg.losses.huber([0], [3], 2), 2 * 3 - 0.5 * 4);
  });

  test('binaryCrossentropy on probabilities and on logits', () => {
    expectTensor(tg.losses.binaryCrossentropy([1, 0], [0.9, 0.2]), (-Math.log(0.9) - Math.log(0.8)) / 2);
    const logits = [2, -1];
    const p = logits.map((z) => 1 / (1 + Math.exp(-z)));
    expectTensor(
      tg.losses.binaryCrossentropy([1, 0], logits, { fromLogits: true }),
      (-Math.log(p[0]) - Math.log(1 - p[1])) / 2,
    );
  });

  test('categorical and sparse categorical cross-entropy, probabilities renormalised', () => {
    expectTensor(tg.losses.categoricalCrossentropy([[0, 1]], [[0.2, 0.8]]), -Math.log(0.8));
    expectTensor(tg.losses.categoricalCrossentropy([[0, 1]], [[0.4, 1.6]]), -Math.log(0.8)); // 1.6 / 2
    const logits = [
      [1, 2, 3],
      [1, 1, 1],
    ];
    const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
    const expected = (-(3 - lse(logits[0])) - (1 - lse(logits[1]))) / 2;
    expectTensor(
      tg.losses.categoricalCrossentropy(
        [
          [0, 0, 1],
          [1, 0, 0],
        ],
        logits,
        { fromLogits: true },
      ),
      expected,
    );
    expectTensor(tg.losses.sparseCategoricalCrossentropy([2, 0], logits, { fromLogits: true }), expected);
    expectTensor(tg.losses.sparseCategoricalCrossentropy([1], [[0.2, 0.8]]), -Math.log(0.8));
  });

  test('never the log of 0: extreme probabilities and logits stay finite', () => {
    const bce = tg.losses.binaryCrossentropy([1, 0], [0, 1]).item();
    // clipped to Keras's epsilon, in float32: 1 - 1e-7 rounds to 0.99999988
    expect(bce).toBeCloseTo((-Math.log(Math.fround(1e-7)) - Math.log(1 - Math.fround(1 - 1e-7))) / 2, 4);
    // confidently wrong logits: max(x, 0) - x·z + log(1 + e^-|x|) = 0 + 1000 + 0 for (x, z) = (-1000, 1),
    // 1000 - 0 + 0 for (1000, 0); their mean 1000, finite
    expectTensor(tg.losses.binaryCrossentropy([1, 0], [-1000, 1000], { fromLogits: true }), 1000);
    expectTensor(tg.losses.binaryCrossentropy([1, 0], [1000, -1000], { fromLogits: true }), 0);
    expectTensor(tg.losses.categoricalCrossentropy([[1, 0]], [[1000, -1000]], { fromLogits: true }), 0);
    expectTensor(tg.losses.categoricalCrossentropy([[0, 1]], [[1000, -1000]], { fromLogits: true }), 2000);
  });

  test('shape and label errors', () => {
    expect(() => tg.losses.meanSquaredError([1, 2], [1, 2, 3])).toThrow(
      /meanSquaredError: yTrue \[2\] and yPred \[3\] must have one shape/,
    );
    expect(() => tg.losses.sparseCategoricalCrossentropy([3], [[0.5, 0.5]])).toThrow(RangeError);
    expect(() => tg.losses.sparseCategoricalCrossentropy([0, 1], [[0.5, 0.5]])).toThrow(
      /labels \[2\] must have the shape of yPred \[1,2\] without its class axis/,
    );
  });
});

// Keras 3's options of the first six losses (keras/src/losses/losses.py, loss.py); the figures quoted as
// "Keras" are from its docstrings and tests (keras/src/losses/losses_test.py), the rest by hand.
describe('loss options: reduction, labelSmoothing, axis, ignoreClass', () => {
  const y2 = [
    [1, 2],
    [3, 4],
  ];
  const p2 = [
    [1, 4],
    [3, 3],
  ];

  test('reduction: per-sample values over the last axis, then their mean, sum or themselves', () => {
    // per sample: mean([0, 4]) = 2, mean([0, 1]) = 0.5
    expectTensor(tg.losses.meanSquaredError(y2, p2, { reduction: 'none' }), [2, 0.5], [2]);
    expectTensor(tg.losses.meanSquaredError(y2, p2, { reduction: 'sum' }), 2.5, []);
    expectTensor(tg.losses.meanSquaredError(y2, p2, { reduction: 'sum_over_batch_size' }), 1.25, []);
    expectTensor(tg.losses.meanSquaredError(y2, p2), 1.25, []);
    // mean |e|: [1, 0.5]
    expectTensor(tg.losses.meanAbsoluteError(y2, p2, { reduction: 'none' }), [1, 0.5], [2]);
    expectTensor(tg.losses.meanAbsoluteError(y2, p2, { reduction: 'sum' }), 1.5, []);
    // [B] inputs: one per-sample value already (a scalar), which every reduction returns as it is
    expectTensor(tg.losses.meanSquaredError([1, 2], [1, 4], { reduction: 'none' }), 2, []);
    expectTensor(tg.losses.meanSquaredError([1, 2], [1, 4], { reduction: 'sum' }), 2, []);
    // [B, T, 1] against [B, T]: the trailing 1 squeezed, then per (b, t): the mean over T of 3 values
    expectTensor(tg.losses.meanSquaredError([[[1], [2]]], [[1, 4]], { reduction: 'none' }), [2], [1]);
  });

  test("reduction: Keras's empty cases (reduce_values returns a [0] vector; divide_no_nan gives 0)", () => {
    const none = tg.losses.meanSquaredError(tg.zeros([0, 3]), tg.zeros([0, 3]));
    expect(none.shape).toEqual([0]);
    expectTensor(tg.losses.meanSquaredError(tg.zeros([2, 0, 3]), tg.zeros([2, 0, 3])), 0, []);
    expectTensor(tg.losses.meanSquaredError(tg.zeros([2, 0, 3]), tg.zeros([2, 0, 3]), { reduction: 'sum' }), 0, []);
  });

  test('huber: Keras docstring and its delta, with a reduction', () => {
    // ½e²: [.18, .18] and [.08, .18]: per sample [.18, .13], mean .155 (Keras: 0.155)
    const y = [
      [0, 1],
      [0, 0],
    ];
    const p = [
      [0.6, 0.4],
      [0.4, 0.6],
    ];
    expectTensor(tg.losses.huber(y, p), 0.155, []);
    expectTensor(tg.losses.huber(y, p, 1, { reduction: 'none' }), [0.18, 0.13], [2]);
    // delta 0.5: |e| = .6 > .5 → .5·.6 - .125 = .175; |e| = .4 → .08: [.175, .175], [.08, .175]
    expectTensor(tg.losses.huber(y, p, 0.5, { reduction: 'sum' }), 0.175 + (0.08 + 0.175) / 2, []);
  });

  test('binaryCrossentropy: Keras docstring on logits, every reduction', () => {
    const y = [
      [0, 1],
      [0, 0],
    ];
    const logits = [
      [-18.6, 0.51],
      [2.94, -12.8],
    ];
    // max(x, 0) - x·z + ln(1 + e^-|x|) per element, mean per row
    const bce = (x: number, z: number) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
    const rows = [(bce(-18.6, 0) + bce(0.51, 1)) / 2, (bce(2.94, 0) + bce(-12.8, 0)) / 2];
    expect(rows[0]).toBeCloseTo(0.235, 3); // Keras: [0.235, 1.496]
    expect(rows[1]).toBeCloseTo(1.496, 3);
    expectTensor(tg.losses.binaryCrossentropy(y, logits, { fromLogits: true, reduction: 'none' }), rows, [2]);
    expectTensor(tg.losses.binaryCrossentropy(y, logits, { fromLogits: true, reduction: 'sum' }), rows[0] + rows[1]);
    expectTensor(tg.losses.binaryCrossentropy(y, logits, { fromLogits: true }), (rows[0] + rows[1]) / 2); // Keras 0.8654
    // the [4] form of the same: one sample (Keras: 0.8654)
    expectTensor(
      tg.losses.binaryCrossentropy([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8], { fromLogits: true }),
      0.8654,
      [],
      1e-4,
    );
  });

  test('binaryCrossentropy: label smoothing z·(1 - s) + s/2, clipping, and the axis of the mean', () => {
    // s = 0.2: labels [1, 0] → [0.9, 0.1]; -(0.9 ln .9 + 0.1 ln .1) and -(0.1 ln .2 + 0.9 ln .8)
    const a = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
    const b = -(0.1 * Math.log(0.2) + 0.9 * Math.log(0.8));
    expectTensor(tg.losses.binaryCrossentropy([1, 0], [0.9, 0.2], { labelSmoothing: 0.2 }), (a + b) / 2, []);
    // Keras's test: logits [10, -10, -10] against [1, 0, 1], s = 0.1 (targets [.95, .05, .95]): Keras's
    // (10 + 5·0.1) / 3 leaves out the ln(1 + e^-10) of each element
    const smoothed = [0.95, 0.05, 0.95].map((z, i) => {
      const x = [10, -10, -10][i];
      return Math.max(x, 0) - x * z + Math.log1p(Math.exp(-10));
    });
    expectTensor(
      tg.losses.binaryCrossentropy([[1, 0, 1]], [[10, -10, -10]], { fromLogits: true, labelSmoothing: 0.1 }),
      (smoothed[0] + smoothed[1] + smoothed[2]) / 3,
    );
    expect((smoothed[0] + smoothed[1] + smoothed[2]) / 3).toBeCloseTo((10 + 0.5) / 3, 3);
    // Keras's test: a probability of 1 for a label 0 is clipped to 1 - ε: -ln(1 - fround(1 - 1e-7)) over 4
    // elements (Keras: 3.98559)
    expectTensor(
      tg.losses.binaryCrossentropy(
        [
          [1, 0],
          [1, 0],
        ],
        [
          [1, 1],
          [1, 0],
        ],
      ),
      3.98559,
      [],
      1e-5,
    );
    // axis 0: the mean down each column; [[0, 1], [0, 0]] against [[.6, .4], [.4, .6]]
    const y = [
      [0, 1],
      [0, 0],
    ];
    const p = [
      [0.6, 0.4],
      [0.4, 0.6],
    ];
    expectTensor(
      tg.losses.binaryCrossentropy(y, p, { axis: 0, reduction: 'none' }),
      [-(Math.log(0.4) + Math.log(0.6)) / 2, -(Math.log(0.4) + Math.log(0.4)) / 2],
      [2],
    );
    // Keras docstring: the default axis gives [0.916, 0.714]
    expectTensor(tg.losses.binaryCrossentropy(y, p, { reduction: 'none' }), [0.9162907, 0.7135582], [2]);
  });

  test('categoricalCrossentropy: Keras docstring and tests, every reduction', () => {
    const y = [
      [0, 1, 0],
      [0, 0, 1],
    ];
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    // -ln .95 and -ln .1 (Keras: 1.177, sum 2.354, none [0.0513, 2.303])
    expectTensor(tg.losses.categoricalCrossentropy(y, p, { reduction: 'none' }), [-Math.log(0.95), -Math.log(0.1)]);
    expectTensor(tg.losses.categoricalCrossentropy(y, p, { reduction: 'sum' }), -Math.log(0.95) - Math.log(0.1));
    expectTensor(tg.losses.categoricalCrossentropy(y, p), 1.177, [], 1e-3);
    const logits = [
      [8, 1, 1],
      [0, 9, 1],
      [2, 3, 5],
    ];
    const eye = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    // Keras: none (0.001822, 0.000459, 0.169846), mean 0.0573
    expectTensor(
      tg.losses.categoricalCrossentropy(eye, logits, { fromLogits: true, reduction: 'none' }),
      [0.001822, 0.000459, 0.169846],
      [3],
      1e-4,
    );
    expectTensor(tg.losses.categoricalCrossentropy(eye, logits, { fromLogits: true }), 0.0573, [], 1e-4);
  });

  test('categoricalCrossentropy: label smoothing z·(1 - s) + s/C and the class axis', () => {
    // Keras's test: logits [100, -100, -100], label 0, s = 0.1: targets [.9 + .1/3, .1/3, .1/3]; log-softmax
    // [0, -200, -200]: 2·(0.1/3)·200 = 400·0.1/3
    expectTensor(
      tg.losses.categoricalCrossentropy([[1, 0, 0]], [[100, -100, -100]], { fromLogits: true, labelSmoothing: 0.1 }),
      (400 * 0.1) / 3,
      [],
      1e-5,
    );
    // probabilities, s = 0.3 over 3 classes: [0.1, 0.8, 0.1] against [.2, .5, .3]
    expectTensor(
      tg.losses.categoricalCrossentropy([[0, 1, 0]], [[0.2, 0.5, 0.3]], { labelSmoothing: 0.3 }),
      -(0.1 * Math.log(0.2) + 0.8 * Math.log(0.5) + 0.1 * Math.log(0.3)),
    );
    // axis 1 of [B, C, S] (Keras's test): classes down axis 1, s = 0.1 over 3 classes, per (b, s) then the mean
    const y = [
      [
        [1, 0],
        [0, 1],
        [0, 0],
      ],
      [
        [0, 1],
        [1, 0],
        [0, 0],
      ],
    ];
    const p = [
      [
        [0.8, 0.1],
        [0.1, 0.8],
        [0.1, 0.1],
      ],
      [
        [0.1, 0.8],
        [0.8, 0.1],
        [0.1, 0.1],
      ],
    ];
    // each (b, s) column is a permutation of targets [.9 + .1/3, .1/3, .1/3] against [.8, .1, .1]
    const hi = 0.9 + 0.1 / 3;
    const lo = 0.1 / 3;
    const each = -(hi * Math.log(0.8) + 2 * lo * Math.log(0.1));
    expectTensor(
      tg.losses.categoricalCrossentropy(y, p, { labelSmoothing: 0.1, axis: 1, reduction: 'none' }),
      [each, each, each, each],
      [2, 2],
    );
    expectTensor(tg.losses.categoricalCrossentropy(y, p, { labelSmoothing: 0.1, axis: 1 }), each);
  });

  test('sparseCategoricalCrossentropy: reductions, and ignoreClass as a mask', () => {
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    expectTensor(tg.losses.sparseCategoricalCrossentropy([1, 2], p, { reduction: 'none' }), [0.0513, 2.303], [2], 1e-3);
    expectTensor(tg.losses.sparseCategoricalCrossentropy([1, 2], p, { reduction: 'sum' }), 2.354, [], 1e-3);
    // Keras's test: labels [[-1, 2]] on logits [1, 2, 3]: -1 ignored (0), label 2: lse(row) - 0.018
    const logits = [
      [
        [0.854, 0.698, 0.598],
        [0.088, 0.86, 0.018],
      ],
    ];
    const lse = Math.log(Math.exp(0.088) + Math.exp(0.86) + Math.exp(0.018));
    expect(lse - 0.018).toBeCloseTo(1.480129, 5); // Keras: [[0, 1.480129]]
    const none = { fromLogits: true, ignoreClass: -1, reduction: 'none' } as const;
    expectTensor(tg.losses.sparseCategoricalCrossentropy([[-1, 2]], logits, none), [0, lse - 0.018], [1, 2]);
    expectTensor(tg.losses.sparseCategoricalCrossentropy([[[-1], [2]]], logits, none), [0, lse - 0.018], [1, 2]);
    // the default reduction divides by the valid count only (apply_mask: total/valid): (lse - .018) / 1
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy([[-1, 2]], logits, { fromLogits: true, ignoreClass: -1 }),
      lse - 0.018,
    );
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy([[-1, 2]], logits, {
        fromLogits: true,
        ignoreClass: -1,
        reduction: 'sum',
      }),
      lse - 0.018,
    );
    // every label ignored: divide_no_nan gives 0; an ignored label may be out of range (255)
    expectTensor(tg.losses.sparseCategoricalCrossentropy([255, 255], p, { ignoreClass: 255 }), 0, []);
    // null is Keras's None: no class ignored
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy([1, 2], p, { ignoreClass: null, reduction: 'sum' }),
      2.354,
      [],
      1e-3,
    );
    // the ignored rows get no gradient
    const x = tg.tensor(p, undefined, 'float64');
    using tape = new tg.GradientTape();
    tape.watch(x);
    const g = tape.gradient(tg.losses.sparseCategoricalCrossentropy([-1, 1], x, { ignoreClass: -1 }), x);
    // row 0 ignored; row 1 (label 1 of [.1, .8, .1]): d(-ln p1 + ln Σp) / dp = [1, 1 - 1/.8, 1] / Σp, over 1 valid
    expectTensor(g, [0, 0, 0, 1, 1 - 1 / 0.8, 1], [2, 3]);
  });

  test('sparseCategoricalCrossentropy: only the last axis (Keras: "Only axis=-1 is currently supported")', () => {
    const p = [
      [0.2, 0.8],
      [0.5, 0.5],
    ];
    expectTensor(tg.losses.sparseCategoricalCrossentropy([1, 0], p, { axis: 1 }), -(Math.log(0.8) + Math.log(0.5)) / 2);
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy([1, 0], p, { axis: -1 }),
      -(Math.log(0.8) + Math.log(0.5)) / 2,
    );
    expect(() => tg.losses.sparseCategoricalCrossentropy([1, 0], p, { axis: 0 })).toThrow(
      /^sparseCategoricalCrossentropy: only the last axis is supported/,
    );
  });

  test('yPred of an integer dtype is taken as float32, as Keras converts to its float dtype', () => {
    const r = tg.losses.meanSquaredError([1, 2], tg.tensor([2, 4], [2], 'int32'));
    expect(r.dtype).toBe('float32');
    expectTensor(r, 2.5, []); // (1 + 4) / 2, not truncated
  });

  test('bad options are refused with the loss named', () => {
    expect(() => tg.losses.meanSquaredError([1], [1], { reduction: 'mean' as tg.losses.Reduction })).toThrow(
      /^meanSquaredError: reduction must be one of "sum_over_batch_size", "sum", "none", got "mean"/,
    );
    expect(() => tg.losses.meanSquaredError([1], [1], { fromLogits: true } as tg.losses.LossOptions)).toThrow(
      /^meanSquaredError: unknown option "fromLogits"; expected reduction/,
    );
    expect(() =>
      tg.losses.sparseCategoricalCrossentropy([0], [[1]], {
        labelSmoothing: 0.1,
      } as tg.losses.SparseCategoricalCrossentropyOptions),
    ).toThrow(/^sparseCategoricalCrossentropy: unknown option "labelSmoothing"/);
    expect(() => tg.losses.binaryCrossentropy([1], [0.5], { labelSmoothing: '0.1' as unknown as number })).toThrow(
      /^binaryCrossentropy: labelSmoothing must be a number, got "0.1"/,
    );
    expect(() => tg.losses.binaryCrossentropy([[1]], [[0.5]], { axis: 2 })).toThrow(tg.ShapeError);
    expect(() => tg.losses.categoricalCrossentropy([[1, 0]], [[0.5, 0.5]], { axis: 0.5 })).toThrow(tg.ArgumentError);
    expect(() => tg.losses.sparseCategoricalCrossentropy([0], [[1]], { ignoreClass: 0.5 })).toThrow(
      /^sparseCategoricalCrossentropy: ignoreClass must be an integer/,
    );
    expect(() => tg.losses.huber([0], [1], 1, { reduction: 'all' as tg.losses.Reduction })).toThrow(
      /^huber: reduction/,
    );
    // TF's reduce_mean has no axis -1 in a scalar: Keras refuses scalars
    expect(() => tg.losses.meanSquaredError(1, 2)).toThrow(
      /^meanSquaredError: yTrue \[\] and yPred \[\] leave no axis to reduce/,
    );
    expect(() => tg.losses.binaryCrossentropy([1], 0.5)).toThrow(tg.ShapeError);
  });
});
