// Values, gradients and errors of the "More ops" reductions and scans: all, any, variance, std,
// euclideanNorm, moments, cumsum, cumprod, cumulativeLogSumExp (TF's examples, or hand-computed).
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { NOT_DIFFERENTIABLE, primitives } from '../../src/ops/primitive';
import { all, any } from '../../src/ops/prims/reduce';
import { euclideanNorm, std, variance } from '../../src/ops/composite/reduce';
import { moments } from '../../src/ops/composite/moments';
import { cumprod, cumsum, cumulativeLogSumExp } from '../../src/ops/prims/cumulative';
import { linearScan } from '../../src/ops/prims/scan';
import { expectTensor, flat } from '../helpers';

afterEach(() => expect(activeRecorders.length).toBe(0));

const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');
const i32 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'int32');
const m22 = () =>
  tg.tensor([
    [1, 2],
    [3, 4],
  ]);

/** The gradient of sum(f(x)·w) (w = 1 by default) at x, on a tape. */
function grad(f: (x: Tensor) => Tensor, x: Tensor, w?: Tensor): Tensor {
  using tape = new tg.GradientTape();
  tape.watch(x);
  const y = f(x);
  return tape.gradient(tg.sum(w ? y.mul(w) : y), x) as Tensor;
}

/** A call that must throw `type` with a message starting with `name` and leave nothing on a watching tape. */
function expectRefused(call: (x: Tensor) => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  const x = tg.tensor([
    [0.5, 1],
    [2, 3],
  ]);
  using tape = new tg.GradientTape();
  tape.watch(x);
  expect(() => call(x)).toThrow(type);
  expect(() => call(x)).toThrow(message);
  expect(tape.toString().split('\n')[0]).toMatch(/\(persistent=false, 0 ops\)/);
}

describe('all and any', () => {
  // TF's documented example: x = [[True, True], [False, False]]
  const x = () =>
    tg.tensor([
      [true, true],
      [false, false],
    ]);

  test('over all axes, each axis, a negative axis, keepDims', () => {
    expect(all(x()).arraySync()).toBe(false);
    expect(all(x(), 0).arraySync()).toEqual([false, false]);
    expect(all(x(), 1).arraySync()).toEqual([true, false]);
    expect(all(x(), -1, true).arraySync()).toEqual([[true], [false]]);
    expect(any(x()).arraySync()).toBe(true);
    expect(any(x(), 0).arraySync()).toEqual([true, true]);
    expect(any(x(), -1).arraySync()).toEqual([true, false]);
    expect(any(x(), [0, 1], true).arraySync()).toEqual([[true]]);
    expect(all(x(), 1).dtype).toBe('bool');
  });

  test('non-adjacent axes of a rank-3 tensor', () => {
    // t[i][j][k] = (i + j + k) is odd; over i and k for each j: all false, any true
    const t = tg.tensor(
      [0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1].map((v) => v === 1),
      [2, 3, 2],
    );
    expect(all(t, [0, 2]).arraySync()).toEqual([false, false, false]);
    expect(any(t, [0, 2]).arraySync()).toEqual([true, true, true]);
    const ones = tg.tensor([true, true, true, true, false, true], [3, 2]);
    expect(all(tg.reshape(ones, [3, 1, 2]), [0, 2]).arraySync()).toEqual([false]);
  });

  test('over nothing: all is true, any is false (their identities); rank 0', () => {
    expect(all(tg.tensor([], [0], 'bool')).arraySync()).toBe(true);
    expect(any(tg.tensor([], [0], 'bool')).arraySync()).toBe(false);
    expect(all(tg.zeros([2, 0], 'bool'), 1).arraySync()).toEqual([true, true]);
    expect(any(tg.zeros([2, 0], 'bool'), 1).arraySync()).toEqual([false, false]);
    expect(all(tg.zeros([0, 3], 'bool'), 1).shape).toEqual([0]);
    expect(all(tg.scalar(true)).arraySync()).toBe(true);
    expect(any(tg.scalar(false)).arraySync()).toBe(false);
  });

  test('bool in only, no derivative declared', () => {
    expectRefused((t) => all(t), tg.DTypeError, /^all: expected a bool tensor, got float32/);
    expectRefused(() => any(i32([1, 0])), tg.DTypeError, /^any: expected a bool tensor, got int32/);
    expectRefused((t) => all(tg.greater(t, 1), 2), tg.ShapeError, /^all: axis 2 is out of range/);
    expectRefused((t) => any(tg.greater(t, 1), 0, 'yes' as unknown as boolean), tg.ArgumentError, /^any: keepDims/);
    expect(primitives.get('all')?.vjp).toBe(NOT_DIFFERENTIABLE);
    expect(primitives.get('any')?.vjp).toBe(NOT_DIFFERENTIABLE);
  });
});

