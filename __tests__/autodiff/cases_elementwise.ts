// Gradient-check cases for the elementwise additions (inverse hyperbolics, mod, divNoNan, xlogy, activations,
// erfc and the gamma family with its internal primitives xdivy and polygamma), to be joined to cases.ts's table.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import type { Case } from './cases';
import { acosh, asinh, atanh, digamma, erfc, lgamma, polygamma } from '../../src/ops/prims/unary';
import { divNoNan, mod, xdivy, xlogy } from '../../src/ops/prims/binary';
import { logSigmoid, silu, softsign } from '../../src/ops/composite/activations';
import { uniform } from './inputs';

const u = uniform;
/** Values at least 0.2 apart and none within 0.1 of 0, for softsign's |x|. */
const awayFromZero = (): Tensor => tg.tensor([-1.3, -0.5, -0.1, 0.3, 0.9, 1.7], [2, 3], 'float64');

export const elementwiseCases: Case[] = [
  { op: 'asinh', f: (x) => asinh(x), inputs: () => [u([2, 3], -2, 2, 21)] },
  { op: 'acosh', f: (x) => acosh(x), inputs: () => [u([4], 1.2, 3, 22)] },
  { op: 'atanh', f: (x) => atanh(x), inputs: () => [u([4], -0.8, 0.8, 23)] },
  {
    // a / b in [3.15, 3.73] for b > 0 and in [−3.73, −3.15] for b < 0: floors 3 and −4, no jump nearby
    op: 'mod',
    f: (a, b) => mod(a, b).mul(b),
    inputs: () => [u([2, 3], 5.2, 5.6, 24), tg.tensor([1.55, -1.6, 1.62], [3], 'float64')],
  },
  { op: 'divNoNan', f: (a, b) => divNoNan(a, b), inputs: () => [u([2, 3], -2, 2, 25), u([3], 0.5, 2, 26)] },
  { op: 'xlogy', f: (x, y) => xlogy(x, y), inputs: () => [u([2, 1], -2, 2, 27), u([1, 3], 0.5, 2, 28)] },
  { op: 'xdivy', f: (x, y) => xdivy(x, y), inputs: () => [u([2, 3], -2, 2, 29), u([3], 0.5, 2, 30)] },
  { op: 'logSigmoid', f: (x) => logSigmoid(x), inputs: () => [u([2, 3], -3, 3, 31)] },
  { op: 'softsign', f: (x) => softsign(x), inputs: () => [awayFromZero()] },
  { op: 'silu', f: (x) => silu(x), inputs: () => [u([2, 3], -3, 3, 32)] },
  { op: 'erfc', f: (x) => erfc(x), inputs: () => [u([5], -2, 2, 33)] },
  { op: 'lgamma', f: (x) => lgamma(x), inputs: () => [tg.tensor([-1.7, -0.4, 0.3, 1.2, 2.6, 4.5], [6], 'float64')] },
  { op: 'digamma', f: (x) => digamma(x), inputs: () => [tg.tensor([-1.7, -0.4, 0.3, 1.2, 2.6, 4.5], [6], 'float64')] },
  // ψ⁽²⁾, whose own rule is ψ⁽³⁾: the third and fourth derivatives of lgamma
  { op: 'polygamma', f: (x) => polygamma(2, x), inputs: () => [u([5], 0.5, 3, 34)] },
];
