// Gradient-check cases for tg.linalg's factorisation ops (matrixTranspose, cholesky, triangularSolve, solve,
// inv, det, slogdet, logdet), to be joined to the table of cases.ts; well-conditioned float64 inputs.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import {
  cholesky,
  det,
  inv,
  logdet,
  matrixTranspose,
  slogdet,
  solve,
  triangularSolve,
} from '../../src/ops/prims/linalg_factor';
import type { Case } from './cases';
import { uniform } from './inputs';

const u = (shape: number[], seed: number): Tensor => uniform(shape, -1, 1, seed);

/** x + c·I on the last two axes: entries of x in [-1, 1), so for c = 4 and n = 3 diagonally dominant. */
const shift = (x: Tensor, c: number): Tensor => x.add(tg.eye(x.shape[x.rank - 1], 'float64').mul(c));

/** x + xᵀ + 8I: symmetric, diagonally dominant (off-diagonal rows sum below 4 for n = 3), so positive definite. */
const spd = (x: Tensor): Tensor => shift(x.add(matrixTranspose(x)), 8);

export const linalgFactorCases: Case[] = [
  { op: 'linalg.matrixTranspose', f: (x) => matrixTranspose(x), inputs: () => [u([2, 3, 4], 31)] },
  // the input made symmetric first: TF's gradient is symmetric (it reads the lower triangle as the whole)
  { op: 'linalg.cholesky', f: (x) => cholesky(spd(x)), inputs: () => [u([2, 3, 3], 32)] },
  {
    // the four triangle/adjoint variants, batch axes broadcast ([2, 1] against [2])
    op: 'linalg.triangularSolve',
    f: (a, b) => {
      const m = shift(a, 4);
      return triangularSolve(m, b)
        .add(triangularSolve(m, b, { adjoint: true }))
        .add(triangularSolve(m, b, { lower: false }))
        .add(triangularSolve(m, b, { lower: false, adjoint: true }));
    },
    inputs: () => [u([2, 1, 3, 3], 33), u([2, 3, 2], 34)],
  },
  { op: 'linalg.solve', f: (a, b) => solve(shift(a, 4), b), inputs: () => [u([3, 3], 35), u([2, 3, 2], 36)] },
  { op: 'linalg.inv', f: (a) => inv(shift(a, 4)), inputs: () => [u([2, 3, 3], 37)] },
  { op: 'linalg.det', f: (a) => det(shift(a, 1)), inputs: () => [u([2, 3, 3], 38)] },
  { op: 'linalg.slogdet', f: (a) => slogdet(shift(a, 1)).logAbsDet, inputs: () => [u([2, 3, 3], 39)] },
  { op: 'linalg.logdet', f: (x) => logdet(spd(x)), inputs: () => [u([2, 3, 3], 40)] },
];