describe('variance and std', () => {
  test("TF's examples: [[1, 2], [3, 4]]", () => {
    expectTensor(variance(m22()), 1.25, []); // mean 2.5; (2.25 + 0.25 + 0.25 + 2.25) / 4
    expectTensor(variance(m22(), 0), [1, 1], [2]); // ((1 - 2)² + (3 - 2)²) / 2
    expectTensor(variance(m22(), -1), [0.25, 0.25], [2]); // ((1 - 1.5)² + (2 - 1.5)²) / 2
    expectTensor(variance(m22(), 1, true), [0.25, 0.25], [2, 1]);
    expectTensor(std(m22()), Math.sqrt(1.25), []);
    expectTensor(std(m22(), 0), [1, 1], [2]);
    expectTensor(std(m22(), [-1], true), [0.5, 0.5], [2, 1]);
    // TF's test: mean 1, two squared deviations of 1 among 8 → 0.25, std 0.5
    expectTensor(
      std([
        [1, 2, 1, 1],
        [1, 1, 0, 1],
      ]),
      0.5,
    );
    expect(variance(f64([1, 2])).dtype).toBe('float64');
  });

  test('two passes: no cancellation for a large offset (float64)', () => {
    // 1e9 + [1, 2, 3, 4]: deviations -1.5 … 1.5, variance 1.25 exactly (E[x²] - E[x]² would lose it)
    expectTensor(variance(f64([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4])), 1.25, [], 0);
  });

  test('empty reductions are NaN (0 / 0), as TF; rank 0 gives 0', () => {
    expectTensor(variance(tg.zeros([0])), NaN, []);
    expectTensor(std(tg.zeros([2, 0]), 1), [NaN, NaN], [2]);
    expectTensor(variance(tg.zeros([0, 2]), 1), [], [0]);
    expectTensor(variance(tg.scalar(3)), 0, []);
  });

  test('gradients: 2(x - mean)/n, and (x - mean)/(n·std); NaN at zero variance as TF', () => {
    // x = [1, 2, 3, 4], mean 2.5, n 4: 2·[-1.5, -0.5, 0.5, 1.5] / 4
    expectTensor(
      grad((x) => variance(x), f64([1, 2, 3, 4])),
      [-0.75, -0.25, 0.25, 0.75],
      [4],
      1e-15,
    );
    const s = Math.sqrt(1.25);
    expectTensor(
      grad((x) => std(x), f64([1, 2, 3, 4])),
      [-1.5, -0.5, 0.5, 1.5].map((d) => d / (4 * s)),
      [4],
      1e-15,
    );
    // all equal: sqrt's 0.5/0 = inf meets the deviations' 0, as TF's SqrtGrad·SquareGrad (NaN)
    expectTensor(
      grad((x) => std(x), f64([2, 2, 2])),
      [NaN, NaN, NaN],
      [3],
    );
  });

  test('float only, as TF (TypeError for integers); checked arguments', () => {
    expectRefused(
      () => variance(i32([1, 2])),
      tg.DTypeError,
      /^variance: expected a float32 or float64 tensor, got int32/,
    );
    expectRefused(() => std(tg.tensor([true])), tg.DTypeError, /^std: expected a float32 or float64 tensor, got bool/);
    expectRefused((t) => variance(t, [0, 0]), tg.ShapeError, /^variance: repeated axis/);
    expectRefused((t) => std(t, -3), tg.ShapeError, /^std: axis -3 is out of range/);
    expectRefused((t) => std(t, 0.5), tg.ArgumentError, /^std: an axis must be an integer/);
    expectRefused((t) => variance(t, 0, 1 as unknown as boolean), tg.ArgumentError, /^variance: keepDims/);
  });
});

