// Gradient-check cases for the sort and scatter family (sort, topk, gatherND, scatterND, the tensor
// scatters, the segment ops, booleanMask) and their primitives, to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import type { Case } from './cases';
import { sort, topk } from '../../src/ops/prims/sort';
import { booleanMask, gatherND, scatterND, tensorScatterAdd, tensorScatterUpdate } from '../../src/ops/prims/scatter';
import {
  segmentSum,
  unsortedSegmentMax,
  unsortedSegmentMean,
  unsortedSegmentMin,
  unsortedSegmentSum,
} from '../../src/ops/prims/segment';
import { any, distinct } from './inputs';

const int = (values: number[], shape: number[]) => tg.tensor(values, shape, 'int32');
/** A nonlinear weight so that second derivatives of these (piecewise) linear ops are not all zero. */
const sq = (y: Tensor) => y.mul(y);

export const scatterCases: Case[] = [
  {
    // sort along each axis and both directions; the values scatter back through takeAlongAxisGrad
    op: 'sort',
    covers: ['takeAlongAxis', 'takeAlongAxisGrad'],
    f: (x) => sq(sort(x, 0)).add(sort(x, -1, 'DESCENDING')),
    inputs: () => [distinct([3, 4], 21)],
  },
  {
    op: 'topk',
    f: (x) => sq(topk(x, 2).values).add(topk(x, 2, false).values),
    inputs: () => [distinct([2, 5], 22)],
  },
  {
    op: 'gatherND',
    covers: ['gatherRows', 'scatterAddRows'],
    f: (x) =>
      sq(gatherND(x, int([1, 0, 0, 2, 1, 0], [3, 2])))
        .sum()
        .add(gatherND(x, int([1, 0], [2, 1]))),
    inputs: () => [any([2, 3], 23)],
  },
  {
    // duplicate indices add
    op: 'scatterND',
    f: (u) => sq(scatterND(int([1, 3, 1], [3, 1]), u, [4, 2])),
    inputs: () => [any([3, 2], 24)],
  },
  {
    op: 'tensorScatterUpdate',
    f: (t, u) => sq(tensorScatterUpdate(t, int([0, 2], [2, 1]), u)).mul(t),
    inputs: () => [any([3, 2], 25), any([2, 2], 26)],
  },
  {
    op: 'tensorScatterAdd',
    f: (t, u) => sq(tensorScatterAdd(t, int([2, 0, 2], [3, 1]), u)),
    inputs: () => [any([3], 27), any([3], 28)],
  },
  {
    // a negative id drops its row; segment 3 is empty
    op: 'unsortedSegmentSum',
    f: (x) => sq(unsortedSegmentSum(x, int([2, 0, -1, 2], [4]), 4)),
    inputs: () => [any([4, 2], 29)],
  },
  {
    // a negative id drops its slice
    op: 'unsortedSegmentMax',
    f: (x) => sq(unsortedSegmentMax(x, int([1, 0, 1, -1, 2, 0], [2, 3]), 3)).sum(),
    inputs: () => [distinct([2, 3, 2], 30)],
  },
  {
    op: 'unsortedSegmentMin',
    f: (x) => sq(unsortedSegmentMin(x, int([1, 0, 1, 1], [4]), 2)),
    inputs: () => [distinct([4, 3], 31)],
  },
  {
    op: 'unsortedSegmentMean',
    f: (x) => sq(unsortedSegmentMean(x, int([0, 2, 0], [3]), 3)),
    inputs: () => [any([3, 2], 32)],
  },
  {
    op: 'segmentSum',
    f: (x) => sq(segmentSum(x, int([0, 0, 2], [3]))),
    inputs: () => [any([3, 2], 33)],
  },
  {
    op: 'booleanMask',
    f: (x) => sq(booleanMask(x, tg.tensor([true, false, true]), 1)),
    inputs: () => [any([2, 3, 2], 34)],
  },
];
