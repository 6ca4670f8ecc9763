// Forward mode, the function transforms, and the trace: closed forms, TF's published numbers, the seeds.
import * as tg from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { expectTensor } from '../helpers';

afterEach(() => expect(activeRecorders.length).toBe(0));

const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');

describe('ForwardAccumulator', () => {
  test('the seeds dual numbers: log(x) + x·y + sin(y) at (2, 5) gives 9.734222905896807 and 5.5', () => {
    const x = f64(2);
    const y = f64(5);
    using acc = new tg.ForwardAccumulator([x, y], [f64(1), f64(0)]);
    const f = tg.log(x).add(x.mul(y)).add(tg.sin(y));
    expect(f.item()).toBe(9.734222905896807);
    expect(acc.jvp(f)!.item()).toBe(5.5); // 1/x + y
  });

  test('the seeds dual numbers: y/x - x + y at (2, 3) gives -1.75 along x and 1.5 along y', () => {
    const f = (x: tg.Tensor, y: tg.Tensor) => y.div(x).sub(x).add(y);
    expect(
      tg
        .jvp(
          f,
          [2, 3].map((v) => tg.scalar(v)),
          [1, 0].map((v) => tg.scalar(v)),
        )
        .tangent.item(),
    ).toBe(-1.75); // -y/x² - 1
    expect(
      tg
        .jvp(
          f,
          [2, 3].map((v) => tg.scalar(v)),
          [0, 1].map((v) => tg.scalar(v)),
        )
        .tangent.item(),
    ).toBe(1.5); // 1/x + 1
  });

  test('nested accumulators (TF): p^3.5 at 1.1 gives 4.4417057 then 10.094786', () => {
    const p = tg.scalar(1.1);
    using outer = new tg.ForwardAccumulator(p, tg.scalar(1));
    let innerJvp: tg.Tensor;
    {
      using inner = new tg.ForwardAccumulator(p, tg.scalar(1));
      innerJvp = inner.jvp(p.pow(3.5))!;
    }
    expect(String(innerJvp)).toBe('Tensor(4.4417057, shape=[], dtype=float32)'); // 3.5 · 1.1^2.5
    expect(String(outer.jvp(innerJvp))).toBe('Tensor(10.094786, shape=[], dtype=float32)'); // 3.5 · 2.5 · 1.1^1.5
  });

  test('an accumulator around a tape gives a Hessian-vector product (TF): [6, 0]', () => {
    const v = new tg.Variable([1, 2]);
    using acc = new tg.ForwardAccumulator(v, tg.tensor([1, 0]));
    let backward: tg.Tensor;
    {
      using tape = new tg.GradientTape();
      const y = tg.sum(v.pow(3));
      backward = tape.gradient(y, v)!;
    }
    expectTensor(acc.jvp(backward), [6, 0]); // 6v ⊙ [1, 0]
  });

  test('a tape around an accumulator differentiates a jvp (reverse-over-forward)', () => {
    const x = f64([0.5, 1.5]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    let jt: tg.Tensor;
    {
      using acc = new tg.ForwardAccumulator(x, f64([1, 1]));
      jt = acc.jvp(tg.sum(tg.sin(x)))!; // Σ cos(x)
    }
    expectTensor(tape.gradient(jt, x), [-Math.sin(0.5), -Math.sin(1.5)]);
  });

  test('matrix functions: the jvp of x·W along t is t·W', () => {
    const x = f64([[1, 2]]);
    const w = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    using acc = new tg.ForwardAccumulator(x, f64([[1, -1]]));
    const y = tg.matmul(x, w);
    expectTensor(acc.jvp(y), [1 - 4, 2 - 5, 3 - 6], [1, 3]);
  });

  test('unconnected outputs are null, or zeros on request; the primal itself gets its tangent', () => {
    const x = tg.scalar(1);
    using acc = new tg.ForwardAccumulator(x, tg.scalar(3));
    const c = tg.scalar(2).mul(5);
    expect(acc.jvp(c)).toBeNull();
    expectTensor(acc.jvp(c, { unconnectedGradients: 'zero' }), 0);
    expectTensor(acc.jvp(x), 3);
  });

  test('variables: the tangent follows every read', () => {
    const v = new tg.Variable(2);
    using acc = new tg.ForwardAccumulator(v, tg.scalar(1));
    expectTensor(acc.jvp(v.square().add(v)), 5); // 2v + 1
  });

  test('errors: tangent shape, count, dtype', () => {
    expect(() => new tg.ForwardAccumulator(tg.tensor([1, 2]), tg.tensor([1]))).toThrow(
      /tangent 0 has shape \[1\] but its primal has shape \[2\]/,
    );
    expect(() => new tg.ForwardAccumulator([tg.scalar(1), tg.scalar(2)], [tg.scalar(1)])).toThrow(
      /2 primals but 1 tangents/,
    );
    expect(() => new tg.ForwardAccumulator(tg.tensor([1], [1], 'int32'), [1])).toThrow(/primal 0 has dtype int32/);
  });
});

describe('function transforms against closed forms', () => {
  test('grad and valueAndGrad of a vector function', () => {
    const f = (x: tg.Tensor) => tg.sum(tg.sin(x).mul(x)); // d/dx = sin x + x cos x
    const x = [0.3, 1.1];
    expectTensor(
      tg.grad(f)(f64(x)) as tg.Tensor,
      x.map((v) => Math.sin(v) + v * Math.cos(v)),
    );
    const { value, grads } = tg.valueAndGrad((a, b) => tg.sum(a.mul(b)))(f64([1, 2]), f64([3, 4]));
    expect(value.item()).toBe(11); // 1·3 + 2·4
    expectTensor((grads as tg.Tensor[])[0], [3, 4]);
    expectTensor((grads as tg.Tensor[])[1], [1, 2]);
    expectTensor((tg.grad((a, _b) => a.mul(2))(1, 5) as tg.Tensor[])[1], 0); // unconnected: zeros
  });

  test('vjp and jvp of a matrix function agree with the Jacobian', () => {
    const w = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const f = (x: tg.Tensor) => tg.tanh(tg.matmul(w, x)); // x: [2, 1]
    const x = f64([[0.1], [-0.2]]);
    const J = tg.reshape(tg.jacobian(f)(x), [3, 2]);
    const { value, vjp } = tg.vjp(f, x);
    expect(value.shape).toEqual([3, 1]);
    const c = f64([[1], [2], [3]]);
    expectTensor(
      tg.reshape(vjp(c) as tg.Tensor, [1, 2]),
      Array.from(tg.matmul(tg.reshape(c, [1, 3]), J).dataSync()),
      undefined,
      1e-12,
    );
    const t = f64([[1], [-1]]);
    expectTensor(
      tg.reshape(tg.jvp(f, x, t).tangent, [3, 1]),
      Array.from(tg.matmul(J, tg.reshape(t, [2, 1])).dataSync()),
      undefined,
      1e-12,
    );
  });

  test('jacobian of an elementwise function is diagonal', () => {
    expectTensor(tg.jacobian((x) => x.square())(tg.tensor([1, 2])), [2, 0, 0, 4], [2, 2]);
  });

  test('hessian of xᵀAx/2 is A; of Σx³ is diag(6x); shape [...x, ...x]', () => {
    const A = f64([
      [2, 1],
      [1, 3],
    ]);
    expectTensor(tg.hessian((x) => tg.dot(x, tg.dot(A, x)).mul(0.5))(f64([0.3, -0.7])), [2, 1, 1, 3], [2, 2], 1e-12);
    expectTensor(tg.hessian((x) => x.pow(3).sum())(tg.tensor([1, 2])), [6, 0, 0, 12], [2, 2]);
    expect(tg.hessian((x) => x.square().sum())(tg.ones([2, 3])).shape).toEqual([2, 3, 2, 3]);
  });

  test('hvp equals H·v and never forms H: 100 000 inputs in one pass', () => {
    expectTensor(
      tg.hvp((x) => x.pow(3).sum(), tg.tensor([1, 2]), tg.tensor([1, 0])),
      [6, 0],
    );
    const n = 100000;
    const x = tg.randomUniform([n], { seed: 3 });
    const v = tg.onesLike(x);
    const hv = tg.hvp((z) => z.pow(3).sum(), x, v); // a dense H would hold 10^10 numbers
    expectTensor(
      hv,
      Array.from(x.dataSync(), (xi) => 6 * xi),
      [n],
      1e-5,
    );
  });

  test('transforms refuse non-float arguments and non-tensor results', () => {
    expect(() => tg.grad((x) => x)(tg.tensor([1], [1], 'int32'))).toThrow(/argument 0 has dtype int32/);
    expect(() => tg.grad(() => 3 as unknown as tg.Tensor)(1)).toThrow(/must return a Tensor, got number/);
  });
});

describe('checkGradients covers both modes', () => {
  test('the report holds reverse, forward and transpose checks at both orders', () => {
    const r = tg.checkGradients((x) => tg.tanh(x).mul(x), [f64([0.2, -0.4])], { order: 2 });
    expect(r.ok).toBe(true);
    const kinds = new Set(r.details.map((d) => `${d.mode}/${d.order}`));
    expect([...kinds].sort()).toEqual([
      'forward/1',
      'forward/2',
      'reverse/1',
      'reverse/2',
      'transpose/1',
      'transpose/2',
    ]);
  });

  test('a custom gradient that is wrong is caught by the reverse and transpose checks', () => {
    // forward mode differentiates sin itself (TF's rule), so only the reverse rule is wrong and
    // the transpose check <t, vjp(c)> = <jvp(t), c> sees the two modes disagree
    const wrong = tg.customGradient((x) => ({ value: tg.sin(x), grad: (dy) => dy.mul(tg.sin(x)) }));
    const r = tg.checkGradients((x) => wrong(x), [f64([0.3, 1.2])]);
    expect(r.ok).toBe(false);
    expect(
      r.details
        .filter((d) => d.absError > 0.1)
        .map((d) => d.mode)
        .sort(),
    ).toEqual(['reverse', 'transpose']);
  });

  test('numericGradient: central and forward differences, as in the seeds', () => {
    const sq = (x: tg.Tensor) => x.square();
    const central = tg.numericGradient(sq, [f64(1)], { eps: 1e-5 })[0].item();
    const forward = tg.numericGradient(sq, [f64(1)], { eps: 1e-5, method: 'forward' })[0].item();
    expect(Math.abs(central - 2)).toBeLessThan(1e-9); // exact for a quadratic up to rounding
    expect(Math.abs(forward - 2 - 1e-5)).toBeLessThan(1e-9); // forward differences are off by eps·f''/2
  });
});

describe('the trace', () => {
  const record = () => {
    const x = new tg.Variable(2, { name: 'x' });
    const y = new tg.Variable(5, { name: 'y' });
    const tape = new tg.GradientTape({ persistent: true });
    tg.log(x)
      .add(x.mul(y))
      .sub(tg.sin(y))
      .add(tg.tensor([1, 1]));
    tape.dispose();
    return tape;
  };

  test('toString lists the recorded ops like the seeds print them', () => {
    expect(record().toString()).toBe(
      [
        'GradientTape(persistent=true, 6 ops)',
        '  t1 = log(x)        [] float32',
        '  t2 = mul(x, y)     [] float32',
        '  t3 = add(t1, t2)   [] float32',
        '  t4 = sin(y)        [] float32',
        '  t5 = sub(t3, t4)   [] float32',
        '  t6 = add(t5, x0)   [2] float32',
      ].join('\n'),
    );
  });

  test('toDot is a Graphviz digraph with one box per op and an edge per input', () => {
    const dot = record().toDot();
    expect(dot.startsWith('digraph tape {')).toBe(true);
    expect(dot.trim().endsWith('}')).toBe(true);
    expect((dot.match(/shape=box/g) ?? []).length).toBe(6);
    expect((dot.match(/->/g) ?? []).length).toBe(6 + 10); // one edge out of each op, one per input
    expect(dot).toContain('label="x\\n[] float32", style=filled');
  });
});