describe('euclideanNorm', () => {
  test("TF's examples (int32): x = [[1, 2, 3], [1, 1, 1]], the roots truncated", () => {
    const x = () =>
      i32([
        [1, 2, 3],
        [1, 1, 1],
      ]);
    const all = euclideanNorm(x()); // sqrt(1 + 4 + 9 + 1 + 1 + 1) = sqrt(17) = 4.12…
    expect(all.dtype).toBe('int32');
    expect(all.arraySync()).toBe(4);
    expect(euclideanNorm(x(), 0).arraySync()).toEqual([1, 2, 3]); // sqrt 2, sqrt 5, sqrt 10
    expect(euclideanNorm(x(), 1).arraySync()).toEqual([3, 1]); // sqrt 14, sqrt 3
    expect(euclideanNorm(x(), 1, true).arraySync()).toEqual([[3], [1]]);
    expect(euclideanNorm(x(), [0, 1]).arraySync()).toBe(4);
  });

  test('floats: axes, negative axes, keepDims, empty', () => {
    const x = tg.tensor([
      [3, 4],
      [5, 12],
    ]);
    expectTensor(euclideanNorm(x, -1), [5, 13], [2]); // sqrt(9 + 16), sqrt(25 + 144)
    expectTensor(euclideanNorm(x, 0, true), [Math.sqrt(34), Math.sqrt(160)], [1, 2]);
    expectTensor(euclideanNorm(x), Math.sqrt(194), []); // 9 + 16 + 25 + 144
    expectTensor(euclideanNorm(tg.zeros([0])), 0, []);
    expectTensor(euclideanNorm(tg.scalar(-2)), 2, []);
  });

  test('gradient x/norm; NaN at a zero norm as TF (0/0)', () => {
    expectTensor(
      grad((x) => euclideanNorm(x), f64([3, 4])),
      [0.6, 0.8],
      [2],
      1e-15,
    );
    expectTensor(
      grad((x) => euclideanNorm(x), f64([0, 0])),
      [NaN, NaN],
      [2],
    );
  });

  test('errors', () => {
    expectRefused(() => euclideanNorm(tg.tensor([true])), tg.DTypeError, /^euclideanNorm: expected a numeric tensor/);
    expectRefused((t) => euclideanNorm(t, 2), tg.ShapeError, /^euclideanNorm: axis 2 is out of range/);
    expectRefused((t) => euclideanNorm(t, '0' as unknown as number), tg.ArgumentError, /^euclideanNorm: axis must/);
  });
});

