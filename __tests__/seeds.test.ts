// The worked examples of the user's notebooks (shared/seeds), with the numbers they print.
import * as tg from '../src';
import { expectTensor } from './helpers';

const f = (x: tg.Tensor | tg.Variable, y: tg.Tensor | tg.Variable) => x.mul(x).mul(y).add(y).add(2); // x²y + y + 2

describe('seed 000: x²y + y + 2 at (3, 4)', () => {
  test('the value is 42', () => {
    expect(f(tg.scalar(3), tg.scalar(4)).item()).toBe(42); // 9·4 + 4 + 2
  });

  test('forward differences with interval 1e-4 print [24.000400000048216, 10.000000000047748]', () => {
    const [dx, dy] = tg.numericGradient(
      f,
      [3, 4].map((v) => tg.scalar(v, 'float64')),
      { eps: 1e-4, method: 'forward' },
    );
    expect(dx.item()).toBeCloseTo(24.000400000048216, 9);
    expect(dy.item()).toBeCloseTo(10.000000000047748, 9);
  });

  test('the tape gives the exact gradient [24, 10]', () => {
    const x = new tg.Variable(3);
    const y = new tg.Variable(4);
    using tape = new tg.GradientTape();
    const z = f(x, y);
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(String(dx)).toBe('Tensor(24, shape=[], dtype=float32)');
    expect(String(dy)).toBe('Tensor(10, shape=[], dtype=float32)');
  });

  test('a persistent tape that calls gradient() inside its block gives the Hessian [[8, 6], [6, null]]', () => {
    const x = new tg.Variable(3);
    const y = new tg.Variable(4);
    using tape = new tg.GradientTape({ persistent: true });
    const z = f(x, y);
    const [dfdx, dfdy] = tape.gradient(z, [x, y]);
    const hessian = [tape.gradient(dfdx!, [x, y]), tape.gradient(dfdy!, [x, y])].map((row) =>
      row.map((g) => (g === null ? null : g.item())),
    );
    expect(hessian).toEqual([
      [8, 6],
      [6, null],
    ]); // [[2y, 2x], [2x, none]]
  });
});

describe('seed 001: TensorFlow tape examples', () => {
  const g = (x: tg.Variable | tg.Tensor, y: tg.Variable | tg.Tensor) => x.pow(2).add(y.pow(2)).add(1);

  test('a non-persistent tape refuses a second gradient with the TF message', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    using tape = new tg.GradientTape();
    const z = g(x, y);
    expect(String(tape.gradient(z, x))).toBe('Tensor(4, shape=[], dtype=float32)');
    expect(() => tape.gradient(z, y)).toThrow('GradientTape.gradient can only be called once on non-persistent tapes.');
  });

  test('persistent tape: dz/dy = 6, dz/dx = 4; both at once; constants after watch', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    {
      using tape = new tg.GradientTape({ persistent: true });
      const z = g(x, y);
      expectTensor(tape.gradient(z, y), 6);
      expectTensor(tape.gradient(z, x), 4);
      expect(tape.gradient(z, [x, y]).map((t) => t!.item())).toEqual([4, 6]);
    }
    const cx = tg.scalar(2);
    const cy = tg.scalar(3);
    using tape = new tg.GradientTape();
    tape.watch(cx);
    tape.watch(cy);
    expect(tape.gradient(g(cx, cy), [cx, cy]).map((t) => t!.item())).toEqual([4, 6]);
  });

  test('one variable, two targets: 3x and x² at 5 give 13', () => {
    const x = new tg.Variable(5);
    using tape = new tg.GradientTape();
    expectTensor(tape.gradient([x.mul(3), x.pow(2)], x), 13);
  });

  test('nested persistent tapes: [32, 6] then [[48, null], [null, 2]] for x⁴ + y² + 1 at (2, 3)', () => {
    const x = new tg.Variable(2);
    const y = new tg.Variable(3);
    using outer = new tg.GradientTape({ persistent: true });
    let inner: (tg.Tensor | null)[];
    {
      using innerTape = new tg.GradientTape({ persistent: true });
      const z = x.pow(4).add(y.pow(2)).add(1);
      inner = innerTape.gradient(z, [x, y]);
    }
    expect(inner.map((t) => t!.item())).toEqual([32, 6]); // 4x³, 2y
    const second = inner.map((gi) => outer.gradient(gi!, [x, y]).map((t) => (t === null ? null : t.item())));
    expect(second).toEqual([
      [48, null],
      [null, 2],
    ]); // 12x², 2
  });

  test('gradient descent on x² + 2x + 1 from 0, rate 0.1, 100 steps, by hand with assignSub: -0.9999999', () => {
    const x = new tg.Variable(0);
    for (let step = 0; step < 100; step++) {
      using tape = new tg.GradientTape();
      const z = x.pow(2).add(x.mul(2)).add(1);
      const dzdx = tape.gradient(z, x)!;
      x.assignSub(dzdx.mul(0.1));
    }
    expect(x.value().item()).toBe(Math.fround(-0.9999999));
    expect(String(x)).toBe("Variable('Variable', shape=[], dtype=float32, value=-0.9999999)");
  });
});

