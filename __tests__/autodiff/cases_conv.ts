// Gradient-check cases for the convolutions (conv1d, conv2d, conv2dTranspose, depthwiseConv2d) and their
// backward primitives, reached at second order, to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d } from '../../src/ops/prims/conv';
import type { Case } from './cases';

const u = (shape: number[], seed: number): Tensor =>
  tg.randomUniform(shape, { minval: -1, maxval: 1, seed, dtype: 'float64' });

// convolutions are bilinear, so every case is smooth: the second order exercises the backward primitives
export const convCases: Case[] = [
  {
    // 'same' with stride 2 on an odd size: the extra padding row/column at the bottom/right
    op: 'conv2d',
    covers: ['conv2dBackpropInput', 'conv2dBackpropFilter'],
    f: (x, w) => conv2d(x, w, 2, 'same'),
    inputs: () => [u([2, 5, 4, 2], 21), u([3, 2, 2, 3], 22)],
  },
  {
    op: 'conv2d (dilated, explicit padding)',
    f: (x, w) =>
      conv2d(
        x,
        w,
        [1, 2],
        [
          [0, 0],
          [1, 0],
          [2, 1],
          [0, 0],
        ],
        'NHWC',
        [2, 1],
      ),
    inputs: () => [u([1, 5, 5, 2], 23), u([2, 2, 2, 2], 24)],
  },
  {
    op: 'conv1d',
    f: (x, w) => conv1d(x, w, 2, 'same', 'NWC', 1),
    inputs: () => [u([2, 7, 2], 25), u([3, 2, 2], 26)],
  },
  {
    op: 'conv2dTranspose',
    f: (x, w) => conv2dTranspose(x, w, [2, 5, 5, 2], 2, 'same'),
    inputs: () => [u([2, 3, 3, 3], 27), u([3, 3, 2, 3], 28)],
  },
  {
    op: 'depthwiseConv2d',
    covers: ['depthwiseConv2dBackpropInput', 'depthwiseConv2dBackpropFilter'],
    f: (x, w) => depthwiseConv2d(x, w, 2, 'same'),
    inputs: () => [u([2, 5, 4, 2], 29), u([2, 3, 2, 2], 30)],
  },
  {
    op: 'depthwiseConv2d (dilated, valid)',
    f: (x, w) => depthwiseConv2d(x, w, 1, 'valid', 'NHWC', 2),
    inputs: () => [u([1, 5, 5, 3], 31), u([2, 2, 3, 1], 32)],
  },
];