describe('moments', () => {
  test('mean and population variance over axes, keepDims', () => {
    const a = moments(m22(), 0);
    expectTensor(a.mean, [2, 3], [2]); // (1 + 3) / 2, (2 + 4) / 2
    expectTensor(a.variance, [1, 1], [2]);
    const b = moments(m22(), [0, 1], true);
    expectTensor(b.mean, [2.5], [1, 1]);
    expectTensor(b.variance, [1.25], [1, 1]);
    const c = moments(m22(), -1);
    expectTensor(c.mean, [1.5, 3.5], [2]);
    expectTensor(c.variance, [0.25, 0.25], [2]);
    const d = moments(m22());
    expectTensor(d.mean, 2.5, []);
    expectTensor(d.variance, 1.25, []);
  });

  test('int32: both int32, each mean truncated as TF', () => {
    // mean (1 + 2 + 4) / 3 = 2.33 → 2; squared deviations 1, 0, 4: 5 / 3 → 1
    const { mean, variance: v } = moments(i32([1, 2, 4]), 0);
    expect(mean.dtype).toBe('int32');
    expect(mean.arraySync()).toBe(2);
    expect(v.arraySync()).toBe(1);
  });

  test('empty: NaN', () => {
    const { mean, variance: v } = moments(tg.zeros([2, 0]), 1);
    expectTensor(mean, [NaN, NaN], [2]);
    expectTensor(v, [NaN, NaN], [2]);
  });

  test("the variance's Hessian is 2/n·(I - 11ᵀ/n) (TF's stopped mean would give 2/n·I)", () => {
    // var([a, b]) = (a - b)²/4: ∂²/∂a² = 1/2, ∂²/∂a∂b = -1/2
    const h = tg.hessian((x: Tensor) => moments(x, 0).variance)(f64([0.3, -1.2]));
    expectTensor(h, [0.5, -0.5, -0.5, 0.5], [2, 2], 1e-15);
    // the first derivative as TF: 2(x - mean)/n = [0.75, -0.75]
    expectTensor(
      grad((x) => moments(x, 0).variance, f64([0.3, -1.2])),
      [0.75, -0.75],
      [2],
      1e-15,
    );
  });

  test('errors', () => {
    expectRefused(() => moments(tg.tensor([true])), tg.DTypeError, /^moments: expected a numeric tensor/);
    expectRefused((t) => moments(t, [0, 5]), tg.ShapeError, /^moments: axis 5 is out of range/);
    expectRefused((t) => moments(t, 0, null as unknown as boolean), tg.ArgumentError, /^moments: keepDims/);
  });
});

describe('cumsum', () => {
  test("TF's examples: [2, 4, 6, 8] and its exclusive and reverse forms", () => {
    expectTensor(cumsum([2, 4, 6, 8]), [2, 6, 12, 20], [4]);
    expectTensor(cumsum([2, 4, 6, 8], 0, true), [0, 2, 6, 12], [4]);
    expectTensor(cumsum([2, 4, 6, 8], 0, false, true), [20, 18, 14, 8], [4]); // 8+6+4+2, 8+6+4, 8+6, 8
    expectTensor(cumsum([2, 4, 6, 8], 0, true, true), [18, 14, 8, 0], [4]);
  });

  test('along each axis and negative axes of a matrix, and an inner axis of rank 3', () => {
    const x = () =>
      tg.tensor([
        [2, 4, 6, 8],
        [1, 3, 5, 7],
      ]);
    expectTensor(cumsum(x()), [2, 4, 6, 8, 3, 7, 11, 15], [2, 4]);
    expectTensor(cumsum(x(), -1), [2, 6, 12, 20, 1, 4, 9, 16], [2, 4]);
    expectTensor(cumsum(x(), -2, false, true), [3, 7, 11, 15, 1, 3, 5, 7], [2, 4]);
    // t[i][j][k] = 6i + 2j + k, along j: running sums of 6i + k, 6i + k + 2, 6i + k + 4
    const t = tg.reshape(tg.range(0, 12), [2, 3, 2]);
    expectTensor(cumsum(t, 1), [0, 1, 2, 4, 6, 9, 6, 7, 14, 16, 24, 27], [2, 3, 2]);
  });

  test('int32 stays int32 and wraps as TF; float64 stays float64', () => {
    const y = cumsum(i32([2147483647, 1, 5]));
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual([2147483647, -2147483648, -2147483643]);
    expect(cumsum(f64([0.1, 0.2])).dtype).toBe('float64');
  });

  test('empty tensors keep their shape', () => {
    expectTensor(cumsum(tg.zeros([0])), [], [0]);
    expectTensor(cumsum(tg.zeros([2, 0]), 1, true), [], [2, 0]);
    expectTensor(cumsum(tg.zeros([0, 3]), -1, false, true), [], [0, 3]);
  });

  test("gradient: the cumsum of dy the other way (TF's _CumsumGrad)", () => {
    // d/dx_j Σ_i w_i·y_i = Σ_{i≥j} w_i: [1 + 2 + 3, 2 + 3, 3]; exclusive: Σ_{i>j} w_i
    const w = f64([1, 2, 3]);
    expectTensor(
      grad((x) => cumsum(x), f64([5, -1, 2]), w),
      [6, 5, 3],
      [3],
      0,
    );
    expectTensor(
      grad((x) => cumsum(x, 0, true), f64([5, -1, 2]), w),
      [5, 3, 0],
      [3],
      0,
    );
    expectTensor(
      grad((x) => cumsum(x, 0, false, true), f64([5, -1, 2]), w),
      [1, 3, 6],
      [3],
      0,
    );
  });

  test('errors: a scalar, axis out of range or not an integer, bool, flags', () => {
    expectRefused(() => cumsum(tg.scalar(1)), tg.ShapeError, /^cumsum: axis 0 is out of range for a tensor of rank 0/);
    expectRefused((t) => cumsum(t, 2), tg.ShapeError, /^cumsum: axis 2 is out of range/);
    expectRefused((t) => cumsum(t, -3), tg.ShapeError, /^cumsum: axis -3 is out of range/);
    expectRefused((t) => cumsum(t, [0] as unknown as number), tg.ArgumentError, /^cumsum: an axis must be an integer/);
    expectRefused(() => cumsum(tg.tensor([true])), tg.DTypeError, /^cumsum: expected a numeric tensor, got bool/);
    expectRefused((t) => cumsum(t, 0, 'yes' as unknown as boolean), tg.ArgumentError, /^cumsum: exclusive/);
    expectRefused((t) => cumsum(t, 0, false, 1 as unknown as boolean), tg.ArgumentError, /^cumsum: reverse/);
  });
});

