// The gradient-check table: one case per differentiable op (public ops and primitives) on
// broadcasting shapes and several axes, with inputs away from kinks. Used by gradcheck.test.ts
// (against central differences) and modes.test.ts (the nestings of forward and reverse mode).
import * as tg from '../../src';
import { normCases } from './cases_norm';
import { elementwiseCases } from './cases_elementwise';
import { reduceCases } from './cases_reduce';
import { scatterCases } from './cases_scatter';
import { convCases } from './cases_conv';
import { nnCases } from './cases_nn';
import { shapeCases } from './cases_shape';
import { poolCases } from './cases_pool';
import { lossCases } from './cases_losses';
import { linalgFactorCases } from './cases_linalg_factor';
import { linalgDecompCases } from './cases_linalg_decomp';
import type { Tensor } from '../../src';
import { addScaled, mulAdd, negMul, tanhGrad } from '../../src/ops/prims/fused';
import { linearScan } from '../../src/ops/prims/scan';
import { geluGrad } from '../../src/ops/prims/gelu';
import { softmaxGrad } from '../../src/ops/prims/softmax';
import { any, distinct, pos, uniform, unit } from './inputs';

const u = uniform;

export interface Case {
  /** The op this case checks (a public op name or a primitive name). */
  op: string;
  /** Extra primitives this case exercises (e.g. an adjoint only reached at second order). */
  covers?: string[];
  f: (...xs: Tensor[]) => Tensor;
  inputs: () => Tensor[];
  /** Smooth enough for the second-order check. Default true. */
  order2?: boolean;
  tol?: { rtol?: number; atol?: number; eps?: number };
}

const cond = tg.tensor([
  [true, false, true],
  [false, true, true],
]);

