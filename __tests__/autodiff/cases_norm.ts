// Gradient-check cases for the matrix norms of tg.norm and their primitives (maxSingularValue and its
// gradient maxSingularValueGrad, whose rules are σ_max's Hessian), to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import type { Case } from './cases';

const u = (shape: number[], seed: number): Tensor =>
  tg.randomUniform(shape, { minval: -2, maxval: 2, seed, dtype: 'float64' });

/** Column sums |x| 3.1 and 5.75, row sums 3.5, 3.6 and 1.75: no ties, so ord 1 and Infinity are smooth here. */
const untied = (): Tensor =>
  tg.tensor(
    [
      [1.0, -2.5],
      [0.6, 3.0],
      [-1.5, 0.25],
    ],
    [3, 2],
    'float64',
  );

export const normCases: Case[] = [
  {
    // σ_max of a batch of tall and of wide matrices (random: simple singular values), axes in both orders
    op: 'maxSingularValue',
    covers: ['maxSingularValueGrad'],
    f: (a, b) =>
      tg
        .norm(a, 2, [-2, -1])
        .sum()
        .add(
          tg
            .norm(b, 2, [2, 0])
            .mul(tg.tensor([1, -0.5], [2], 'float64'))
            .sum(),
        ),
    inputs: () => [u([2, 3, 2], 11), u([2, 2, 3], 12)],
  },
  {
    op: 'norm (matrix)',
    covers: ['norm'],
    f: (x) =>
      tg
        .norm(x, 1, [0, 1])
        .add(tg.norm(x, Infinity, [0, 1]))
        .add(tg.norm(x, 1, [1, 0]).mul(0.5))
        .add(tg.norm(x, 'fro', [0, 1]))
        .add(tg.norm(x, 'euclidean', [-1, -2], true).sum())
        .add(tg.norm(x, 2, [0, 1])),
    inputs: () => [untied()],
  },
];
