// The nn and random family against hand computation and TF's documented values: batchNorm, l2Normalize, biasAdd,
// dropout, clipByNorm, clipByGlobalNorm, tg.nn's cross-entropies, truncatedNormal, randomShuffle, multinomial,
// and the portable exponential behind multinomial.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { portableExp } from '../../src/kernels/random';
import { batchNorm, clipByGlobalNorm, clipByNorm, l2Normalize } from '../../src/ops/composite/normalization';
import { biasAdd, dropout } from '../../src/ops/composite/nn';
import {
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../../src/ops/composite/crossentropy';
import { multinomial, randomShuffle, truncatedNormal } from '../../src/ops/random';
import { expectTensor, flat } from '../helpers';

afterEach(() => expect(activeRecorders.length).toBe(0));

const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');
const i32 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'int32');

/** The gradient of sum(f(x)·w) (w = 1 when omitted) at x. */
function gradOf(f: (x: Tensor) => Tensor, x: Tensor, w?: Tensor): Tensor {
  using tape = new tg.GradientTape();
  tape.watch(x);
  const y = f(x);
  return tape.gradient(tg.sum(w === undefined ? y : y.mul(w)), x) as Tensor;
}

/** Asserts that `call` throws `cls` with a message starting with `message`, leaving a watching tape empty. */
function expectRefused(
  call: (x: Tensor) => unknown,
  cls: new (m: string) => Error,
  message: RegExp,
  shape: number[] = [2],
): void {
  const x = tg.reshape(tg.range(1, shape.reduce((a, b) => a * b, 1) + 1, 1, 'float64'), shape);
  using tape = new tg.GradientTape();
  tape.watch(x);
  expect(() => call(x)).toThrow(cls);
  expect(() => call(x)).toThrow(message);
  expect(String(tape)).toBe('GradientTape(persistent=false, 0 ops)');
}

describe('batchNorm', () => {
  test('(x − mean)·scale/sqrt(var + ε) + offset, broadcasting', () => {
    // (1 − 2)·2/sqrt(4) + 10 = 9, (3 − 2)·2/2 + 10 = 11
    expectTensor(batchNorm([1, 3], 2, 4, 10, 2, 0), [9, 11], [2], 1e-7);
    // no offset or scale, default ε 0.001: per column (x − m)/sqrt(1.001)
    const r = 1 / Math.sqrt(1.001);
    expectTensor(
      batchNorm(
        f64([
          [1, 2],
          [3, 4],
        ]),
        f64([2, 3]),
        f64([1, 1]),
      ),
      [-r, -r, r, r],
      [2, 2],
      1e-15,
    );
    // statistics of shape [2, 1] against x [3]: the result takes the broadcast shape [2, 3]
    expectTensor(batchNorm(f64([0, 1, 2]), f64([[0], [1]]), 1, null, null, 0), [0, 1, 2, -1, 0, 1], [2, 3], 1e-15);
  });

  test('float64 statistics are cast to a float32 x, as TF', () => {
    const y = batchNorm(tg.tensor([1, 3]), f64([2]), f64([4]), f64([10]), f64([2]), 0);
    expect(y.dtype).toBe('float32');
    expectTensor(y, [9, 11], [2], 0);
  });

  test('every input is differentiable: d/dx = scale/sqrt(v + ε), d/dmean = −that, d/doffset = 1', () => {
    // x = 1, mean 2, var 3, offset 10, scale 2, ε = 1: s = 2/sqrt(4) = 1; d/dvar = −½(x − m)·scale·(v + ε)^−1.5 = 1/8
    const args = [1, 2, 3, 10, 2].map((v) => tg.scalar(v, 'float64'));
    const grads = tg.grad((x, m, v, o, s) => batchNorm(x, m, v, o, s, 1))(...args) as Tensor[];
    expect(grads.map((g) => g.item())).toEqual([1, -1, 0.125, 1, -0.5]);
  });

  test('bad input', () => {
    expectRefused((x) => batchNorm(x, [1, 2, 3], 1), tg.ShapeError, /^batchNorm: shapes/);
    expectRefused((x) => batchNorm(tg.cast(x, 'int32'), 0, 1), tg.DTypeError, /^batchNorm: x must be a float32/);
    expectRefused(
      (x) => batchNorm(x, tg.scalar(0), tg.scalar(1, 'float64')),
      tg.DTypeError,
      /^batchNorm: mean, variance/,
    );
    expectRefused(
      (x) => batchNorm(x, 0, 1, 0, 1, 'small' as unknown as number),
      tg.ArgumentError,
      /^batchNorm: varianceEpsilon/,
    );
  });
});