describe('cumprod', () => {
  test("TF's examples: [2, 4, 6, 8] and its exclusive and reverse forms", () => {
    expectTensor(cumprod([2, 4, 6, 8]), [2, 8, 48, 384], [4]);
    expectTensor(cumprod([2, 4, 6, 8], 0, true), [1, 2, 8, 48], [4]);
    expectTensor(cumprod([2, 4, 6, 8], 0, false, true), [384, 192, 48, 8], [4]); // 8·6·4·2, 8·6·4, 8·6, 8
    expectTensor(cumprod([2, 4, 6, 8], 0, true, true), [192, 48, 8, 1], [4]);
  });

  test('axes, int32 (wrapping as TF), empty', () => {
    expectTensor(
      cumprod(
        [
          [1, 2],
          [3, 4],
        ],
        -1,
      ),
      [1, 2, 3, 12],
      [2, 2],
    );
    expectTensor(
      cumprod(
        [
          [1, 2],
          [3, 4],
        ],
        0,
        false,
        true,
      ),
      [3, 8, 3, 4],
      [2, 2],
    );
    const y = cumprod(i32([2, 3, 4]));
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual([2, 6, 24]);
    expect(cumprod(i32([65536, 65536, 3])).arraySync()).toEqual([65536, 0, 0]); // 2³² wraps to 0
    expectTensor(cumprod(tg.zeros([3, 0]), 1), [], [3, 0]);
  });

  test('the gradient is right at zeros: [1, 8, 0] at [2, 0, 3] (TF gives [1, 0, 0])', () => {
    // y = [x0, x0·x1, x0·x1·x2]: ∂Σy/∂x0 = 1 + x1 + x1·x2 = 1; ∂/∂x1 = x0 + x0·x2 = 2 + 6; ∂/∂x2 = x0·x1 = 0
    expectTensor(
      grad((x) => cumprod(x), f64([2, 0, 3])),
      [1, 8, 0],
      [3],
      0,
    );
    // reverse: y = [x0·x1·x2, x1·x2, x2]: ∂/∂x0 = x1·x2 = 0; ∂/∂x1 = x0·x2 + x2 = 9; ∂/∂x2 = x0·x1 + x1 + 1 = 1
    expectTensor(
      grad((x) => cumprod(x, 0, false, true), f64([2, 0, 3])),
      [0, 9, 1],
      [3],
      0,
    );
    // exclusive: y = [1, x0, x0·x1]: [1 + x1, x0, 0] = [1, 2, 0]
    expectTensor(
      grad((x) => cumprod(x, 0, true), f64([2, 0, 3])),
      [1, 2, 0],
      [3],
      0,
    );
    // two zeros: y = [0, 0, 0, 0]: only ∂(x0·x1)/∂x1 … vanish; ∂Σy/∂x0 = 1 + x1 + … = 1, ∂/∂x1 = x0 + x0·x2 + … = x0
    expectTensor(
      grad((x) => cumprod(x), f64([0, 0, 5])),
      [1, 0, 0],
      [3],
      0,
    );
    expectTensor(
      grad((x) => cumprod(x), f64([3, 0, 0])),
      [1, 3, 0],
      [3],
      0,
    );
  });

  test('and so is the Hessian at [2, 0, 3]', () => {
    // Σy = x0 + x0x1 + x0x1x2: H01 = 1 + x2 = 4, H02 = x1 = 0, H12 = x0 = 2
    const h = tg.hessian((x: Tensor) => tg.sum(cumprod(x)))(f64([2, 0, 3]));
    expectTensor(h, [0, 4, 0, 4, 0, 2, 0, 2, 0], [3, 3], 0);
  });

  test('a gradient along an inner axis of rank 3 matches the product rule', () => {
    // x[0, :, 0] = [2, 0, 3] (the rest ones): the same [1, 8, 0] there
    const values = [2, 1, 0, 1, 3, 1];
    const g = grad(
      (x) => cumprod(x, 1),
      f64([values.slice(0, 2), values.slice(2, 4), values.slice(4)]).reshape([1, 3, 2]),
    );
    expectTensor(g, [1, 3, 8, 2, 0, 1], [1, 3, 2], 0); // second column: 1 + 1 + 1, 1 + 1, 1
  });

  test('errors', () => {
    expectRefused(() => cumprod(tg.scalar(2)), tg.ShapeError, /^cumprod: axis 0 is out of range/);
    expectRefused(() => cumprod(tg.tensor([false])), tg.DTypeError, /^cumprod: expected a numeric tensor/);
    expectRefused((t) => cumprod(t, 1.5), tg.ArgumentError, /^cumprod: an axis must be an integer/);
    expectRefused((t) => cumprod(t, 0, true, null as unknown as boolean), tg.ArgumentError, /^cumprod: reverse/);
  });
});

