// GradientTape behaviour: watching, persistence, nesting, structures, unconnected sources, errors.
import * as tg from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { expectTensor } from '../helpers';

afterEach(() => {
  // no test may leave a tape recording
  expect(activeRecorders.length).toBe(0);
});

describe('watching', () => {
  test('a trainable variable is watched as soon as an op reads it', () => {
    const x = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const y = x.mul(x); // d(x²) = 2x = 6
    expectTensor(tape.gradient(y, x), 6, []);
  });

  test('a constant needs watch(); without it the gradient is null', () => {
    const x = tg.scalar(3);
    {
      using tape = new tg.GradientTape();
      const y = x.mul(x);
      expect(tape.gradient(y, x)).toBeNull();
    }
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.gradient(x.mul(x), x), 6);
  });

  test('watch takes an array and a record', () => {
    const a = tg.scalar(2);
    const b = tg.scalar(5);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch({ a, rest: [b] });
    const y = a.mul(b); // dy/da = b = 5, dy/db = a = 2
    const g = tape.gradient(y, { a, b });
    expectTensor(g.a, 5);
    expectTensor(g.b, 2);
  });

  test('non-trainable variables and watchAccessedVariables: false are not watched', () => {
    const frozen = new tg.Variable(2, { trainable: false });
    const v = new tg.Variable(3);
    {
      using tape = new tg.GradientTape();
      expect(tape.gradient(frozen.mul(v), [frozen, v]).map((g) => g && g.item())).toEqual([null, 2]);
    }
    using tape = new tg.GradientTape({ watchAccessedVariables: false });
    tape.watch(frozen);
    const y = frozen.mul(v);
    const [gf, gv] = tape.gradient(y, [frozen, v]);
    expectTensor(gf, 3); // d(f v)/df = v
    expect(gv).toBeNull();
    expect(tape.watchedVariables()).toEqual([frozen]);
  });

  test('watchedVariables lists variables in creation order, not first-watched order', () => {
    // TF: "Returns variables watched by this tape in order of construction" (backprop.py)
    const a = new tg.Variable(1, { name: 'a' });
    const b = new tg.Variable(2, { name: 'b' });
    using tape = new tg.GradientTape();
    b.add(a).mul(b); // b is read first
    expect(tape.watchedVariables().map((v) => v.name)).toEqual(['a', 'b']);
  });

  test('watching a non-float tensor warns and is ignored, as TF (log_first_n WARNING)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const i = tg.tensor([1, 2], [2], 'int32');
      using tape = new tg.GradientTape();
      tape.watch(i);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(
        /^GradientTape\.watch: the dtype of the watched tensor must be floating .*got int32 \(shape \[2\]\).*cast/,
      );
      const y = tg.cast(i, 'float32').mul(2); // not recorded: i is not watched
      expect(tape.toString()).toBe('GradientTape(persistent=false, 0 ops)');
      expect(tape.gradient(y, i)).toBeNull();
    } finally {
      warn.mockRestore();
    }
  });

  test('only ops that touch a watched tensor are recorded', () => {
    const x = tg.tensor([1, 2]);
    const c = tg.tensor([2, 3]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    c.mul(c).add(c); // nothing watched: not recorded
    const y = x.mul(c);
    expect(tape.toString()).toBe('GradientTape(persistent=false, 1 op)\n  t1 = mul(x0, x1)   [2] float32');
    expectTensor(tape.gradient(y, x), [2, 3]); // d(x·c)/dx = c
  });
});

