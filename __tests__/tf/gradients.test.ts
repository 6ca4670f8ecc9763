// Gradients against TensorFlow 2's rules (issue 11): the zero-upstream guard of SqrtGrad, RsqrtGrad and
// ReciprocalGrad (tensorflow/core/kernels/cwise_ops_gradients.h) and where TF keeps NaN
// (tensorflow/python/ops/math_grad.py), their forward mode (tensorflow/python/eager/forwardprop.py),
// selu'(0), the second derivatives of relu, relu6 and leakyRelu (tensorflow/python/ops/nn_grad.py,
// tensorflow/core/kernels/relu_op_functor.h), and clipByValue's order (tensorflow/python/ops/clip_ops.py).
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { reciprocalGrad, rsqrtGrad, sqrtGrad } from '../../src/ops/prims/fused';
import { expectTensor, flat } from '../helpers';

afterEach(() => expect(activeRecorders.length).toBe(0));

const f32 = Math.fround;
const f64 = (v: number[]) => tg.tensor(v, [v.length], 'float64');

/** d/dx of sum(f(x)) at x, on one tape (upstream gradient 1 everywhere). */
function gradOf(f: (x: Tensor) => Tensor, x: Tensor): Tensor | null {
  using tape = new tg.GradientTape();
  tape.watch(x);
  return tape.gradient(tg.sum(f(x)), x);
}

/** The second derivative of sum(f(x)) along x (the gradient of the gradient), from nested tapes. */
function secondOf(f: (x: Tensor) => Tensor, x: Tensor): Tensor | null {
  using outer = new tg.GradientTape();
  outer.watch(x);
  let g: Tensor;
  {
    using inner = new tg.GradientTape();
    inner.watch(x);
    g = inner.gradient(tg.sum(f(x)), x) as Tensor;
  }
  return outer.gradient(g, x);
}

/** The tangent of f(x) along t, from a ForwardAccumulator. */
function tangentOf(f: (x: Tensor) => Tensor, x: Tensor, t: Tensor): Tensor | null {
  using acc = new tg.ForwardAccumulator(x, t);
  return acc.jvp(f(x));
}

