// Every differentiable op against central differences in float64, at first and (for smooth ops) second
// order, in reverse and forward mode. A differentiable op missing from the table fails.
import * as tg from '../../src';
import { primitives, NOT_DIFFERENTIABLE } from '../../src/ops/primitive';
import * as api from '../../src/ops/api';
import { creationOps } from '../../src/ops/methods';
import { cases } from './cases';

describe('gradient check: tape against central differences (float64)', () => {
  test.each(cases.map((c) => [c.op, c] as const))('%s', (_name, c) => {
    const xs = c.inputs();
    const first = tg.checkGradients(c.f, xs, { ...c.tol });
    if (!first.ok) throw new Error(`first order: ${JSON.stringify(first.details)}`);
    if (c.order2 !== false) {
      const second = tg.checkGradients(c.f, xs, { rtol: 1e-4, atol: 1e-5, ...c.tol, order: 2 });
      if (!second.ok) throw new Error(`second order: ${JSON.stringify(second.details)}`);
    }
  });
});

describe('the table is complete', () => {
  const covered = new Set(cases.flatMap((c) => [c.op, ...(c.covers ?? [])]));

  test('every differentiable primitive has a case', () => {
    const missing = [...primitives.values()]
      .filter((p) => p.vjp !== NOT_DIFFERENTIABLE)
      .map((p) => p.name)
      .filter((n) => !covered.has(n));
    expect(missing).toEqual([]);
  });

  test('every differentiable op of the op list has a case', () => {
    const nonDifferentiable = new Set([
      ...creationOps,
      'equal',
      'notEqual',
      'greater',
      'greaterEqual',
      'less',
      'lessEqual',
      'logicalAnd',
      'logicalOr',
      'logicalNot',
      'isNaN',
      'isFinite',
      'floor',
      'floorDiv',
      'isInf',
      'logicalXor',
      'all',
      'any',
      'argsort',
      'sequenceMask',
      'multinomial',
      'ceil',
      'round',
      'argMax',
      'argMin',
      'oneHot',
      'stopGradient',
    ]);
    const ops = Object.keys(api);
    expect([...nonDifferentiable].filter((n) => !ops.includes(n))).toEqual([]); // no stale names
    const missing = ops.filter((n) => !nonDifferentiable.has(n) && !covered.has(n));
    expect(missing).toEqual([]);
    const lossNames = Object.keys(tg.losses)
      .map((n) => `losses.${n}`)
      .filter((n) => !covered.has(n));
    expect(lossNames).toEqual([]);
    const nnNames = Object.keys(tg.nn)
      .map((n) => `nn.${n}`)
      .filter((n) => !covered.has(n));
    expect(nnNames).toEqual([]);
    const linalgNames = Object.keys(tg.linalg)
      .map((n) => `linalg.${n}`)
      .filter((n) => !covered.has(n));
    expect(linalgNames).toEqual([]);
  });

  test('every non-differentiable primitive is declared so, and passes no gradient', () => {
    const declared = [...primitives.values()]
      .filter((p) => p.vjp === NOT_DIFFERENTIABLE)
      .map((p) => p.name)
      .sort();
    expect(declared).toEqual(
      [
        'argMax',
        'argMin',
        'ceil',
        'equal',
        'floor',
        'floorDiv',
        'greater',
        'isInf',
        'logicalXor',
        'all',
        'any',
        'argsort',
        'whereIndices',
        'greaterEqual',
        'isFinite',
        'isNaN',
        'less',
        'lessEqual',
        'logicalAnd',
        'logicalNot',
        'logicalOr',
        'notEqual',
        'oneHot',
        'round',
        'stopGradient',
      ].sort(),
    );
    const x = tg.tensor([0.4, 1.6]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    for (const y of [tg.floor(x), tg.ceil(x), tg.round(x), tg.stopGradient(x)]) expect(tape.gradient(y, x)).toBeNull();
    expect(tape.gradient(tg.cast(tg.greater(x, 1), 'float32'), x)).toBeNull();
  });
});