describe('l2Normalize', () => {
  test('x / sqrt(max(Σx², ε)) over all axes or the given ones', () => {
    expectTensor(l2Normalize([3, 4]), [0.6, 0.8], [2]);
    // columns [3, 4] and [1, 0]
    expectTensor(
      l2Normalize(
        [
          [3, 1],
          [4, 0],
        ],
        0,
      ),
      [0.6, 1, 0.8, 0],
      [2, 2],
    );
    // rows, axis −1; all axes: norm sqrt(9 + 1 + 16) = sqrt(26)
    expectTensor(l2Normalize(f64([[3, 4]]), -1), [0.6, 0.8], [1, 2], 1e-15);
    expectTensor(
      l2Normalize(f64([3, 1, 4])),
      [3, 1, 4].map((v) => v / Math.sqrt(26)),
      [3],
      1e-15,
    );
    expectTensor(l2Normalize(-2), -1, []);
    expect(l2Normalize(tg.zeros([0, 3]), 1).shape).toEqual([0, 3]);
  });

  test('at 0 the result is 0 and the gradient 1/sqrt(ε), as TF', () => {
    expectTensor(l2Normalize(f64([0, 0])), [0, 0], [2], 0);
    expectTensor(
      gradOf((x) => l2Normalize(x), f64([0, 0])),
      [1e6, 1e6],
      [2],
      1e-9,
    );
  });

  test('bad input', () => {
    expectRefused((x) => l2Normalize(x, 1), tg.ShapeError, /^l2Normalize: axis 1 is out of range/);
    expectRefused((x) => l2Normalize(tg.cast(x, 'int32')), tg.DTypeError, /^l2Normalize: x must be a float32/);
  });
});

describe('biasAdd', () => {
  test('bias along the last axis; its gradient sums the others', () => {
    expectTensor(
      biasAdd(
        [
          [1, 2],
          [3, 4],
        ],
        [10, 20],
      ),
      [11, 22, 13, 24],
      [2, 2],
    );
    expect(biasAdd(i32([[1, 2]]), i32([1, 1])).dtype).toBe('int32');
    const w = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    // d/dbias of Σ(x + b)·w = column sums of w: 1 + 3 + 5, 2 + 4 + 6
    expectTensor(
      gradOf((b) => biasAdd(tg.zeros([3, 2], 'float64'), b), f64([0, 0]), w),
      [9, 12],
      [2],
      0,
    );
    expect(biasAdd(tg.zeros([0, 2]), [1, 2]).shape).toEqual([0, 2]);
  });

  test("TF's checks: x at least 2-D, bias 1-D of its last dimension, one dtype", () => {
    expectRefused((x) => biasAdd(x, x), tg.ShapeError, /^biasAdd: x must be at least 2-D, got shape \[2\]/);
    expectRefused((x) => biasAdd(x, [[1, 2]]), tg.ShapeError, /^biasAdd: bias must be 1-D/, [1, 2]);
    expectRefused((x) => biasAdd(x, [1, 2]), tg.ShapeError, /^biasAdd: bias of shape \[2\]/, [2, 1]);
    expectRefused((x) => biasAdd(i32([[1, 2]]), x), tg.DTypeError, /^biasAdd: x and bias must have one dtype/);
  });
});