describe('gradient', () => {
  test('a list of targets means their sum (TF: 3x + x² at 5 gives 13)', () => {
    const x = new tg.Variable(5);
    using tape = new tg.GradientTape();
    const z1 = x.mul(3);
    const z2 = x.pow(2);
    expectTensor(tape.gradient([z1, z2], x), 13); // 3 + 2·5
  });

  test('a non-scalar target means the sum of its elements (TF guide: x·[3, 4] gives 7)', () => {
    const x = new tg.Variable(2);
    using tape = new tg.GradientTape();
    const y = x.mul([3, 4]);
    expectTensor(tape.gradient(y, x), 7);
  });

  test('outputGradients gives the upstream gradient', () => {
    const x = new tg.Variable([1, 2]);
    using tape = new tg.GradientTape();
    const y = x.mul(x);
    expectTensor(tape.gradient(y, x, { outputGradients: [10, 100] }), [20, 400]); // 2x·dy
  });

  test('the result mirrors the sources: tensor, array, record; shape and dtype of each source', () => {
    const w = new tg.Variable(tg.ones([3, 2], 'float64'));
    const b = new tg.Variable(tg.zeros([2]));
    const x = tg.tensor([[1, 2, 3]], undefined, 'float64');
    using tape = new tg.GradientTape({ persistent: true });
    const y = tg.matmul(x, w).add(tg.cast(b, 'float64'));
    const loss = tg.mean(y.square()); // y = [6, 6]; dl/dy = y = [6, 6]
    const [dw, db] = tape.gradient(loss, [w, b]);
    expect(dw!.shape).toEqual([3, 2]);
    expect(dw!.dtype).toBe('float64');
    expectTensor(dw, [6, 6, 12, 12, 18, 18]); // xᵀ·dy
    expect(db!.dtype).toBe('float32');
    expectTensor(db, [6, 6]);
    const rec = tape.gradient(loss, { w, b });
    expectTensor(rec.b, [6, 6]);
    expectTensor(tape.gradient(loss, b), [6, 6]);
  });

  test("unconnected sources get null, or zeros with unconnectedGradients: 'zero' (TF guide)", () => {
    const x = new tg.Variable([2, 2]);
    const y = new tg.Variable(3);
    using tape = new tg.GradientTape({ persistent: true });
    const z = y.pow(2);
    expect(tape.gradient(z, x)).toBeNull();
    expectTensor(tape.gradient(z, x, { unconnectedGradients: 'zero' }), [0, 0], [2]);
  });

  test('a second gradient() on a non-persistent tape throws the TF message', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const z = x.pow(2).add(y.pow(2)).add(1);
    expectTensor(tape.gradient(z, x), 4);
    expect(() => tape.gradient(z, y)).toThrow(
      new tg.TapeError('GradientTape.gradient can only be called once on non-persistent tapes.'),
    );
  });

  test('a persistent tape answers many times (TF docs: 108 then 6)', () => {
    const x = tg.scalar(3);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = x.mul(x);
    const z = y.mul(y);
    expectTensor(tape.gradient(z, x), 108); // 4x³
    expectTensor(tape.gradient(y, x), 6); // 2x
  });

  test('gradient of a source with respect to itself is ones', () => {
    const x = tg.tensor([1, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.gradient(x, x), [1, 1]);
  });

  test('a variable itself as the target (TF guide: result = v0)', () => {
    const v0 = new tg.Variable(2);
    const v1 = new tg.Variable(2);
    using tape = new tg.GradientTape();
    // v1 is watched but never read: TF's guide picks v0 by a Python condition
    const pick = (first: boolean) => (first ? v0 : v1.square());
    const result = pick(true);
    const [d0, d1] = tape.gradient(result, [v0, v1]);
    expectTensor(d0, 1);
    expect(d1).toBeNull();
  });

  test('a variable read twice with an assign between sums both reads, each at the value it had', () => {
    const v = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const a = v.square(); // d/dv at 3 = 6
    v.assign(5);
    const b = v.square(); // d/dv at 5 = 10
    v.assign(100); // after the forward pass: must not change anything
    expectTensor(tape.gradient(a.add(b), v), 16);
  });

  test('a refused gradient() call changes nothing: a valid variable target beside a bad one is not watched', () => {
    const v = new tg.Variable(2, { name: 'v' });
    using tape = new tg.GradientTape({ persistent: true });
    expect(() => tape.gradient([v, 'oops' as unknown as tg.Tensor], v)).toThrow(/target \[1\] is string/);
    expect(tape.watchedVariables()).toEqual([]);
  });

  test('gradient works after dispose', () => {
    const x = new tg.Variable(4);
    const tape = new tg.GradientTape();
    const y = x.sqrt();
    tape.dispose();
    const z = x.mul(1000); // not recorded
    expect(tape.toString()).toBe('GradientTape(persistent=false, 1 op)\n  t1 = sqrt(Variable)   [] float32');
    expectTensor(tape.gradient(y, x), 0.25); // 1 / (2·2)
    expect(z.item()).toBe(4000);
  });

  test('errors: non-tensor target, non-tensor source, non-float target or source', () => {
    const x = new tg.Variable(1);
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(2);
    expect(() => tape.gradient(5 as unknown as tg.Tensor, x)).toThrow(/target is number, not a Tensor/);
    expect(() => tape.gradient(y, 'x' as unknown as tg.Tensor)).toThrow(/source 0 is string, not a Tensor or Variable/);
    // as TF: a non-float target or source is no error, its gradients are null (zeros on request)
    expect(tape.gradient(tg.cast(y, 'int32'), x)).toBeNull();
    expect(tape.gradient(y, tg.tensor([1], [1], 'int32'))).toBeNull();
    const zero = tape.gradient(y, tg.tensor([1], [1], 'int32'), { unconnectedGradients: 'zero' });
    expectTensor(zero, [0], [1]);
    expect(zero?.dtype).toBe('int32');
    // one target tensor takes one gradient: [1, 2] is a tensor of shape [2], not a list
    expect(() => tape.gradient(y, x, { outputGradients: [1, 2] })).toThrow(
      /outputGradients has shape \[2\] but its target has shape \[\]/,
    );
  });
});

