// Gradient-check cases for tg.linalg's decompositions (qr, eigh, svd and the primitives behind them) and the
// least-squares composites pinv and lstsq, to be joined to the table of cases.ts.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { eigh, qr, svd } from '../../src/ops/prims/linalg_decomp';
import { lstsq, pinv } from '../../src/ops/composite/linalg_solvers';
import type { Case } from './cases';

const u = (shape: number[], seed: number): Tensor =>
  tg.randomUniform(shape, { minval: -2, maxval: 2, seed, dtype: 'float64' });
const flat = (...ts: Tensor[]): Tensor =>
  tg.concat(
    ts.map((t) => tg.reshape(t, [-1])),
    0,
  );

export const linalgDecompCases: Case[] = [
  {
    // tall (batched), wide and square, Q and R together and R alone
    op: 'linalg.qr',
    covers: ['linalg.qrQ', 'linalg.qrR', 'linalg.upperTriangularInverse'],
    f: (a, b, c) => {
      const x = qr(a);
      const y = qr(b);
      return flat(x.q, x.r, y.q, y.r, qr(c, { fullMatrices: true }).r);
    },
    inputs: () => [u([2, 3, 2], 21), u([2, 3], 22), u([2, 2], 23)],
  },
  {
    // random symmetric matrices have distinct eigenvalues; the upper triangle is never read
    op: 'linalg.eigh',
    covers: ['linalg.eighValues', 'linalg.eighVectors'],
    f: (a) => {
      const { eigenvalues, eigenvectors } = eigh(a);
      return flat(eigenvalues, eigenvectors);
    },
    inputs: () => [u([2, 3, 3], 24)],
  },
  {
    // tall (batched) and wide, s, u and v; and s alone (computeUv false)
    op: 'linalg.svd',
    covers: ['linalg.svdS', 'linalg.svdU', 'linalg.svdV'],
    f: (a, b) => {
      const x = svd(a);
      const y = svd(b);
      return flat(x.s, x.u, x.v, y.s, y.u, y.v, svd(b, { computeUv: false }).s);
    },
    inputs: () => [u([2, 3, 2], 25), u([2, 3], 26)],
  },
  { op: 'linalg.pinv', f: (a, b) => flat(pinv(a), pinv(b)), inputs: () => [u([3, 2], 27), u([2, 2, 3], 28)] },
  {
    op: 'linalg.lstsq',
    // over- and underdetermined, and regularised
    f: (a, b, c, d) => flat(lstsq(a, b), lstsq(c, b, { l2Regularizer: 0.5 }), lstsq(tg.transpose(a), d)),
    inputs: () => [u([3, 2], 29), u([3, 2], 30), u([3, 3], 31), u([2, 2], 32)],
  },
];