describe('dropout', () => {
  test('kept values scaled by 1/(1 − rate), the rest 0, about 1 − rate kept', () => {
    const y = flat(dropout(tg.ones([2000]), 0.3, null, 11));
    const kept = Math.fround(1 / 0.7); // the scale rounded to float32, times 1
    expect(y.every((v) => v === 0 || v === kept)).toBe(true);
    const fraction = y.filter((v) => v !== 0).length / y.length;
    expect(Math.abs(fraction - 0.7)).toBeLessThan(0.04); // σ = sqrt(0.21/2000) ≈ 0.01
  });

  test('a seed gives the same mask every time; another seed another one', () => {
    const a = flat(dropout(tg.ones([64]), 0.5, undefined, 5));
    expect(flat(dropout(tg.ones([64]), 0.5, undefined, 5))).toEqual(a);
    expect(flat(dropout(tg.ones([64]), 0.5, undefined, 6))).not.toEqual(a);
    // the mask of seed 5, rate 0.5, on every platform (xoshiro128** integers only)
    expect(a.slice(0, 8)).toEqual([2, 2, 0, 2, 2, 0, 0, 2]);
  });

  test('the gradient is the same mask times the scale', () => {
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8]);
    const y = flat(dropout(x, 0.25, null, 3));
    const g = flat(gradOf((t) => dropout(t, 0.25, null, 3), x));
    expect(g).toEqual(y.map((v, i) => (v === 0 ? 0 : v / (i + 1))));
    expect(g.some((v) => v === 0) && g.some((v) => v === 4 / 3)).toBe(true);
  });

  test("noiseShape: size-1 axes share their flag; null takes x's dimension", () => {
    const rows = tg.unstack(dropout(tg.ones([3, 10]), 0.5, [1, 10], 1)).map(flat);
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
    for (const row of tg.unstack(dropout(tg.ones([4, 6]), 0.5, [null, 1], 2)).map(flat))
      expect(new Set(row).size).toBe(1);
    expect([0, 4]).toContain(dropout(tg.scalar(2), 0.5, undefined, 9).item());
  });

  test('rate 0 returns x itself; rate 1, negative or NaN rates, int x and bad noise shapes are refused', () => {
    const x = tg.tensor([1, 2]);
    expect(dropout(x, 0)).toBe(x);
    expectRefused((t) => dropout(t, 1), tg.ArgumentError, /^dropout: rate must be a number in \[0, 1\), got 1/);
    expectRefused((t) => dropout(t, -0.1), tg.ArgumentError, /^dropout: rate/);
    expectRefused((t) => dropout(t, NaN), tg.ArgumentError, /^dropout: rate/);
    expectRefused((t) => dropout(tg.cast(t, 'int32'), 0.5), tg.DTypeError, /^dropout: x must be a float32/);
    expectRefused((t) => dropout(t, 0.5, [3]), tg.ShapeError, /^dropout: noiseShape \[3\] must broadcast/);
    expectRefused((t) => dropout(t, 0.5, [2, 2]), tg.ShapeError, /^dropout: noiseShape \[2,2\] must broadcast/);
    expectRefused((t) => dropout(t, 0.5, null, 1.5), tg.ArgumentError, /^dropout: seed must be an integer/);
  });
});

describe('clipByNorm', () => {
  test("TF's documented example, and rows clipped one by one", () => {
    expectTensor(clipByNorm([[1, 2, 3, 4, 5]], 2), [0.26967996, 0.5393599, 0.80903983, 1.0787199, 1.3483998], [1, 5]);
    // row norms 5 and 1 against 1: the first row scaled by 1/5, the second as it is
    expectTensor(
      clipByNorm(
        f64([
          [3, 4],
          [0.6, 0.8],
        ]),
        1,
        1,
      ),
      [0.6, 0.8, 0.6, 0.8],
      [2, 2],
      1e-15,
    );
    expectTensor(clipByNorm([3, 4], 10), [3, 4], [2]);
    // a negative clipNorm counts as 0
    expectTensor(clipByNorm([3, 4], -1), [0, 0], [2]);
  });

  test('the gradient: finite at 0, and through a tensor clipNorm', () => {
    // at x = 0 the norm is the zero sum itself, max(0, c) = c: x·c/c, gradient 1
    expectTensor(
      gradOf((x) => clipByNorm(x, 1), f64([0, 0])),
      [1, 1],
      [2],
      0,
    );
    // ‖[3, 4]‖ = 5 > c: Σ x·c/5 = 7c/5, d/dc = 1.4
    expectTensor(
      gradOf((c) => clipByNorm(f64([3, 4]), c), tg.scalar(1, 'float64')),
      1.4,
      [],
      1e-15,
    );
  });

  test('bad input', () => {
    expectRefused((x) => clipByNorm(tg.cast(x, 'int32'), 1), tg.DTypeError, /^clipByNorm: x must be a float32/);
    expectRefused((x) => clipByNorm(x, x), tg.ArgumentError, /^clipByNorm: clipNorm must be a scalar/);
    expectRefused((x) => clipByNorm(x, 1, 2), tg.ShapeError, /^clipByNorm: axis 2 is out of range/);
  });
});