describe('the stack', () => {
  test('dispose removes the tape wherever it stands; out-of-order dispose keeps the others recording', () => {
    const x = new tg.Variable(2);
    const outer = new tg.GradientTape();
    const middle = new tg.GradientTape();
    const inner = new tg.GradientTape();
    middle.dispose();
    const y = x.mul(x).mul(x); // recorded by outer and inner only
    expect(activeRecorders.length).toBe(2);
    inner.dispose();
    outer.dispose();
    expectTensor(outer.gradient(y, x), 12); // 3x²
    expectTensor(inner.gradient(y, x), 12);
    expect(middle.gradient(y, x)).toBeNull();
  });

  test('an exception inside a using block never leaves the tape recording', () => {
    const x = new tg.Variable(1);
    expect(() => {
      using _tape = new tg.GradientTape();
      x.mul(2);
      throw new Error('boom');
    }).toThrow('boom');
    expect(activeRecorders.length).toBe(0);
  });

  test('a failed op leaves no record', () => {
    const x = new tg.Variable([1, 2]);
    using tape = new tg.GradientTape();
    expect(() => x.add([1, 2, 3])).toThrow(tg.ShapeError);
    const y = x.mul(3);
    expect(tape.toString()).toBe('GradientTape(persistent=false, 1 op)\n  t1 = mul(Variable, 3)   [2] float32');
    expectTensor(tape.gradient(y, x), [3, 3]);
  });

  test('an op run with no active tape is recorded nowhere: a tape started after it never sees it', () => {
    const x = new tg.Variable(1);
    const y = x.mul(2);
    using tape = new tg.GradientTape();
    expect(tape.toString()).toBe('GradientTape(persistent=false, 0 ops)');
    expect(tape.watchedVariables()).toEqual([]);
    expect(tape.gradient(y, x)).toBeNull();
  });
});

describe('stopRecording, reset', () => {
  test('stopRecording as a disposable (TF guide: dz/dx = 4, dz/dy = null)', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const xSq = x.mul(x);
    let ySq: tg.Tensor;
    {
      using _paused = tape.stopRecording();
      ySq = y.mul(y);
    }
    const z = xSq.add(ySq);
    const g = tape.gradient(z, { x, y });
    expectTensor(g.x, 4);
    expect(g.y).toBeNull();
  });

  test('stopRecording with a callback returns its result and resumes', () => {
    const x = new tg.Variable(2);
    using tape = new tg.GradientTape();
    const c = tape.stopRecording(() => x.mul(10)); // constant 20
    const y = x.mul(c).add(x.square()); // d/dx = 20 + 2x
    expectTensor(tape.gradient(y, x), 24);
  });

  test('reset forgets what was recorded (TF guide: dz/dx = null, dz/dy = 6)', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const xSq = x.mul(x);
    tape.reset();
    const ySq = y.mul(y);
    const g = tape.gradient(xSq.add(ySq), { x, y });
    expect(g.x).toBeNull();
    expectTensor(g.y, 6);
  });

  test('reset on a used non-persistent tape is an error, as TF ("Tape is not recording")', () => {
    // TF backprop.py: reset() pops the tape, and _pop_tape raises once gradient() has popped it
    const x = new tg.Variable(3);
    const tape = new tg.GradientTape();
    const y = x.mul(x);
    expectTensor(tape.gradient(y, x), 6);
    expect(() => tape.reset()).toThrow(/^GradientTape\.reset: Tape is not recording/);
    expect(() => tape.gradient(y, x)).toThrow('GradientTape.gradient can only be called once on non-persistent tapes.');
  });
});

