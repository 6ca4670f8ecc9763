// Gradient-check cases for the reductions and scans of the "More ops" family (variance, std,
// euclideanNorm, moments, cumsum, cumprod, cumulativeLogSumExp) and the internal linearScan along an
// inner axis, to be joined to the table of cases.ts. all and any (bool in, bool out) have no derivative.
import * as tg from '../../src';
import type { Case } from './cases';
import { euclideanNorm, std, variance } from '../../src/ops/composite/reduce';
import { moments } from '../../src/ops/composite/moments';
import { cumprod, cumsum, cumulativeLogSumExp } from '../../src/ops/prims/cumulative';
import { linearScan } from '../../src/ops/prims/scan';
import { varianceGrad } from '../../src/ops/prims/variance';
import { uniform } from './inputs';

const u = uniform;
const any = (shape: number[], seed = 21) => u(shape, -2, 2, seed);
const f64 = (values: number[], shape: number[]) => tg.tensor(values, shape, 'float64');

export const reduceCases: Case[] = [
  // population variance over two axes that are not adjacent, and over one negative axis kept
  {
    op: 'variance',
    f: (x) => variance(x, [0, 2]).add(variance(x, -1, true).sum()),
    inputs: () => [any([2, 3, 2])],
  },
  // the variance's fused backward pass, differentiated in both of its inputs (third order of variance)
  {
    op: 'varianceGrad',
    f: (x, g) => varianceGrad(x, g, [1, 2]).mul(x),
    inputs: () => [any([2, 3, 2]), any([2, 1, 1], 28)],
  },
  // random inputs: the variances are well away from 0, where std is not differentiable
  { op: 'std', f: (x) => std(x, 1), inputs: () => [any([2, 4], 22)] },
  { op: 'euclideanNorm', f: (x) => euclideanNorm(x, -1).add(euclideanNorm(x)), inputs: () => [any([2, 3], 23)] },
  {
    op: 'moments',
    f: (x) => {
      const { mean, variance: v } = moments(x, [0, 2]);
      return mean.mul(v);
    },
    inputs: () => [any([2, 3, 2], 24)],
  },
  // linear: order 2 is all zeros, but the modes' squared outputs check the nestings
  {
    op: 'cumsum',
    f: (x) => cumsum(x, 1).add(cumsum(x, -2, true, true)),
    inputs: () => [any([2, 3], 25)],
  },
  { op: 'cumprod', f: (x) => cumprod(x, 0), inputs: () => [any([3, 2], 26)] },
  // exclusive and reverse along the last axis, with exact zeros (multilinear: central differences are
  // exact at a zero, where TF's division-based gradient is wrong)
  {
    op: 'cumprod (exclusive, reverse, zeros)',
    covers: ['cumprod', 'linearScan'],
    f: (x) =>
      cumprod(x, -1, true)
        .add(cumprod(x, 1, false, true))
        .add(cumprod(x, 1, true, true)),
    inputs: () => [f64([2, 0, 3, 1.5, -0.5, 0, 0.7, 0, 0, 1.3, -1.1, 0.9], [3, 4])],
  },
  {
    op: 'cumulativeLogSumExp',
    f: (x) => cumulativeLogSumExp(x, 1).add(cumulativeLogSumExp(x, 0, false, true).mul(0.5)),
    inputs: () => [any([2, 4], 27)],
  },
  // exclusive: the first place is -inf (log 0), so its exp (0) is what the case compares
  {
    op: 'cumulativeLogSumExp (exclusive)',
    covers: ['cumulativeLogSumExp', 'linearScan'],
    f: (x) => tg.exp(cumulativeLogSumExp(x, -1, true)).add(tg.exp(cumulativeLogSumExp(x, -1, true, true)).mul(x)),
    inputs: () => [any([2, 3], 28)],
  },
  // the scan along an inner axis, both directions, in both inputs
  {
    op: 'linearScan (inner axis)',
    covers: ['linearScan'],
    f: (a, b) =>
      linearScan(a, b, false, 0)
        .mul(a)
        .add(linearScan(a, b, true, 0).mul(b)),
    inputs: () => [any([3, 2], 29), any([3, 2], 30)],
  },
];