describe('clipByGlobalNorm', () => {
  test('every tensor scaled by clip / max(norm, clip); nulls passed through', () => {
    const [clipped, norm] = clipByGlobalNorm([[3], null, [4]], 1);
    expectTensor(norm, 5, []);
    expect(clipped[1]).toBeNull();
    expectTensor(clipped[0], [0.6], [1]);
    expectTensor(clipped[2], [0.8], [1]);
    const [kept] = clipByGlobalNorm([f64([3]), f64([[4]])], 10);
    expectTensor(kept[0], [3], [1], 1e-15);
    expectTensor(kept[1], [4], [1, 1], 1e-15);
  });

  test('an infinite norm makes every value NaN; no tensors give norm 0', () => {
    const [clipped, norm] = clipByGlobalNorm([[Infinity, 1]], 1);
    expectTensor(norm, Infinity, []);
    expectTensor(clipped[0], [NaN, NaN], [2]);
    const [none, zero] = clipByGlobalNorm([null], 1);
    expect(none).toEqual([null]);
    expectTensor(zero, 0, []);
  });

  test('the gradient goes through the norm too', () => {
    // x = [3, 4], c = 1: y = x/‖x‖, Σy = 7/5, d/dx = 1/‖x‖ − x·Σx/‖x‖³ = [0.2 − 21/125, 0.2 − 28/125]
    const g = gradOf((x) => clipByGlobalNorm([x], 1)[0][0]!, f64([3, 4]));
    expectTensor(g, [0.2 - 21 / 125, 0.2 - 28 / 125], [2], 1e-15);
  });

  test('bad input', () => {
    expectRefused(
      (x) => clipByGlobalNorm(x as unknown as Tensor[], 1),
      tg.ArgumentError,
      /^clipByGlobalNorm: xs must be an array/,
    );
    expectRefused(
      (x) => clipByGlobalNorm([x, tg.tensor([1])], 1),
      tg.DTypeError,
      /^clipByGlobalNorm: the tensors must have one dtype/,
    );
    expectRefused(
      (x) => clipByGlobalNorm([tg.cast(x, 'int32')], 1),
      tg.DTypeError,
      /^clipByGlobalNorm: xs\[0\] must be a float32/,
    );
    expectRefused(
      (x) => clipByGlobalNorm([x], tg.scalar(1)),
      tg.DTypeError,
      /^clipByGlobalNorm: clipNorm must be a float64/,
    );
  });
});