describe('a zero upstream gradient gives 0 through sqrt, rsqrt and reciprocal, as TF', () => {
  // cwise_ops_gradients.h: scalar_sqrt_gradient_op, scalar_rsqrt_gradient_op and
  // scalar_inverse_gradient_op return 0 when output_gradient == 0, whatever the output is
  test('where(x > 0, sqrt(x), 0) at [0, -1, 4] has gradient [0, 0, 0.25] (the issue, and TF 2.21)', () => {
    const x = tg.tensor([0, -1, 4]);
    // x = 0 and x = -1: where sends dy = 0 into SqrtGrad, which gives 0 (sqrt(0) = 0, sqrt(-1) = NaN
    // do not matter); x = 4: 0.5·1 / sqrt(4) = 0.25
    expectTensor(
      gradOf((v) => tg.where(tg.greater(v, 0), tg.sqrt(v), tg.zerosLike(v)), x),
      [0, 0, 0.25],
    );
  });

  test('rsqrt: where(x > 0, rsqrt(x), 0) at [0, -1, 4] has gradient [0, 0, -0.0625]', () => {
    // RsqrtGrad: dy == 0 gives 0; at 4: -0.5·1·y³ with y = 1/2: -0.5 · 1/8 = -0.0625
    const x = tg.tensor([0, -1, 4]);
    expectTensor(
      gradOf((v) => tg.where(tg.greater(v, 0), tg.rsqrt(v), tg.zerosLike(v)), x),
      [0, 0, -0.0625],
    );
  });

  test('reciprocal: where(x != 0, 1/x, 0) at [0, 2, -0.5] has gradient [0, -0.25, -4]', () => {
    // ReciprocalGrad: dy == 0 gives 0 (y = Inf at 0); -y²·dy: -(1/2)² = -0.25, -(-2)² = -4
    const x = tg.tensor([0, 2, -0.5]);
    expectTensor(
      gradOf((v) => tg.where(tg.notEqual(v, 0), tg.reciprocal(v), tg.zerosLike(v)), x),
      [0, -0.25, -4],
    );
  });

  test('a nonzero upstream gradient at 0 still gives ±Infinity, as TF', () => {
    const x = tg.tensor([0]);
    // SqrtGrad: 0.5·1 / 0 = +Inf; RsqrtGrad: -0.5·(1·Inf)·(Inf·Inf) = -Inf; ReciprocalGrad: -(Inf·Inf)·1 = -Inf
    expectTensor(gradOf(tg.sqrt, x), [Infinity]);
    expectTensor(gradOf(tg.rsqrt, x), [-Infinity]);
    expectTensor(gradOf(tg.reciprocal, x), [-Infinity]);
  });

  test('a zero upstream gradient is 0 also where the output is NaN, and -0 counts as zero', () => {
    // output_gradient == T(0) is true for -0; NaN == 0 is false, so a NaN gradient stays NaN
    const y = tg.tensor([NaN, 0, NaN, 2]);
    const dy = tg.tensor([0, -0, NaN, 1]);
    expect(flat(sqrtGrad(y, dy)).slice(0, 3).map(String)).toEqual(['0', '0', 'NaN']);
    expect(Object.is(flat(sqrtGrad(y, dy))[1], 0)).toBe(true); // +0, as T(0)
    expect(flat(rsqrtGrad(y, dy)).slice(0, 3).map(String)).toEqual(['0', '0', 'NaN']);
    expect(flat(reciprocalGrad(y, dy)).slice(0, 3).map(String)).toEqual(['0', '0', 'NaN']);
    // element 3: SqrtGrad 0.5·1/2 = 0.25; RsqrtGrad -0.5·(1·2)·(2·2) = -4; ReciprocalGrad -(2·2)·1 = -4
    expect([flat(sqrtGrad(y, dy))[3], flat(rsqrtGrad(y, dy))[3], flat(reciprocalGrad(y, dy))[3]]).toEqual([
      0.25, -4, -4,
    ]);
  });

  test("the values are TF's scalar formulas, rounded in float32 step by step", () => {
    const y = tg.tensor([3, 0.7]);
    const dy = tg.tensor([0.1, 1.3]);
    const [y0, y1] = [f32(3), f32(0.7)];
    const [g0, g1] = [f32(0.1), f32(1.3)];
    // SqrtGrad: (0.5·dy) / y
    expect(flat(sqrtGrad(y, dy))).toEqual([f32(f32(0.5 * g0) / y0), f32(f32(0.5 * g1) / y1)]);
    // RsqrtGrad: (-0.5·(dy·y))·(y·y)
    const r = (g: number, v: number) => f32(f32(-0.5 * f32(g * v)) * f32(v * v));
    expect(flat(rsqrtGrad(y, dy))).toEqual([r(g0, y0), r(g1, y1)]);
    // ReciprocalGrad: (-y·y)·dy
    expect(flat(reciprocalGrad(y, dy))).toEqual([f32(f32(-y0 * y0) * g0), f32(f32(-y1 * y1) * g1)]);
    // float64: the same formulas in double
    const d = (v: number[]) => tg.tensor(v, [2], 'float64');
    expect(flat(sqrtGrad(d([3, 0.7]), d([0.1, 1.3])))).toEqual([(0.5 * 0.1) / 3, (0.5 * 1.3) / 0.7]);
  });

  test('rsqrt and reciprocal keep their values: 1/sqrt(x) with the root rounded first, and 1/x', () => {
    const x = tg.tensor([2, 3, 0, -1]);
    // Eigen's scalar rsqrt is 1 / sqrt(x): float32 sqrt, then a float32 division
    expect(flat(tg.rsqrt(x))).toEqual([f32(1 / f32(Math.SQRT2)), f32(1 / f32(Math.sqrt(3))), Infinity, NaN]);
    expect(flat(tg.reciprocal(x))).toEqual([0.5, f32(1 / 3), Infinity, -1]);
    expect(flat(tg.rsqrt(f64([2])))).toEqual([1 / Math.SQRT2]);
    expect(tg.rsqrt(f64([2])).dtype).toBe('float64');
  });

  test('norm: a zero upstream gradient into the norm of zeros is 0; a nonzero one is NaN, as TF', () => {
    // norm = sqrt(sum(x²)): SqrtGrad(0, 0) = 0, then 0·2x = 0; with dy = 1: 0.5/0 = Inf, Inf·2·0 = NaN
    const x = tg.tensor([0, 0]);
    expectTensor(
      gradOf((v) => tg.where(tg.greater(tg.norm(v), 0), tg.norm(v), tg.scalar(0)), x),
      [0, 0],
    );
    expectTensor(
      gradOf((v) => tg.norm(v), x),
      [NaN, NaN],
    );
  });
});

