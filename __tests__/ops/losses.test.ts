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