describe('tg.nn cross-entropies', () => {
  test('sigmoidCrossEntropyWithLogits: values, finite at ±1000, gradient sigmoid(x) − z even at 0', () => {
    expectTensor(sigmoidCrossEntropyWithLogits([1, 0], [0, 0]), [Math.LN2, Math.LN2], [2]);
    // z = 1, x = 2: −log(sigmoid(2)) = log(1 + e^−2)
    expectTensor(sigmoidCrossEntropyWithLogits(f64([1]), f64([2])), [Math.log1p(Math.exp(-2))], [1], 1e-15);
    expectTensor(sigmoidCrossEntropyWithLogits([1, 0, 1, 0], [1000, 1000, -1000, -1000]), [0, 1000, 1000, 0], [4]);
    // at x = 0: sigmoid(0) − 0.3 = 0.2 (TF's selections, not relu and abs, which would give −0.3)
    expectTensor(
      gradOf((x) => sigmoidCrossEntropyWithLogits(f64([0.3]), x), f64([0])),
      [0.2],
      [1],
      1e-15,
    );
    // d/dz = −x
    expectTensor(
      gradOf((z) => sigmoidCrossEntropyWithLogits(z, f64([2, -3])), f64([0.5, 0.5])),
      [-2, 3],
      [2],
      0,
    );
  });

  test("softmaxCrossEntropyWithLogits: TF's documented example, axis, ±1000, both gradients", () => {
    const logits = [
      [4, 2, 1],
      [0, 5, 1],
    ];
    const labels = [
      [1, 0, 0],
      [0, 0.8, 0.2],
    ];
    expectTensor(softmaxCrossEntropyWithLogits(labels, logits), [0.16984604, 0.82474494], [2]);
    expectTensor(
      softmaxCrossEntropyWithLogits(tg.transpose(labels), tg.transpose(logits), 0),
      [0.16984604, 0.82474494],
      [2],
    );
    expectTensor(
      softmaxCrossEntropyWithLogits(
        [
          [0, 1],
          [1, 0],
        ],
        [
          [1000, -1000],
          [1000, -1000],
        ],
      ),
      [2000, 0],
      [2],
    );
    // a one-hot row: gradient softmax − z; the labels' gradient −log softmax
    const x = f64([0, Math.log(3)]); // softmax [1/4, 3/4]
    expectTensor(
      gradOf((t) => softmaxCrossEntropyWithLogits(f64([1, 0]), t), x),
      [-0.75, 0.75],
      [2],
      1e-15,
    );
    expectTensor(
      gradOf((z) => softmaxCrossEntropyWithLogits(z, x), f64([1, 0])),
      [Math.log(4), Math.log(4 / 3)],
      [2],
      1e-15,
    );
    // int labels are cast to the logits' dtype
    expectTensor(softmaxCrossEntropyWithLogits(i32([1, 0]), x), [Math.log(4)], [], 1e-15);
  });

  test('sparseSoftmaxCrossEntropyWithLogits: −log softmax at the label, any batch rank', () => {
    const logits = [
      [4, 2, 1],
      [0, 5, 1],
    ];
    // row 2: log(e⁰ + e⁵ + e¹) − 5
    expectTensor(
      sparseSoftmaxCrossEntropyWithLogits([0, 1], logits),
      [0.16984604, Math.log(1 + Math.exp(5) + Math.E) - 5],
      [2],
    );
    expectTensor(
      sparseSoftmaxCrossEntropyWithLogits([[0], [1]], [[[1000, -1000]], [[1000, -1000]]]),
      [0, 2000],
      [2, 1],
    );
    expect(sparseSoftmaxCrossEntropyWithLogits(i32([]), tg.zeros([0, 4])).shape).toEqual([0]);
    // gradient softmax − onehot: softmax([0, log 3]) = [1/4, 3/4], label 1
    expectTensor(
      gradOf((t) => sparseSoftmaxCrossEntropyWithLogits([1], t), f64([[0, Math.log(3)]])),
      [0.25, -0.25],
      [1, 2],
      1e-15,
    );
  });

  test('bad input', () => {
    expectRefused(
      (x) => sigmoidCrossEntropyWithLogits([1, 0, 1], x),
      tg.ShapeError,
      /^sigmoidCrossEntropyWithLogits: labels \[3\] and logits \[2\]/,
    );
    expectRefused(
      (x) => sigmoidCrossEntropyWithLogits(tg.tensor([1, 0]), x),
      tg.DTypeError,
      /^sigmoidCrossEntropyWithLogits: labels must have/,
    );
    expectRefused(
      (x) => sigmoidCrossEntropyWithLogits(x, i32([1, 2])),
      tg.DTypeError,
      /^sigmoidCrossEntropyWithLogits: logits must be a float32/,
    );
    expectRefused(
      (x) => softmaxCrossEntropyWithLogits(x, x, 1),
      tg.ShapeError,
      /^softmaxCrossEntropyWithLogits: axis 1/,
    );
    expectRefused(
      (x) => softmaxCrossEntropyWithLogits(x, x),
      tg.ShapeError,
      /^softmaxCrossEntropyWithLogits: logits must have a class axis/,
      [],
    );
    expectRefused(
      (x) => sparseSoftmaxCrossEntropyWithLogits([2], x),
      tg.ArgumentError,
      /^sparseSoftmaxCrossEntropyWithLogits: label 2 is outside the valid range \[0, 2\)/,
      [1, 2],
    );
    expectRefused(
      (x) => sparseSoftmaxCrossEntropyWithLogits([0, 1], x),
      tg.ShapeError,
      /^sparseSoftmaxCrossEntropyWithLogits: labels \[2\] must have the shape/,
      [1, 2],
    );
    expectRefused(
      (x) => sparseSoftmaxCrossEntropyWithLogits(tg.tensor([0]), x),
      tg.DTypeError,
      /^sparseSoftmaxCrossEntropyWithLogits: labels must be int32/,
      [1, 2],
    );
    expectRefused(
      (x) => sparseSoftmaxCrossEntropyWithLogits(0, x),
      tg.ShapeError,
      /^sparseSoftmaxCrossEntropyWithLogits: logits must have a class axis/,
      [],
    );
  });
});

