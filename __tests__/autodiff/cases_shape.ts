// Gradient-check cases for the shape and linear-algebra helpers (roll, repeat, meshgrid, mirrorPad,
// gather with batchDims, einsum, tensordot, matvec, trace, diag, diagPart, bandPart) and their primitives
// (mirrorPad/mirrorPadGrad, diagPart/diagPlace), to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import type { Case } from './cases';
import { roll, repeat, meshgrid } from '../../src/ops/composite/shape';
import { gather, mirrorPad } from '../../src/ops/prims/shape';
import { bandPart, diag, diagPart, matvec, tensordot, trace } from '../../src/ops/composite/linalg';
import { einsum } from '../../src/ops/composite/einsum';

const u = (shape: number[], seed: number): Tensor =>
  tg.randomUniform(shape, { minval: -2, maxval: 2, seed, dtype: 'float64' });

export const shapeCases: Case[] = [
  // two axes, one of them twice (shifts 1 + 3 on the last), and a negative shift
  { op: 'roll', f: (x) => roll(x, [1, -1, 3], [1, 0, -1]).mul(u([3, 4], 21)), inputs: () => [u([3, 4], 20)] },
  {
    op: 'repeat',
    f: (x) =>
      repeat(x, [2, 0, 1], 1)
        .mul(u([2, 3], 23))
        .add(repeat(x, 2).sum()),
    inputs: () => [u([2, 3], 22)],
  },
  {
    op: 'meshgrid',
    f: (x, y) => {
      const [a, b] = meshgrid(x, y);
      const [c, d] = meshgrid(x, y, { indexing: 'ij' });
      return a
        .mul(b)
        .sum()
        .add(c.sub(d.mul(2)).square().sum());
    },
    inputs: () => [u([3], 24), u([2], 25)],
  },
  {
    op: 'mirrorPad',
    covers: ['mirrorPadGrad'],
    f: (x) =>
      mirrorPad(
        x,
        [
          [1, 2],
          [2, 0],
        ],
        'reflect',
      )
        .mul(u([6, 6], 27))
        .sum()
        .add(
          mirrorPad(
            x,
            [
              [2, 2],
              [0, 1],
            ],
            'symmetric',
          ).mul(u([7, 5], 28)),
        ),
    inputs: () => [u([3, 4], 26)],
  },
  {
    // batchDims 1 with the gathered axis after another one; indices repeat (the gradient adds them up)
    op: 'gather (batchDims)',
    covers: ['gather', 'gatherGrad'],
    f: (x) =>
      gather(
        x,
        tg.tensor(
          [
            [2, 0, 2],
            [1, 1, 0],
          ],
          [2, 3],
          'int32',
        ),
        2,
        1,
      ).mul(u([2, 2, 3], 31)),
    inputs: () => [u([2, 2, 3], 30)],
  },
  {
    // a batched matmul with a broadcast ellipsis, a trace, a diagonal and three operands
    op: 'einsum',
    f: (a, b, c) =>
      einsum('...ij,jk->...ik', a, b)
        .sum()
        .add(einsum('ii', b.slice([0, 0], [3, 3])))
        .add(
          einsum('bii->bi', a.slice([0, 0, 0], [2, 3, 3]))
            .mul(c.slice([0], [3]))
            .sum(),
        )
        .add(einsum('bij,jk,k->bi', a, b, c).square().sum()),
    inputs: () => [u([2, 3, 3], 32), u([3, 4], 33), u([4], 34)],
  },
  {
    op: 'tensordot',
    f: (a, b) =>
      tensordot(a, b, [
        [0, 2],
        [1, 0],
      ]).mul(u([3, 2], 37)),
    inputs: () => [u([2, 3, 4], 35), u([4, 2, 2], 36)],
  },
  { op: 'matvec', f: (a, x) => matvec(a, x), inputs: () => [u([2, 3, 4], 38), u([4], 39)] },
  { op: 'trace', f: (x) => trace(x), inputs: () => [u([2, 3, 3], 40)] },
  { op: 'diag', covers: ['diagPlace'], f: (x) => diag(x).mul(u([2, 3, 3], 42)), inputs: () => [u([2, 3], 41)] },
  { op: 'diagPart', f: (x) => diagPart(x), inputs: () => [u([2, 3, 4], 43)] },
  { op: 'bandPart', f: (x) => bandPart(x, 1, 0).add(bandPart(x, -1, 2)), inputs: () => [u([2, 4, 3], 44)] },
];
