// Gradient-check cases for pooling (maxPool, avgPool) and their internal primitives (maxPoolGrad and
// maxPoolGather, the scatter and gather at the argmax; avgPoolGrad), to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { avgPool, avgPoolGrad, maxPool, maxPoolGather, maxPoolGrad } from '../../src/ops/prims/pool';
import type { Case } from './cases';
import { any, distinct } from './inputs';

/** Values 0.2 apart, shuffled: no ties within a window, so maxPool is smooth here. */
const spaced = (shape: number[], seed: number): Tensor => distinct(shape, seed, 0.2, 0.05);

/** Explicit padding: one row above, one column right (each smaller than the window). */
const explicit: [number, number][] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [0, 0],
];

export const poolCases: Case[] = [
  {
    // overlapping windows ('same', stride 1 across), and explicit padding with stride 2 across
    op: 'maxPool',
    covers: ['maxPoolGrad', 'maxPoolGather'],
    f: (x) => tg.add(tg.sum(maxPool(x, [2, 3], [2, 1], 'same').square()), tg.sum(maxPool(x, 2, [1, 2], explicit))),
    inputs: () => [spaced([2, 4, 5, 2], 31)],
  },
  {
    // the scatter at x's argmax, differentiated in dy (x only fixes the positions)
    op: 'maxPoolGrad',
    f: (dy) =>
      maxPoolGrad(spaced([1, 4, 4, 2], 32), dy, 3, 1, 'same').mul(
        tg.reshape(tg.range(1, 33, 1, 'float64'), [1, 4, 4, 2]),
      ),
    inputs: () => [any([1, 4, 4, 2], 33)],
  },
  {
    op: 'maxPoolGather',
    f: (t) =>
      maxPoolGather(spaced([1, 5, 4, 1], 34), t, [3, 2], 2, 'valid').mul(
        tg.tensor([1, -2, 0.5, 3], [1, 2, 2, 1], 'float64'),
      ),
    inputs: () => [any([1, 5, 4, 1], 35)],
  },
  {
    // 'same' (edge windows averaged over fewer cells), 'valid' with strides, explicit padding
    op: 'avgPool',
    covers: ['avgPoolGrad'],
    f: (x) =>
      tg.add(
        tg.sum(avgPool(x, [3, 2], [2, 1], 'same').square()),
        tg.add(tg.sum(avgPool(x, 2, 2, 'valid').exp()), tg.sum(avgPool(x, 2, [1, 2], explicit).sin())),
      ),
    inputs: () => [any([2, 4, 5, 2], 36)],
  },
  {
    op: 'avgPoolGrad',
    f: (dy) =>
      avgPoolGrad([1, 5, 4, 2], dy, [2, 3], [2, 1], 'same').mul(
        tg.reshape(tg.range(1, 41, 1, 'float64'), [1, 5, 4, 2]),
      ),
    inputs: () => [any([1, 3, 4, 2], 37)],
  },
];