describe('truncatedNormal', () => {
  test('10000 values within 2σ, mean 0 and standard deviation 0.8796 (the normal truncated at ±2)', () => {
    const v = flat(truncatedNormal([100, 100], { seed: 42, dtype: 'float64' }));
    expect(v.every((z) => Math.abs(z) < 2)).toBe(true);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    // σ² = 1 − 2·2φ(2)/(Φ(2) − Φ(−2)) = 1 − 4·0.0539910/0.9544997 = 0.773741; standard errors 0.009 and 0.006
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 0.8796)).toBeLessThan(0.02);
  });

  test('mean and stddev shift and scale; the same seed gives the same numbers', () => {
    const a = truncatedNormal([500], { mean: 5, stddev: 2, seed: 3 });
    expect(a.dtype).toBe('float32');
    expect(flat(a).every((z) => z > 1 && z < 9)).toBe(true);
    expect(flat(truncatedNormal([500], { mean: 5, stddev: 2, seed: 3 }))).toEqual(flat(a));
    expect(flat(truncatedNormal([500], { mean: 5, stddev: 2, seed: 4 }))).not.toEqual(flat(a));
    expect(truncatedNormal([0, 3]).shape).toEqual([0, 3]);
    expect(flat(truncatedNormal([4], { seed: 1, dtype: 'float64' }))).toEqual([
      0.1681321120958473, 0.9542843185011038, -0.43060011100390955, 0.04029909996824959,
    ]);
  });

  test('bad input', () => {
    expect(() => truncatedNormal([2], { dtype: 'int32' as 'float32' })).toThrow(
      /^truncatedNormal: dtype must be float32 or float64, got int32/,
    );
    expect(() => truncatedNormal([2], { sd: 1 } as unknown as tg.RandomNormalOptions)).toThrow(
      /^truncatedNormal: unknown option "sd"/,
    );
    expect(() => truncatedNormal([-1])).toThrow(tg.ShapeError);
    expect(() => truncatedNormal([2], { stddev: NaN })).toThrow(/^truncatedNormal: stddev must be a finite number/);
    expect(() => truncatedNormal([2], { seed: 0.5 })).toThrow(/^truncatedNormal: seed must be an integer/);
  });
});

describe('randomShuffle', () => {
  test('a permutation of the first axis, rows kept whole, the same for a seed', () => {
    const x = tg.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], undefined, 'int32');
    const y = flat(randomShuffle(x, { seed: 1 }));
    expect([...y].sort((a, b) => a - b)).toEqual(flat(x));
    expect(y).not.toEqual(flat(x));
    expect(flat(randomShuffle(x, { seed: 1 }))).toEqual(y);
    // the order of seed 3 on every platform (the TSDoc example)
    expect(flat(randomShuffle([1, 2, 3, 4], { seed: 3 }))).toEqual([1, 4, 2, 3]);
    expect(randomShuffle(x).dtype).toBe('int32');
    const rows = flat(randomShuffle(tg.reshape(tg.range(0, 10), [5, 2]), { seed: 2 }));
    for (let i = 0; i < 5; i++) expect(rows[2 * i + 1]).toBe(rows[2 * i] + 1);
    const s = tg.scalar(3);
    expect(randomShuffle(s)).toBe(s);
    expect(randomShuffle(tg.zeros([0, 2])).shape).toEqual([0, 2]);
  });

  test('Fisher–Yates is uniform: each order of three about 1/6 of 6000 seeds', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 6000; seed++) {
      const key = flat(randomShuffle([0, 1, 2], { seed })).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // binomial σ = sqrt(6000·(1/6)·(5/6)) ≈ 29
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(130);
  });

  test('the gradient puts dy back in place (TF has none)', () => {
    const x = f64([10, 20, 30, 40]);
    const y = flat(randomShuffle(x, { seed: 5 }));
    // Σ y·w: the element 10k lands at position p gets w[p] = p + 1
    const g = flat(gradOf((t) => randomShuffle(t, { seed: 5 }), x, f64([1, 2, 3, 4])));
    expect(g).toEqual(flat(x).map((v) => y.indexOf(v) + 1));
  });

  test('bad input', () => {
    expect(() => randomShuffle([1, 2], { seed: 'a' as unknown as number })).toThrow(
      /^randomShuffle: seed must be an integer/,
    );
    expect(() => randomShuffle([1, 2], { sed: 1 } as unknown as { seed: number })).toThrow(
      /^randomShuffle: unknown option/,
    );
  });
});