describe('TF keeps NaN for log, log1p, asin, acos, div and pow under a zero upstream gradient', () => {
  // math_grad.py: _LogGrad grad·reciprocal(x), _Log1pGrad grad·reciprocal(1 + x), _AsinGrad and _AcosGrad
  // ±grad·reciprocal(sqrt(1 - x²)), _RealDivGrad grad / y, _PowGrad grad·y·pow(x, y - 1): 0·Inf = NaN
  const masked = (f: (v: Tensor) => Tensor, at: number) =>
    gradOf((v) => tg.where(tg.greater(v, 5), f(v), tg.zerosLike(v)), tg.tensor([at]));

  test.each([
    ['log at 0', (v: Tensor) => tg.log(v), 0],
    ['log1p at -1', (v: Tensor) => tg.log1p(v), -1],
    ['asin at 1', (v: Tensor) => tg.asin(v), 1],
    ['acos at 1', (v: Tensor) => tg.acos(v), 1],
    ['div(1, x) at 0', (v: Tensor) => tg.div(1, v), 0],
    ['pow(x, 0.5) at 0', (v: Tensor) => tg.pow(v, 0.5), 0],
  ] as const)('%s', (_name, f, at) => {
    expectTensor(masked(f, at), [NaN]);
  });
});

describe("forward mode: TF's tangents are its gradients transposed (forwardprop.py _jvp_helper)", () => {
  test('sqrt: the tangent is 0.5·(t / y), unguarded (_SqrtGradGrad), so a zero tangent at x = 0 is NaN', () => {
    // x = [0, 4], t = [0, 1]: 0.5·(0/0) = NaN; 0.5·(1/2) = 0.25
    expectTensor(tangentOf(tg.sqrt, tg.tensor([0, 4]), tg.tensor([0, 1])), [NaN, 0.25]);
    // a nonzero tangent at 0: 0.5·(1/0) = Inf
    expectTensor(tangentOf(tg.sqrt, tg.tensor([0]), tg.tensor([1])), [Infinity]);
  });

  test('rsqrt and reciprocal: the tangent is their guarded gradient, so a zero tangent gives 0', () => {
    // _RsqrtGradGrad's d/d(dy) is rsqrt_grad(y, g): at 0 with t = 0 it is 0; at 4: -0.5·1·(1/2)³ = -0.0625
    expectTensor(tangentOf(tg.rsqrt, tg.tensor([0, 4]), tg.tensor([0, 1])), [0, -0.0625]);
    // _ReciprocalGradGrad's d/d(dy) is reciprocal_grad(y, g): at 0 with t = 0 it is 0; at 2: -(1/2)²·1 = -0.25
    expectTensor(tangentOf(tg.reciprocal, tg.tensor([0, 2]), tg.tensor([0, 1])), [0, -0.25]);
  });

  test('through where, a unit tangent gives the same as the gradient: [0, 0, 0.25]', () => {
    // sqrt's tangent is [Inf, NaN, 0.25]; where's tangent takes the sqrt branch only where x > 0
    const f = (v: Tensor) => tg.where(tg.greater(v, 0), tg.sqrt(v), tg.zerosLike(v));
    expectTensor(tangentOf(f, tg.tensor([0, -1, 4]), tg.tensor([1, 1, 1])), [0, 0, 0.25]);
  });

  test('second derivatives of sqrt, rsqrt and reciprocal away from 0 are the calculus ones in every mode', () => {
    // sqrt'' = -x^-1.5 / 4: at 4, -1/32; rsqrt'' = 0.75·x^-2.5: at 4, 0.75/32; (1/x)'' = 2/x³: at 2, 1/4
    const cases: [(v: Tensor) => Tensor, number, number][] = [
      [tg.sqrt, 4, -1 / 32],
      [tg.rsqrt, 4, 0.75 / 32],
      [tg.reciprocal, 2, 0.25],
    ];
    for (const [f, at, want] of cases) {
      expectTensor(secondOf(f, f64([at])), [want], [1], 1e-12);
      expectTensor(tg.hessian((v: Tensor) => tg.sum(f(v)))(f64([at])), [want], [1, 1], 1e-12);
    }
  });
});