describe('higher order', () => {
  test('nested tapes (TF docs: x = 5 gives 10 then 2)', () => {
    const x = tg.scalar(5);
    using outer = new tg.GradientTape();
    outer.watch(x);
    let dydx: tg.Tensor | null;
    {
      using inner = new tg.GradientTape();
      inner.watch(x);
      const y = x.mul(x);
      dydx = inner.gradient(y, x);
    }
    expectTensor(dydx, 10);
    expectTensor(outer.gradient(dydx!, x), 2);
  });

  test('third derivative of x⁴ at 2 is 24x = 48 by three nested tapes', () => {
    const x = new tg.Variable(2);
    using t3 = new tg.GradientTape();
    using t2 = new tg.GradientTape();
    using t1 = new tg.GradientTape();
    const y = x.pow(4);
    const d1 = t1.gradient(y, x)!; // 4x³ = 32
    const d2 = t2.gradient(d1, x)!; // 12x² = 48
    const d3 = t3.gradient(d2, x)!; // 24x = 48
    expect([d1.item(), d2.item(), d3.item()]).toEqual([32, 48, 48]);
  });

  test('Hessian of a matrix function by jacobian of a gradient matches the closed form', () => {
    // f(x) = xᵀ A x with A symmetric: H = 2A
    const A = tg.tensor(
      [
        [2, 1],
        [1, 3],
      ],
      undefined,
      'float64',
    );
    const x = tg.tensor([0.5, -1], undefined, 'float64');
    using outer = new tg.GradientTape();
    outer.watch(x);
    let g: tg.Tensor;
    {
      using inner = new tg.GradientTape();
      inner.watch(x);
      const f = tg.dot(x, tg.dot(A, x));
      g = inner.gradient(f, x)!;
    }
    expectTensor(outer.jacobian(g, x), [4, 2, 2, 6], [2, 2]);
  });
});