describe('multinomial', () => {
  test('int32 [batch, numSamples], class i with probability softmax(row)_i', () => {
    const s = multinomial(tg.log([[0.2, 0.8]]), 10000, 7);
    expect(s.dtype).toBe('int32');
    expect(s.shape).toEqual([1, 10000]);
    const ones = flat(s).filter((k) => k === 1).length / 10000;
    expect(Math.abs(ones - 0.8)).toBeLessThan(0.02); // σ = 0.004
    expect(flat(s).every((k) => k === 0 || k === 1)).toBe(true);
    // logits ±1000 are fine; −Infinity is never drawn
    const big = flat(multinomial([[1000, 1000, -Infinity]], 2000, 1));
    expect(big.every((k) => k < 2)).toBe(true);
    expect(Math.abs(big.filter((k) => k === 0).length / 2000 - 0.5)).toBeLessThan(0.05);
  });

  test('the same seed gives the same samples; rows are drawn independently', () => {
    const logits = f64([
      [0, 1, 2],
      [2, 1, 0],
    ]);
    const a = flat(multinomial(logits, 50, 3));
    expect(flat(multinomial(logits, 50, 3))).toEqual(a);
    expect(flat(multinomial(logits, 50, 4))).not.toEqual(a);
    expect(a.slice(0, 12)).toEqual([2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1]);
  });

  test('edges: no samples, no rows, a row with no finite logit gives the class count (TF)', () => {
    expect(multinomial([[0, 0]], 0).shape).toEqual([1, 0]);
    expect(multinomial(tg.zeros([0, 3]), 4).shape).toEqual([0, 4]);
    expect(flat(multinomial([[-Infinity, -Infinity]], 2, 1))).toEqual([2, 2]);
  });

  test('bad input', () => {
    expect(() => multinomial([0, 1], 2)).toThrow(
      /^multinomial: logits must be a matrix \[batch, classes\], got shape \[2\]/,
    );
    expect(() => multinomial(i32([[0, 1]]), 2)).toThrow(tg.DTypeError);
    expect(() => multinomial([[0, 1]], -1)).toThrow(
      /^multinomial: numSamples must be an integer in \[0, 2147483647\], got -1/,
    );
    expect(() => multinomial([[0, 1]], 1.5)).toThrow(tg.ArgumentError);
    expect(() => multinomial(tg.zeros([2, 0]), 1)).toThrow(/^multinomial: logits must have at least one class/);
    expect(() => multinomial([[0, 1]], 1, 0.5)).toThrow(/^multinomial: seed must be an integer/);
  });
});

test('portableExp: within an ulp or two of Math.exp, exact 1 at 0, 0 and Infinity past the range', () => {
  for (const x of [-745.2, -744, -700, -100, -20, -1, -0.5, -1e-10, 0, 1e-10, 0.3, 1, 10, 100, 709.7]) {
    const want = Math.exp(x);
    expect(Math.abs(portableExp(x) - want)).toBeLessThanOrEqual(want * 4.5e-16 + Number.MIN_VALUE);
  }
  expect(portableExp(0)).toBe(1);
  expect(portableExp(-746)).toBe(0);
  expect(portableExp(710)).toBe(Infinity);
  expect(portableExp(-Infinity)).toBe(0);
  expect(portableExp(NaN)).toBeNaN();
});