describe("selu'(0) is scale, as TF's SeluGrad (activations < 0 selects the exponential side)", () => {
  const SCALE = 1.0507009873554805;
  const SCALE_ALPHA = 1.7580993408473768;

  test('gradient at [-1, 0, 1] is [scale·alpha·e^-1, scale, scale]', () => {
    // relu_op_functor.h SeluGrad: activations < 0 ? dy·(activations + scale_alpha) : dy·scale; selu(0) = 0
    // is not < 0, so x = 0 takes scale; at -1: scale_alpha·(e^-1 - 1) + scale_alpha = scale_alpha·e^-1
    expectTensor(gradOf(tg.selu, tg.tensor([-1, 0, 1])), [SCALE_ALPHA * Math.exp(-1), SCALE, SCALE]);
  });

  test('values: scale·x for x >= 0 and scale_alpha·(e^x - 1) below, as TF', () => {
    expect(flat(tg.selu(f64([0, 2, -1])))).toEqual([0, SCALE * 2, Math.expm1(-1) * SCALE_ALPHA]);
    expect(flat(tg.selu(tg.tensor([NaN])))[0]).toBeNaN();
  });
});

describe('second derivatives of relu, relu6 and leakyRelu are zeros, not null, as TF', () => {
  // nn_grad.py: _ReluGradGrad, _Relu6GradGrad and _LeakyReluGradGrad return zeros for the features input
  const x = tg.tensor([-1, 0, 3, 6, 7]);

  test('relu: first derivative (x > 0), second zeros', () => {
    // ReluGrad: dy·(features > 0); relu'(0) = 0
    expectTensor(gradOf(tg.relu, x), [0, 0, 1, 1, 1]);
    expectTensor(secondOf(tg.relu, x), [0, 0, 0, 0, 0], [5]);
  });

  test('relu6: first derivative 1 on (0, 6) only, 0 at x = 0 and x = 6; second zeros', () => {
    // Relu6Grad: dy·((features > 0)·(features < 6))
    expectTensor(gradOf(tg.relu6, x), [0, 0, 1, 0, 0]);
    expectTensor(secondOf(tg.relu6, x), [0, 0, 0, 0, 0], [5]);
  });

  test('leakyRelu: first derivative alpha where x <= 0 (x = 0 included), second zeros', () => {
    // LeakyReluGrad: features > 0 ? dy : dy·alpha, alpha the float32 attribute 0.1
    expectTensor(
      gradOf((v) => tg.leakyRelu(v, 0.1), x),
      [f32(0.1), f32(0.1), 1, 1, 1],
    );
    expectTensor(
      secondOf((v) => tg.leakyRelu(v, 0.1), x),
      [0, 0, 0, 0, 0],
      [5],
    );
  });

  test('forward over reverse and forward mode agree: zeros Hessians, alpha-or-1 tangents', () => {
    const v = f64([-1, 2]);
    expectTensor(tg.hessian((u: Tensor) => tg.sum(tg.leakyRelu(u)))(v), [0, 0, 0, 0], [2, 2]);
    expectTensor(tg.hessian((u: Tensor) => tg.sum(tg.relu(u)))(v), [0, 0, 0, 0], [2, 2]);
    // tangent of leakyRelu along [1, 1]: [alpha, 1] with alpha = float32(0.2)
    expect(flat(tangentOf((u) => tg.leakyRelu(u), v, f64([1, 1])))).toEqual([f32(0.2), 1]);
  });
});