describe('cumulativeLogSumExp', () => {
  const LN2 = Math.log(2);
  const LN3 = Math.log(3);

  test('stable at ±1000, exclusive (-Infinity first) and reverse', () => {
    expectTensor(cumulativeLogSumExp(f64([1000, 1000, 1000])), [1000, 1000 + LN2, 1000 + LN3], [3], 1e-15);
    expectTensor(cumulativeLogSumExp(f64([-1000, -1000])), [-1000, -1000 + LN2], [2], 1e-15);
    expectTensor(cumulativeLogSumExp(f64([-1000, 1000])), [-1000, 1000], [2], 1e-15); // 1000 + log(1 + e⁻²⁰⁰⁰)
    expectTensor(cumulativeLogSumExp(f64([1000, 1000, 1000]), 0, true), [-Infinity, 1000, 1000 + LN2], [3], 1e-15);
    expectTensor(
      cumulativeLogSumExp(f64([1000, 1000, 1000]), 0, false, true),
      [1000 + LN3, 1000 + LN2, 1000],
      [3],
      1e-15,
    );
    expectTensor(cumulativeLogSumExp(f64([1, 2]), 0, true, true), [2, -Infinity], [2]);
  });

  test('float32: log(e + e²) and log(e + e² + e³)', () => {
    const y = cumulativeLogSumExp([1, 2, 3]);
    expect(y.dtype).toBe('float32');
    // 2 + log(1 + e⁻¹), 3 + log(1 + e⁻¹ + e⁻²)
    expectTensor(y, [1, 2 + Math.log1p(Math.exp(-1)), 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2))], [3]);
  });

  test("TF's reducer at the edges: -inf is the identity, NaN propagates", () => {
    expectTensor(cumulativeLogSumExp(f64([-Infinity, -Infinity, 0])), [-Infinity, -Infinity, 0], [3]);
    expectTensor(cumulativeLogSumExp(f64([1, NaN, 2])), [1, NaN, NaN], [3]);
    expectTensor(cumulativeLogSumExp(f64([Infinity, 1])), [Infinity, Infinity], [2]);
  });

  test('axes and empty tensors', () => {
    const x = f64([
      [0, 0],
      [0, LN3],
    ]);
    expectTensor(cumulativeLogSumExp(x, -1), [0, LN2, 0, Math.log(4)], [2, 2], 1e-15); // log(1 + 3)
    expectTensor(cumulativeLogSumExp(x, 0), [0, 0, LN2, Math.log(4)], [2, 2], 1e-15);
    expectTensor(cumulativeLogSumExp(tg.zeros([0, 2]), 0), [], [0, 2]);
  });

  test('gradient Σ_{i≥j} exp(x_j - y_i), finite at ±1000', () => {
    // all equal: exp(x_j - y_i) = 1/(i + 1): [1 + 1/2 + 1/3, 1/2 + 1/3, 1/3]
    // (to 1e-12: y = 1000 + log 3 is rounded to the ulp of 1000, 1.1e-13, and x - y carries that error)
    const want = [11 / 6, 5 / 6, 1 / 3];
    expectTensor(
      grad((x) => cumulativeLogSumExp(x), f64([1000, 1000, 1000])),
      want,
      [3],
      1e-12,
    );
    expectTensor(
      grad((x) => cumulativeLogSumExp(x), f64([-1000, -1000, -1000])),
      want,
      [3],
      1e-12,
    );
    // [-1000, 1000]: y = [-1000, 1000]; ∂/∂x0 = 1 + e⁻²⁰⁰⁰ = 1, ∂/∂x1 = 1
    expectTensor(
      grad((x) => cumulativeLogSumExp(x), f64([-1000, 1000])),
      [1, 1],
      [2],
      1e-15,
    );
    // exclusive reverse, y = [log(e^x1 + e^x2), x2, -inf] with w = [0, 1, 5] (no weight on the -inf)
    // x = [0, 0, 0]: ∂/∂x1 = 1·(1/2), ∂/∂x2 = 1·(1/2) + 1 = 1.5
    expectTensor(
      grad((x) => cumulativeLogSumExp(x, 0, true, true), f64([0, 0, 0]), f64([1, 1, 0])),
      [0, 0.5, 1.5],
      [3],
      1e-15,
    );
  });

  test('errors: float only', () => {
    expectRefused(
      () => cumulativeLogSumExp(i32([1, 2])),
      tg.DTypeError,
      /^cumulativeLogSumExp: expected a float32 or float64 tensor, got int32/,
    );
    expectRefused(
      () => cumulativeLogSumExp(tg.scalar(1)),
      tg.ShapeError,
      /^cumulativeLogSumExp: axis 0 is out of range/,
    );
    expectRefused(
      (t) => cumulativeLogSumExp(t, 0, 0 as unknown as boolean),
      tg.ArgumentError,
      /^cumulativeLogSumExp: exclusive/,
    );
  });
});

describe('linearScan along an inner axis (internal)', () => {
  test('forward and reverse along axis 0 of [3, 2]', () => {
    // column 0: a = [·, 2, 3], b = [1, 1, 1] → [1, 3, 10]; reverse → z2 = 1, z1 = 3·1 + 1 = 4, z0 = 2·4 + 1 = 9
    const a = f64([
      [0, 1],
      [2, 1],
      [3, 1],
    ]);
    const b = f64([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(flat(linearScan(a, b, false, 0))).toEqual([1, 1, 3, 3, 10, 6]);
    expect(flat(linearScan(a, b, true, 0))).toEqual([9, 6, 4, 5, 1, 3]);
  });
});