describe('jacobian and batchJacobian', () => {
  test('jacobian of x² is diag(2x); shape is target shape + source shape', () => {
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = x.square();
    const j = tape.jacobian(y, x)!;
    expect(j.shape).toEqual([2, 2, 2, 2]);
    const expected = new Array(16).fill(0);
    [2, 4, 6, 8].forEach((v, i) => (expected[i * 4 + i] = v));
    expectTensor(j, expected);
  });

  test('jacobian of a sigmoid with respect to a scalar variable (TF guide shape [201])', () => {
    const x = tg.linspace(-10, 10, 201);
    const delta = new tg.Variable(0);
    using tape = new tg.GradientTape();
    const y = tg.sigmoid(x.add(delta));
    const j = tape.jacobian(y, delta)!;
    expect(j.shape).toEqual([201]);
    expectTensor(tg.slice(j, [100], [1]), 0.25); // σ'(0) = 1/4
  });

  test('jacobian with respect to several sources and unconnected ones', () => {
    const a = new tg.Variable([1, 2]);
    const b = new tg.Variable(3);
    const c = new tg.Variable(0);
    using tape = new tg.GradientTape();
    const y = a.mul(b); // [3, 6]
    const [ja, jb, jc] = tape.jacobian(y, [a, b, c]);
    expectTensor(ja, [3, 0, 0, 3], [2, 2]);
    expectTensor(jb, [1, 2], [2]);
    expect(jc).toBeNull();
  });

  test('batchJacobian gives the per-example Jacobian', () => {
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = tg.tensor([
      [1, 0, 2],
      [0, 1, 1],
    ]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.matmul(x.square(), w); // y[b, j] = Σ_i x[b,i]² w[i,j]
    const j = tape.batchJacobian(y, x)!;
    expect(j.shape).toEqual([2, 3, 2]);
    // d y[b,j] / d x[b,i] = 2 x[b,i] w[i,j]
    expectTensor(j, [2, 0, 0, 4, 4, 4, 6, 0, 0, 8, 12, 8]);
  });

  test('batchJacobian refuses mismatched batch sizes', () => {
    const x = tg.ones([2, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expect(() => tape.batchJacobian(tg.ones([3, 2]).mul(1), x)).toThrow(/same leading batch dimension/);
  });
});

describe('policies', () => {
  const gradOf = (f: (x: tg.Tensor) => tg.Tensor, values: number[]) => {
    const x = tg.tensor(values);
    using tape = new tg.GradientTape();
    tape.watch(x);
    return Array.from(tape.gradient(f(x), x)!.dataSync());
  };

  test("relu'(0) = 0 and abs'(0) = 0, as TF", () => {
    expect(gradOf(tg.relu, [-1, 0, 2])).toEqual([0, 0, 1]);
    expect(gradOf(tg.abs, [-1, 0, 2])).toEqual([-1, 0, 1]);
  });

  test('max and min reductions split the gradient evenly among ties (TF: [0.5, 0.5, 0])', () => {
    expect(gradOf((x) => tg.max(x), [0.6, 0.6, 0.3])).toEqual([0.5, 0.5, 0]);
    expect(gradOf((x) => tg.min(x), [0.3, 0.6, 0.3])).toEqual([0.5, 0, 0.5]);
  });

  test('maximum and minimum give a tie to the first argument, as TF', () => {
    const a = tg.tensor([1, 2]);
    const b = tg.tensor([1, 1]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch([a, b]);
    expect(tape.gradient(tg.maximum(a, b), [a, b]).map((g) => Array.from(g!.dataSync()))).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(tape.gradient(tg.minimum(a, b), [a, b]).map((g) => Array.from(g!.dataSync()))).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  test('where passes no gradient to the branch not taken', () => {
    expect(gradOf((x) => tg.where(tg.greater(x, 0), x.mul(2), x.mul(3)), [-1, 1])).toEqual([3, 2]);
  });

  test('as in TF, a NaN from the untaken branch rule survives; the double-where pattern avoids it', () => {
    // log'(0) = 1/0, and 0 · inf = NaN: TF's _LogGrad (grad * reciprocal(x)) gives NaN here too
    expect(gradOf((x) => tg.where(tg.greater(x, 0), tg.log(x), tg.zerosLike(x)), [0, 4])[0]).toBeNaN();
    const safe = (x: tg.Tensor) => {
      const pos = tg.greater(x, 0);
      return tg.where(pos, tg.log(tg.where(pos, x, tg.onesLike(x))), tg.zerosLike(x));
    };
    expect(gradOf(safe, [0, 4])).toEqual([0, 0.25]); // 1/4
  });

  test('prod is exact with zeros: one zero gives the product of the rest there', () => {
    expect(gradOf((x) => tg.prod(x), [2, 0, 3])).toEqual([0, 6, 0]);
    expect(gradOf((x) => tg.prod(x), [0, 0, 3])).toEqual([0, 0, 0]);
    expect(gradOf((x) => tg.prod(x), [2, 4, 3])).toEqual([12, 6, 8]);
  });

  test('integer and bool inputs get no gradient: only the float operands do', () => {
    const i = tg.tensor([1, 2], [2], 'int32');
    const b = tg.tensor([true, false]);
    const x = new tg.Variable([1, 2]);
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(tg.cast(i, 'float32'));
    expectTensor(tape.gradient(y, x), [1, 2]); // d(x·i)/dx = i
    // where's bool condition, as an input of a recorded op, gets no gradient; x gets 3 where b picks 3x, 1 elsewhere
    const z = tg.where(b, x.mul(3), x);
    expectTensor(tape.gradient(z, x), [3, 1]);
    // as TF, an int or bool source gets null (imperative_grad gives it no gradient)
    expect(tape.gradient(y, i)).toBeNull();
    expect(tape.gradient(z, b)).toBeNull();
  });
});

describe('customGradient and stopGradient', () => {
  test('a custom gradient replaces the computed one (clip each gradient element to [-1, 1])', () => {
    const clipGrad = tg.customGradient((x) => ({ value: tg.identity(x), grad: (dy) => tg.clipByValue(dy, -1, 1) }));
    const x = new tg.Variable([1, 2]);
    using tape = new tg.GradientTape();
    const y = clipGrad(x).mul(10);
    expectTensor(tape.gradient(y, x), [1, 1]);
  });

  test('the custom gradient is differentiable by an outer tape', () => {
    // value x³ with the rule x²·dy, on purpose not x³'s own 3x²·dy, so the numbers show which rule
    // ran: at x = 3 the inner tape gives x² = 9 (3x² would be 27), the outer d(x²)/dx = 2x = 6 (6x: 18)
    const cube = tg.customGradient((x) => ({ value: x.pow(3), grad: (dy) => dy.mul(x.square()) }));
    const x = tg.scalar(3);
    using outer = new tg.GradientTape();
    outer.watch(x);
    let g: tg.Tensor;
    {
      using inner = new tg.GradientTape();
      inner.watch(x);
      g = inner.gradient(cube(x), x)!;
    }
    expectTensor(g, 9);
    expectTensor(outer.gradient(g, x), 6);
  });

  test('stopGradient blocks the flow', () => {
    const x = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const y = x.mul(tg.stopGradient(x)); // d/dx = 3, not 6
    expectTensor(tape.gradient(y, x), 3);
  });

  test('a wrong custom gradient shape is caught at its place', () => {
    const bad = tg.customGradient((x) => ({ value: x.mul(2), grad: () => tg.ones([3]) }));
    const x = new tg.Variable([1, 2]);
    using tape = new tg.GradientTape();
    expect(() => tape.gradient(bad(x), x)).toThrow(/gradient 0 has shape \[3\], expected the input's shape \[2\]/);
  });
});