describe('leakyRelu values, as TF', () => {
  test('alpha is a float32 attribute, also for float64 input (relu_op.h: T(float alpha))', () => {
    // float(0.2) = 0.20000000298023224, so -1 gives -0.20000000298023224 in float64
    expect(flat(tg.leakyRelu(f64([-1, 2])))).toEqual([-f32(0.2), 2]);
    expect(flat(tg.leakyRelu(tg.tensor([-1, 2]), 0.1))).toEqual([f32(-f32(0.1)), 2]);
  });

  test('NaN stays NaN (NaN > 0 is false, NaN·alpha is NaN); a non-number alpha is refused', () => {
    expect(flat(tg.leakyRelu(tg.tensor([NaN])))[0]).toBeNaN();
    expect(() => tg.leakyRelu([1], 'x' as unknown as number)).toThrow(tg.ArgumentError);
    expect(() => tg.leakyRelu([1], 'x' as unknown as number)).toThrow(/^leakyRelu: alpha must be a number/);
  });
});

describe('clipByValue is max(min(x, hi), lo), as TF (clip_ops.py)', () => {
  /** The gradients of sum(clipByValue(x, lo, hi)) for x, lo and hi. */
  function clipGrads(x: number[], lo: number, hi: number): number[][] {
    const [tx, tl, th] = [tg.tensor(x), tg.scalar(lo), tg.scalar(hi)];
    using tape = new tg.GradientTape();
    for (const t of [tx, tl, th]) tape.watch(t);
    return tape.gradient(tg.sum(tg.clipByValue(tx, tl, th)), [tx, tl, th]).map((g) => flat(g));
  }

  test('lo > hi gives lo everywhere, and the whole gradient goes to lo', () => {
    // min(x, 0) = [-2, 0, 0], then max(·, 1) = [1, 1, 1]
    expectTensor(tg.clipByValue([-2, 0.5, 3], 1, 0), [1, 1, 1]);
    // _MaximumGrad: t_min >= lo is false everywhere, so x and hi get 0 and lo gets 1 + 1 + 1 = 3
    expect(clipGrads([-2, 0.5, 3], 1, 0)).toEqual([[0, 0, 0], [3], [0]]);
  });

  test('x at the bounds passes the gradient: both bounds are included', () => {
    // _MinimumGrad: x <= hi (1 <= 1 true); _MaximumGrad: min(x, hi) >= lo (0 >= 0 true)
    expect(clipGrads([0, 0.5, 1], 0, 1)).toEqual([[1, 1, 1], [0], [0]]);
  });

  test('lo == hi: x gets it where x == lo, hi where x > hi, lo where x < lo', () => {
    // min(x, 1) = [0.5, 1, 1] (x <= 1: x for elements 0, 1; hi for element 2);
    // max(·, 1): 0.5 >= 1 false (lo takes element 0), 1 >= 1 true for elements 1 and 2
    expect(clipGrads([0.5, 1, 2], 1, 1)).toEqual([[0, 1, 0], [1], [1]]);
  });
});

test('sign: its gradient is zeros and its tangent is none (null), as TF', () => {
  // TF: math_grad.py _SignGrad returns zeros_like(x); forward mode transposes that rule and finds
  // no path from the tangent, so ForwardAccumulator.jvp(sign(x)) is None
  const x = tg.tensor([-2, 0, 3]);
  {
    using tape = new tg.GradientTape();
    tape.watch(x);
    expect(flat(tape.gradient(tg.sign(x), x))).toEqual([0, 0, 0]);
  }
  using acc = new tg.ForwardAccumulator(x, tg.tensor([1, 1, 1]));
  expect(acc.jvp(tg.sign(x))).toBeNull();
  // a path through sign and around it: only the path around it carries the tangent
  expect(flat(acc.jvp(tg.sign(x).mul(x)))).toEqual([-1, 0, 1]);
});