describe('seed 002: the recorded lines of log(x) + x·y - sin(y) at (2, 5)', () => {
  test('value 11.652071455223084, gradient [5.5, 1.7163378145367738]', () => {
    const x = tg.scalar(2, 'float64');
    const y = tg.scalar(5, 'float64');
    using tape = new tg.GradientTape();
    tape.watch([x, y]);
    const z = tg.log(x).add(x.mul(y)).sub(tg.sin(y));
    expect(z.item()).toBeCloseTo(11.652071455223084, 14);
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(dx!.item()).toBeCloseTo(5.5, 14); // 1/x + y
    expect(dy!.item()).toBeCloseTo(1.7163378145367738, 14); // x - cos(y)
  });

  test('log(x) + x·y + sin(y) at (2, 5): 9.734222905896807 and d/dx = 5.5', () => {
    const x = tg.scalar(2, 'float64');
    const y = tg.scalar(5, 'float64');
    using tape = new tg.GradientTape();
    tape.watch(x);
    const z = tg.log(x).add(x.mul(y)).add(tg.sin(y));
    expect(z.item()).toBeCloseTo(9.734222905896807, 14);
    expectTensor(tape.gradient(z, x), 5.5);
  });
});

describe('seed 003: derivatives of x² at 1, and y/x - x + y at (2, 3)', () => {
  test('central differences give 2, the tape gives exactly 2, second derivative 2', () => {
    const sq = (x: tg.Tensor) => x.square();
    expect(tg.numericGradient(sq, [tg.scalar(1, 'float64')], { eps: 1e-5 })[0].item()).toBeCloseTo(2, 9);
    const x = tg.scalar(1);
    using outer = new tg.GradientTape();
    outer.watch(x);
    let d1: tg.Tensor;
    {
      using inner = new tg.GradientTape();
      inner.watch(x);
      d1 = inner.gradient(sq(x), x)!;
    }
    expect(d1.item()).toBe(2);
    expect(outer.gradient(d1, x)!.item()).toBe(2);
  });

  test('y/x - x + y at (2, 3): -1.75 and 1.5', () => {
    const x = tg.scalar(2);
    const y = tg.scalar(3);
    using tape = new tg.GradientTape();
    tape.watch([x, y]);
    const z = y.div(x).sub(x).add(y);
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(dx!.item()).toBe(-1.75); // -y/x² - 1
    expect(dy!.item()).toBe(1.5); // 1/x + 1
  });
});

describe('seed 004: x² at 3', () => {
  test('variable: 6; constant with watch: 6; nested: 6 and 2; persistent: dy/dx 6, dz/dx 108', () => {
    const v = new tg.Variable(3);
    {
      using g = new tg.GradientTape();
      expect(g.gradient(v.mul(v), v)!.item()).toBe(6);
    }
    const c = tg.scalar(3);
    {
      using g = new tg.GradientTape();
      g.watch(c);
      expect(g.gradient(c.mul(c), c)!.item()).toBe(6);
    }
    using g = new tg.GradientTape({ persistent: true });
    const y = v.mul(v);
    const z = y.mul(y);
    expect(g.gradient(z, v)!.item()).toBe(108); // 4x³
    expect(g.gradient(y, v)!.item()).toBe(6);
  });
});