export const cases: Case[] = [
  // unary primitives
  { op: 'neg', f: (x) => tg.neg(x), inputs: () => [any([2, 3])] },
  { op: 'abs', f: (x) => tg.abs(x), inputs: () => [distinct([2, 3])] },
  { op: 'sign', f: (x) => tg.sign(x).mul(x), inputs: () => [distinct([5])] },
  { op: 'exp', f: (x) => tg.exp(x), inputs: () => [any([2, 3])] },
  { op: 'expm1', f: (x) => tg.expm1(x), inputs: () => [any([4])] },
  { op: 'log', f: (x) => tg.log(x), inputs: () => [pos([2, 3])] },
  { op: 'log1p', f: (x) => tg.log1p(x), inputs: () => [pos([4])] },
  { op: 'sqrt', f: (x) => tg.sqrt(x), inputs: () => [pos([4])] },
  { op: 'sin', f: (x) => tg.sin(x), inputs: () => [any([4])] },
  { op: 'cos', f: (x) => tg.cos(x), inputs: () => [any([4])] },
  { op: 'tan', f: (x) => tg.tan(x), inputs: () => [unit([4])] },
  { op: 'asin', f: (x) => tg.asin(x), inputs: () => [unit([4])] },
  { op: 'acos', f: (x) => tg.acos(x), inputs: () => [unit([4])] },
  { op: 'atan', f: (x) => tg.atan(x), inputs: () => [any([4])] },
  { op: 'sinh', f: (x) => tg.sinh(x), inputs: () => [any([4])] },
  { op: 'cosh', f: (x) => tg.cosh(x), inputs: () => [any([4])] },
  { op: 'tanh', covers: ['tanhGrad'], f: (x) => tg.tanh(x), inputs: () => [any([4])] },
  // tanh's fused backward, differentiated in both of its inputs (third order of tanh)
  { op: 'tanhGrad', f: (y, dy) => tanhGrad(y, dy).mul(y), inputs: () => [unit([2, 3]), any([2, 3], 6)] },
  { op: 'sigmoid', f: (x) => tg.sigmoid(x), inputs: () => [any([2, 3])] },
  { op: 'softplus', f: (x) => tg.softplus(x), inputs: () => [any([2, 3])] },
  { op: 'relu', covers: ['reluGrad'], f: (x) => tg.relu(x).mul(x), inputs: () => [distinct([6])] },
  { op: 'erf', f: (x) => tg.erf(x), inputs: () => [any([5])] },
  { op: 'identity', f: (x) => tg.identity(x).mul(x), inputs: () => [any([3])] },
  {
    op: 'cast',
    f: (x) => tg.cast(tg.cast(x, 'float32'), 'float64').mul(x),
    inputs: () => [any([3])],
    tol: { eps: 1e-2, rtol: 1e-4, atol: 1e-4 },
  },
  // binary primitives, with broadcasting both ways
  { op: 'add', f: (a, b) => tg.add(a, b).mul(a), inputs: () => [any([2, 3]), any([3], 5)] },
  { op: 'sub', f: (a, b) => tg.sub(a, b).mul(b), inputs: () => [any([2, 1]), any([1, 3], 5)] },
  // the optimizers' fused step a + alpha·b (internal, same shapes)
  { op: 'addScaled', f: (a, b) => addScaled(a, b, -0.3).mul(b), inputs: () => [any([2, 3]), any([2, 3], 5)] },
  // -(a·b) in one pass (internal, same shapes): cos's rule
  { op: 'negMul', f: (a, b) => negMul(a, b).mul(a), inputs: () => [any([2, 3]), any([2, 3], 5)] },
  // the fused tangent of a product, a·b + c·d (internal, same shapes), in each of its four factors
  {
    op: 'mulAdd',
    f: (a, b, c, d) => mulAdd(a, b, c, d).mul(a),
    inputs: () => [any([2, 3]), any([2, 3], 5), any([2, 3], 6), any([2, 3], 7)],
  },
  { op: 'mul', f: (a, b) => tg.mul(a, b), inputs: () => [any([2, 3]), any([2, 1], 5)] },
  { op: 'div', f: (a, b) => tg.div(a, b), inputs: () => [any([2, 3]), pos([3], 5)] },
  { op: 'atan2', f: (y, x) => tg.atan2(y, x), inputs: () => [any([2, 3]), pos([3], 5)] },
  { op: 'pow', f: (a, b) => tg.pow(a, b), inputs: () => [pos([2, 3]), any([3], 5)] },
  { op: 'maximum', f: (a, b) => tg.maximum(a, b).mul(a), inputs: () => [distinct([2, 3]), distinct([3], 9).add(0.05)] },
  { op: 'minimum', f: (a, b) => tg.minimum(a, b).mul(b), inputs: () => [distinct([2, 3]), distinct([3], 9).add(0.05)] },
  { op: 'where', f: (a, b) => tg.where(cond, a.mul(a), b), inputs: () => [any([2, 3]), any([3], 5)] },
  // reductions
  { op: 'sum', f: (x) => tg.sum(x.mul(x), [0, 2]), inputs: () => [any([2, 3, 2])] },
  { op: 'max', f: (x) => tg.max(x, 1).mul(tg.max(x)), inputs: () => [distinct([2, 3])] },
  { op: 'min', f: (x) => tg.min(x, -1, true).mul(x), inputs: () => [distinct([2, 3])] },
  { op: 'prod', covers: ['linearScan'], f: (x) => tg.prod(x, 0), inputs: () => [any([3, 2])] },
  // prod over two axes that are not adjacent, with an exact zero among the factors (its derivatives
  // are products of the other factors, multilinear: central differences are exact at a zero too)
  {
    op: 'prod (axes [0, 2], a zero)',
    covers: ['prod', 'linearScan'],
    f: (x) => tg.prod(x, [0, 2]),
    inputs: () => [tg.tensor([1.5, -0.5, 0, 1.2, 0.8, -1.1, 0.7, 1.3, -0.9, 0.6, 1.4, -1.2], [2, 3, 2], 'float64')],
  },
  // the scan behind prod's rules (internal, same shapes), both directions, in both of its inputs
  {
    op: 'linearScan',
    f: (a, b) => linearScan(a, b, false).mul(a),
    inputs: () => [any([2, 4]), any([2, 4], 5)],
  },
  {
    op: 'linearScan (reverse)',
    covers: ['linearScan'],
    f: (a, b) => linearScan(a, b, true).mul(b),
    inputs: () => [any([2, 4]), any([2, 4], 5)],
  },
  { op: 'mean', f: (x) => tg.mean(x.mul(x), [1]), inputs: () => [any([2, 3])] },
  { op: 'logSumExp', f: (x) => tg.logSumExp(x, 1), inputs: () => [any([2, 3])] },
  // linear algebra
  { op: 'matmul', f: (a, b) => tg.matmul(a, b), inputs: () => [any([2, 3]), any([3, 4], 5)] },
  {
    op: 'matmul (transposeA)',
    covers: ['matmul'],
    f: (a, b) => tg.matmul(a, b, true, false),
    inputs: () => [any([3, 2]), any([3, 4], 5)],
  },
  {
    op: 'matmul (transposeB)',
    covers: ['matmul'],
    f: (a, b) => tg.matmul(a, b, false, true),
    inputs: () => [any([2, 3]), any([4, 3], 5)],
  },
  {
    op: 'matmul (both)',
    covers: ['matmul'],
    f: (a, b) => tg.matmul(a, b, true, true),
    inputs: () => [any([3, 2]), any([4, 3], 5)],
  },
  {
    op: 'matmul (batch broadcast)',
    covers: ['matmul'],
    f: (a, b) => tg.matmul(a, b),
    inputs: () => [any([2, 2, 3]), any([3, 2], 5)],
  },
  { op: 'dot', f: (a, b) => tg.dot(a, b), inputs: () => [any([2, 3]), any([3], 5)] },
  {
    op: 'outerProduct',
    f: (a, b) => tg.outerProduct(a, b).mul(a.reshape([-1, 1])),
    inputs: () => [any([2]), any([3], 5)],
  },
  {
    op: 'norm',
    f: (x) =>
      tg
        .norm(x)
        .add(tg.norm(x, 1, 1).sum())
        .add(tg.norm(x, Infinity, 0).sum())
        .add(tg.norm(x, 3)),
    inputs: () => [distinct([2, 3])],
  },
  // shape primitives and composites
  {
    op: 'reshape',
    f: (x) => tg.reshape(x, [3, 2]).mul(tg.range(0, 6, 1, 'float64').reshape([3, 2])),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'transpose',
    f: (x) => tg.transpose(x, [2, 0, 1]).mul(tg.range(0, 12, 1, 'float64').reshape([2, 2, 3])),
    inputs: () => [any([2, 3, 2])],
  },
  {
    op: 'broadcastTo',
    f: (x) => tg.broadcastTo(x, [2, 2, 3]).mul(tg.range(0, 12, 1, 'float64').reshape([2, 2, 3])),
    inputs: () => [any([2, 1])],
  },
  {
    op: 'slice',
    covers: ['stridedSlice', 'stridedSliceGrad'],
    f: (x) => tg.slice(x, [0, 1], [2, 2]).square(),
    inputs: () => [any([3, 3])],
  },
  {
    op: 'stridedSlice',
    covers: ['stridedSlice', 'stridedSliceGrad'],
    f: (x) => tg.stridedSlice(x, [3, 0], [0, 3], [-2, 2]).square(),
    inputs: () => [any([4, 3])],
  },
  { op: 'concat', f: (a, b) => tg.concat([a, b, a], 1).square(), inputs: () => [any([2, 1]), any([2, 2], 5)] },
  {
    op: 'pad',
    f: (x) =>
      tg
        .pad(
          x,
          [
            [1, 0],
            [0, 2],
          ],
          3,
        )
        .square(),
    inputs: () => [any([2, 2])],
  },
  {
    op: 'gather',
    covers: ['gather', 'gatherGrad'],
    f: (x) => tg.gather(x, [2, 0, 2], 1).square(),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'reverse',
    f: (x) => tg.reverse(x, 1).mul(tg.range(0, 6, 1, 'float64').reshape([2, 3])),
    inputs: () => [any([2, 3])],
  },
  { op: 'expandDims', f: (x) => tg.expandDims(x, 1).square(), inputs: () => [any([3])] },
  { op: 'squeeze', f: (x) => tg.squeeze(x).square(), inputs: () => [any([1, 3, 1])] },
  { op: 'flatten', f: (x) => tg.flatten(x).square(), inputs: () => [any([2, 2])] },
  {
    op: 'tile',
    f: (x) => tg.tile(x, [2, 3]).mul(tg.range(0, 24, 1, 'float64').reshape([4, 6])),
    inputs: () => [any([2, 2])],
  },
  { op: 'stack', f: (a, b) => tg.stack([a, b], 1).square(), inputs: () => [any([2]), any([2], 5)] },
  { op: 'unstack', f: (x) => tg.unstack(x, 1)[1].square(), inputs: () => [any([2, 3])] },
  { op: 'split', f: (x) => tg.split(x, [1, 2], 1)[1].square(), inputs: () => [any([2, 3])] },
  // elementwise composites
  { op: 'square', f: (x) => tg.square(x), inputs: () => [any([3])] },
  { op: 'reciprocal', f: (x) => tg.reciprocal(x), inputs: () => [pos([3])] },
  { op: 'rsqrt', f: (x) => tg.rsqrt(x), inputs: () => [pos([3])] },
  { op: 'squaredDifference', f: (a, b) => tg.squaredDifference(a, b), inputs: () => [any([2, 3]), any([3], 5)] },
  { op: 'clipByValue', f: (x) => tg.clipByValue(x, -0.6, 0.8).mul(x), inputs: () => [distinct([6])] },
  { op: 'relu6', f: (x) => tg.relu6(x.mul(5)), inputs: () => [distinct([6])] },
  { op: 'elu', f: (x) => tg.elu(x), inputs: () => [distinct([6])] },
  { op: 'selu', f: (x) => tg.selu(x), inputs: () => [distinct([6])] },
  { op: 'leakyRelu', f: (x) => tg.leakyRelu(x, 0.1), inputs: () => [distinct([6])] },
  { op: 'gelu', covers: ['geluGrad'], f: (x) => tg.gelu(x), inputs: () => [any([5])] },
  // gelu's fused backward, differentiated in both of its inputs (third order of gelu)
  { op: 'geluGrad', f: (x, dy) => geluGrad(x, dy).mul(x), inputs: () => [any([2, 3]), any([2, 3], 6)] },
  {
    op: 'softmax',
    covers: ['softmaxGrad'],
    f: (x) => tg.softmax(x).mul(tg.range(0, 6, 1, 'float64').reshape([2, 3])),
    inputs: () => [any([2, 3])],
  },
  // softmax's fused backward along axis 0, differentiated in both of its inputs (third order of softmax)
  { op: 'softmaxGrad', f: (y, dy) => softmaxGrad(y, dy, 0).mul(y), inputs: () => [unit([3, 2]), any([3, 2], 6)] },
  {
    op: 'logSoftmax',
    f: (x) => tg.logSoftmax(x, 0).mul(tg.range(0, 6, 1, 'float64').reshape([2, 3])),
    inputs: () => [any([2, 3])],
  },
  // losses
  {
    op: 'losses.meanSquaredError',
    f: (p) =>
      tg.losses.meanSquaredError(
        tg.tensor(
          [
            [1, 0],
            [0, 1],
          ],
          undefined,
          'float64',
        ),
        p,
      ),
    inputs: () => [any([2, 2])],
  },
  {
    op: 'losses.meanAbsoluteError',
    f: (p) => tg.losses.meanAbsoluteError(tg.zeros([2, 2], 'float64'), p),
    inputs: () => [distinct([2, 2])],
  },
  { op: 'losses.huber', f: (p) => tg.losses.huber(tg.zeros([2, 3], 'float64'), p), inputs: () => [distinct([2, 3])] },
  {
    op: 'losses.binaryCrossentropy',
    f: (p) => tg.losses.binaryCrossentropy(tg.tensor([1, 0, 1], undefined, 'float64'), p),
    inputs: () => [u([3], 0.1, 0.9, 7)],
  },
  {
    op: 'losses.binaryCrossentropy (logits)',
    f: (p) => tg.losses.binaryCrossentropy(tg.tensor([1, 0, 1], undefined, 'float64'), p, { fromLogits: true }),
    inputs: () => [any([3])],
  },
  {
    op: 'losses.categoricalCrossentropy',
    f: (p) => tg.losses.categoricalCrossentropy(tg.tensor([[0, 1, 0]], undefined, 'float64'), p),
    inputs: () => [u([1, 3], 0.1, 0.9, 7)],
  },
  {
    op: 'losses.categoricalCrossentropy (logits)',
    f: (p) =>
      tg.losses.categoricalCrossentropy(
        tg.tensor(
          [
            [0, 1, 0],
            [1, 0, 0],
          ],
          undefined,
          'float64',
        ),
        p,
        { fromLogits: true },
      ),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'losses.sparseCategoricalCrossentropy',
    f: (p) => tg.losses.sparseCategoricalCrossentropy([2, 0], p, { fromLogits: true }),
    inputs: () => [any([2, 3])],
  },
  // --- gradients (issue 11) ---
  // the fused backward passes of sqrt, rsqrt, reciprocal and leakyRelu (TF's SqrtGrad, RsqrtGrad,
  // ReciprocalGrad, LeakyReluGrad), differentiated in both of their inputs: f(x, v) = ∂/∂x Σ op(x)·v
  ...(
    [
      ['sqrtGrad', (x: Tensor) => tg.sqrt(x)],
      ['rsqrtGrad', (x: Tensor) => tg.rsqrt(x)],
      ['reciprocalGrad', (x: Tensor) => tg.reciprocal(x)],
    ] as const
  ).map(([op, g]): Case => ({
    op,
    f: (x, v) => {
      using tape = new tg.GradientTape();
      tape.watch(x);
      return tape.gradient(tg.sum(tg.mul(g(x), v)), x) as Tensor;
    },
    inputs: () => [pos([2, 3]), any([2, 3], 6)],
  })),
  {
    op: 'leakyReluGrad',
    f: (x, v) => {
      using tape = new tg.GradientTape();
      tape.watch(x);
      return (tape.gradient(tg.sum(tg.mul(tg.leakyRelu(x, 0.1), v)), x) as Tensor).mul(x);
    },
    inputs: () => [distinct([6]), any([6], 6)],
  },
  ...normCases,
  ...elementwiseCases,
  ...reduceCases,
  ...scatterCases,
  ...convCases,
  ...nnCases,
  ...shapeCases,
  ...poolCases,
  ...lossCases,
  ...linalgFactorCases,
  ...linalgDecompCases,
];
