// The reverse walker on hand-built records: path filtering, accumulation, and rule checks.
import * as tg from '../../src';
import type { OpRecord } from '../../src/core/recording';
import { backpropSlots } from '../../src/autodiff/tape';
import { TrackedSet } from '../../src/core/tracked';

const t = (v: number) => tg.scalar(v, 'float64');
/** The walker never asks for tangents. */
const noTangent = (): null => null;

/**
 * The walk as a tape runs it: the sources and every record's output tracked (slots in that order),
 * seeds and results by tensor id.
 */
function backprop(
  records: readonly OpRecord[],
  seeds: Map<number, tg.Tensor>,
  sources: ReadonlySet<number>,
): Map<number, tg.Tensor> {
  const tracked = new TrackedSet();
  const byId = new Map<number, tg.Tensor>();
  for (const r of records) for (const x of [...r.inputs, r.output]) byId.set(x.id, x);
  for (const id of sources) tracked.add(byId.get(id)!);
  for (const r of records) tracked.add(r.output);
  const grads: (tg.Tensor | undefined)[] = [];
  for (const [id, g] of seeds) grads[tracked.slotOf(byId.get(id)!)] = g;
  const sourceSlots = [...sources].map((id) => tracked.slotOf(byId.get(id)!));
  const out = backpropSlots(records, tracked, grads, sourceSlots);
  const result = new Map<number, tg.Tensor>();
  out.forEach((g, slot) => g !== undefined && result.set(tracked.idAt(slot), g));
  return result;
}

/** A record of out = f(inputs) whose rule multiplies dy by fixed local derivatives. */
function rec(name: string, inputs: tg.Tensor[], output: tg.Tensor, locals: number[]): OpRecord {
  return { name, inputs, output, jvp: noTangent, vjp: (dy) => locals.map((d) => dy.mul(d)) };
}

describe('the path from the sources', () => {
  test('only records downstream of a source run their rule', () => {
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(t);
    const ran: string[] = [];
    const traced = (name: string, inputs: tg.Tensor[], output: tg.Tensor): OpRecord => ({
      ...rec(
        name,
        inputs,
        output,
        inputs.map(() => 1),
      ),
      vjp: (dy) => (ran.push(name), inputs.map(() => dy)),
    });
    const r1 = traced('f', [a], c);
    const r2 = traced('g', [b], d); // not downstream of a
    const r3 = traced('h', [c, d], e);
    const grads = backprop([r1, r2, r3], new Map([[e.id, t(1)]]), new Set([a.id]));
    expect(ran).toEqual(['h', 'f']);
    // intermediates are dropped once used; the source keeps its gradient
    expect([...grads.keys()]).toEqual([a.id]);
  });
});

describe('backprop', () => {
  test('chains local derivatives and adds where paths join', () => {
    // c = 3a, e = 2c + 5a: de/da = 2·3 + 5 = 11
    const [a, c, e] = [1, 3, 5].map(t);
    const records = [rec('triple', [a], c, [3]), rec('mix', [c, a], e, [2, 5])];
    const grads = backprop(records, new Map([[e.id, t(1)]]), new Set([a.id]));
    expect(grads.get(a.id)!.item()).toBe(11);
  });

  test('skips rules whose output got no gradient and asks only for needed inputs', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map(t);
    const asked: boolean[][] = [];
    const spy: OpRecord = {
      name: 'spy',
      inputs: [a, b],
      output: c,
      jvp: noTangent,
      vjp: (dy, needs) => (asked.push([...needs]), [dy, null]),
    };
    const unused: OpRecord = {
      name: 'unused',
      inputs: [a],
      output: d,
      jvp: noTangent,
      vjp: () => {
        throw new Error('must not run');
      },
    };
    backprop([spy, unused], new Map([[c.id, t(1)]]), new Set([a.id]));
    expect(asked).toEqual([[true, false]]);
  });

  test('a rule returning the wrong number of gradients is named', () => {
    const [a, c] = [1, 2].map(t);
    const bad: OpRecord = { name: 'broken', inputs: [a], output: c, jvp: noTangent, vjp: () => [] };
    expect(() => backprop([bad], new Map([[c.id, t(1)]]), new Set([a.id]))).toThrow(
      new tg.TapeError("gradient of 'broken' returned 0 gradients for 1 inputs"),
    );
  });

  test('a rule returning the wrong shape or dtype is named with the input', () => {
    const a = tg.zeros([2, 3], 'float64');
    const c = tg.zeros([2, 3], 'float64');
    const wrongShape: OpRecord = {
      name: 'wrongShape',
      inputs: [a],
      output: c,
      jvp: noTangent,
      vjp: () => [tg.zeros([3], 'float64')],
    };
    expect(() => backprop([wrongShape], new Map([[c.id, tg.onesLike(c)]]), new Set([a.id]))).toThrow(
      "gradient of 'wrongShape' for input 0 has shape [3], which does not match the shape of the input [2,3]",
    );
    const wrongDtype: OpRecord = {
      name: 'wrongDtype',
      inputs: [a],
      output: c,
      jvp: noTangent,
      vjp: () => [tg.zeros([2, 3], 'float32')],
    };
    expect(() => backprop([wrongDtype], new Map([[c.id, tg.onesLike(c)]]), new Set([a.id]))).toThrow(
      /'wrongDtype' for input 0 has dtype float32, which does not match the input's dtype float64/,
    );
  });
});

describe('the walk inside a walk, and after a walk that threw', () => {
  test('a rule that runs its own long backward walk while the outer walk holds its marks', () => {
    // d/dx of a 100-step chain h = x·1.001^100 is 1.001^100; the rule multiplies and divides by it
    const chain = (x: tg.Tensor) => {
      const t = new tg.GradientTape();
      t.watch(x);
      let h = x;
      for (let i = 0; i < 100; i++) h = h.mul(1.001);
      return t.gradient(h, x)!;
    };
    const square = tg.customGradient((x: tg.Tensor) => ({
      value: x.mul(x),
      grad: (dy: tg.Tensor) => dy.mul(chain(x)).mul(x.mul(2)).div(chain(x)),
    }));
    const x = new tg.Variable(3, { dtype: 'float64' });
    const y = new tg.Variable(5, { dtype: 'float64' });
    for (let rep = 0; rep < 3; rep++) {
      const tape = new tg.GradientTape();
      let h = square(x.value()).add(y.mul(y));
      for (let i = 0; i < 80; i++) h = h.add(y.mul(0.01));
      const [dx, dy] = tape.gradient(h, [x, y]);
      expect(dx!.item()).toBeCloseTo(6, 12); // 2x
      expect(dy!.item()).toBeCloseTo(10.8, 12); // 2y + 80·0.01
    }
  });

  test('a walk that throws leaves the next walks right', () => {
    const bad = tg.customGradient((x: tg.Tensor) => ({ value: x.mul(x), grad: () => tg.tensor([1, 2]) }));
    const x = new tg.Variable(3);
    const y = new tg.Variable(4);
    const t0 = new tg.GradientTape();
    expect(() => t0.gradient(bad(x.value()).add(x), x)).toThrow(/shape \[2\]/);
    for (let k = 0; k < 3; k++) {
      const t = new tg.GradientTape();
      const f = x.mul(x).mul(y).add(y).add(2);
      const [dx, dy] = t.gradient(f, [x, y]);
      expect([f.item(), dx!.item(), dy!.item()]).toEqual([42, 24, 10]);
    }
  });
});
