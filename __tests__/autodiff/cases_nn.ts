// Gradient-check cases of the nn and random family (normalisation, biasAdd, dropout, norm clipping, tg.nn's
// cross-entropies, randomShuffle), to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Case } from './cases';
import { batchNorm, clipByGlobalNorm, clipByNorm, l2Normalize } from '../../src/ops/composite/normalization';
import { biasAdd, dropout } from '../../src/ops/composite/nn';
import {
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../../src/ops/composite/crossentropy';
import { randomShuffle } from '../../src/ops/random';
import { any, pos, uniform } from './inputs';

const u = uniform;
const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');

export const nnCases: Case[] = [
  {
    op: 'batchNorm',
    f: (x, m, v, o, s) => batchNorm(x, m, v, o, s, 0.01),
    inputs: () => [any([2, 3]), any([3], 5), pos([3], 6), any([3], 7), any([1], 8)],
  },
  { op: 'l2Normalize', f: (x) => l2Normalize(x, -1).add(l2Normalize(x, [0, 1])), inputs: () => [any([2, 3])] },
  { op: 'biasAdd', f: (x, b) => biasAdd(x, b).mul(x), inputs: () => [any([2, 3]), any([3], 5)] },
  // the mask of seed 7 keeps some and drops some of the six
  { op: 'dropout', f: (x) => dropout(x, 0.4, null, 7).mul(x), inputs: () => [any([2, 3])] },
  {
    // row norms 5, 1 and 2.5 against clipNorm 1.5: the first and last rows clipped, the middle one not
    op: 'clipByNorm',
    f: (x, c) => clipByNorm(x, c, 1).add(clipByNorm(x, 10)),
    inputs: () => [
      f64([
        [3, -4],
        [0.6, 0.8],
        [-1.5, 2],
      ]),
      tg.scalar(1.5, 'float64'),
    ],
  },
  {
    // global norm sqrt(Σ squares) about 4.5 > 2: every tensor scaled by 2 / norm
    op: 'clipByGlobalNorm',
    f: (a, b) => {
      const [clipped, norm] = clipByGlobalNorm([a, null, b], 2);
      return tg.concat([tg.reshape(clipped[0]!, [-1]), tg.reshape(clipped[2]!, [-1]), tg.reshape(norm, [1])]);
    },
    inputs: () => [any([2, 2]), any([3], 5)],
  },
  {
    op: 'nn.sigmoidCrossEntropyWithLogits',
    f: (z, x) => sigmoidCrossEntropyWithLogits(z, x),
    inputs: () => [u([2, 3], 0, 1, 4), any([2, 3], 5)],
  },
  {
    // labels that are not distributions (the true gradient, softmax·Σz − z), class axis 0
    op: 'nn.softmaxCrossEntropyWithLogits',
    f: (z, x) => softmaxCrossEntropyWithLogits(z, x, 0),
    inputs: () => [u([3, 2], 0, 1, 4), any([3, 2], 5)],
  },
  {
    op: 'nn.sparseSoftmaxCrossEntropyWithLogits',
    f: (x) => sparseSoftmaxCrossEntropyWithLogits([2, 0], x),
    inputs: () => [any([2, 3])],
  },
  { op: 'randomShuffle', f: (x) => randomShuffle(x, { seed: 4 }).mul(x), inputs: () => [any([4, 2])] },
];
