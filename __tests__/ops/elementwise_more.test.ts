// Values, gradients (as TF's registered gradients give them), edge values and bad inputs of the elementwise
// additions: asinh acosh atanh mod divNoNan xlogy logSigmoid softsign silu erfc lgamma digamma isInf logicalXor.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { expectTensor, flat } from '../helpers';
import { acosh, asinh, atanh, digamma, erfc, isInf, lgamma, polygamma } from '../../src/ops/prims/unary';
import { divNoNan, logicalXor, mod, xdivy, xlogy } from '../../src/ops/prims/binary';
import { logSigmoid, silu, softsign } from '../../src/ops/composite/activations';
import { activeRecorders } from '../../src/core/recording';

const f64 = (v: number[], shape?: number[]) => tg.tensor(v, shape ?? [v.length], 'float64');
const i32 = (v: number[]) => tg.tensor(v, [v.length], 'int32');

/** The gradients of sum(f(...xs)) with respect to every input. */
function grads(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): Tensor[] {
  using tape = new tg.GradientTape();
  xs.forEach((x) => tape.watch(x));
  return tape.gradient(tg.sum(f(...xs)), xs) as Tensor[];
}

/** Asserts each value is within `ulps` units in the last place (float64) of the expected one. */
function expectUlps(t: Tensor, want: number[], ulps = 4): void {
  const got = flat(t);
  want.forEach((w, i) => {
    if (!Number.isFinite(w) || w === 0) return void expect(got[i]).toBe(w);
    const err = Math.abs(got[i] - w) / (Math.abs(w) * Number.EPSILON);
    if (!(err <= ulps)) throw new Error(`element ${i}: got ${got[i]}, expected ${w} (${err.toFixed(1)} ulps)`);
  });
}

describe('asinh, acosh, atanh', () => {
  test('values: asinh(1) = ln(1 + √2), acosh(2) = ln(2 + √3), atanh(0.5) = ln(3)/2', () => {
    expectUlps(asinh(f64([0, 1, -1])), [0, 0.881373587019543, -0.881373587019543]);
    expectUlps(acosh(f64([1, 2])), [0, 1.3169578969248168]);
    expectUlps(atanh(f64([0, 0.5])), [0, 0.5493061443340549]);
  });

  test('outside the domain: acosh(0.5) and atanh(2) are NaN, atanh(±1) is ±Infinity', () => {
    expectTensor(acosh([0.5]), [NaN]);
    expectTensor(atanh([2, 1, -1]), [NaN, Infinity, -Infinity]);
  });

  test('gradients as TF: 1/cosh(y), 1/sinh(y), 1/(1 - x²)', () => {
    expectTensor(grads(asinh, f64([1]))[0], [Math.SQRT1_2], [1], 1e-15); // 1/cosh(asinh 1) = 1/√2
    expectTensor(grads(acosh, f64([2]))[0], [1 / Math.sqrt(3)], [1], 1e-15); // 1/sinh(acosh 2) = 1/√3
    expectTensor(grads(atanh, f64([0.5]))[0], [4 / 3], [1], 1e-15); // 1/(1 - 0.25)
    expectTensor(grads(acosh, f64([1]))[0], [Infinity]); // 1/sinh(0)
  });

  test('float32 in, float32 out; int32 refused with the op name', () => {
    expect(asinh([1]).dtype).toBe('float32');
    expect(() => asinh(i32([1]))).toThrow(tg.DTypeError);
    expect(() => acosh(i32([1]))).toThrow(/^acosh: /);
    expect(() => atanh(i32([1]))).toThrow(/^atanh: /);
  });
});

describe('mod (floor-mod, the sign of b, as TF floormod)', () => {
  test("TF's example: [5, -5, 5, -5] mod [3, 3, -3, -3] = [2, 1, -1, -2], int32 and float", () => {
    const want = [2, 1, -1, -2]; // 5 - 1·3, -5 - (-2)·3, 5 - (-2)·(-3), -5 - 1·(-3)
    const a = mod(i32([5, -5, 5, -5]), i32([3, 3, -3, -3]));
    expect(a.dtype).toBe('int32');
    expect(flat(a)).toEqual(want);
    expectTensor(mod([5, -5, 5, -5], [3, 3, -3, -3]), want);
    expectTensor(mod(f64([5.5, -0.5]), 2), [1.5, 1.5], [2], 1e-15); // 5.5 - 2·2, -0.5 - (-1)·2
  });

  test('float edge values: a zero divisor gives NaN; infinite divisors as C fmod then the sign fix', () => {
    expectTensor(mod(f64([1, 5, -5]), f64([0, Infinity, Infinity])), [NaN, 5, Infinity]);
    expectTensor(mod(f64([Infinity]), f64([2])), [NaN]);
  });

  test('an int32 zero divisor raises, as TF, naming mod', () => {
    expect(() => mod(i32([1, 2]), i32([1, 0]))).toThrow(tg.ArgumentError);
    expect(() => mod(i32([1, 2]), i32([1, 0]))).toThrow(/^mod: integer division by zero/);
  });

  test('broadcasting, empty and rank 0', () => {
    expectTensor(mod(f64([7, 8, 9, 10], [2, 2]), f64([4, 3])), [3, 2, 1, 1], [2, 2]); // 7%4, 8%3, 9%4, 10%3
    expectTensor(mod(tg.zeros([0, 3]), [1, 2, 3]), [], [0, 3]);
    expectTensor(mod(tg.scalar(-1), tg.scalar(3)), [2], []);
    expect(() => mod([1, 2], [1, 2, 3])).toThrow(tg.ShapeError);
    expect(() => mod([1, 2], [1, 2, 3])).toThrow(/^mod: /);
    expect(() => mod([true], [true])).toThrow(/^mod: /);
  });

  test("gradient as TF's _FloorModGrad: (1, -floor(a / b)), summed over broadcasting", () => {
    const [da, db] = grads(mod, f64([5.5, 7.5, -1]), f64([2]));
    expectTensor(da, [1, 1, 1], [3], 0);
    expectTensor(db, [-(2 + 3 - 1)], [1], 0); // -(floor(2.75) + floor(3.75) + floor(-0.5))
  });
});

describe('divNoNan', () => {
  test('a / b, and 0 where b is 0 whatever a is (NaN and Infinity too)', () => {
    expectTensor(divNoNan(f64([3, 3, NaN, Infinity, -2]), f64([2, 0, 0, 0, -0])), [1.5, 0, 0, 0, 0], [5], 0);
    expectTensor(divNoNan([[1], [2]], [0, 4]), [0, 0.25, 0, 0.5], [2, 2]);
  });

  test("gradient as TF's _DivNoNanGrad: (1/b, -a/b²), 0 where b is 0", () => {
    const [da, db] = grads(divNoNan, f64([3, 3]), f64([2, 0]));
    expectTensor(da, [0.5, 0], [2], 0);
    expectTensor(db, [-0.75, 0], [2], 0); // -3/4, and 0 at b = 0
  });

  test('floats only (TF has no int kernel); bad shapes named', () => {
    expect(() => divNoNan(i32([1]), i32([1]))).toThrow(tg.DTypeError);
    expect(() => divNoNan(i32([1]), i32([1]))).toThrow(/^divNoNan: /);
    expect(() => divNoNan([1, 2], [1, 2, 3])).toThrow(/^divNoNan: /);
  });
});

describe('xlogy', () => {
  test('x·ln(y), and 0 where x is 0 (y = 0 and NaN too)', () => {
    expectTensor(xlogy(f64([0, 0, 2, 3, 1]), f64([0, NaN, Math.E, 1, 0])), [0, 0, 2, 0, -Infinity], [5], 1e-15);
  });

  test("gradient as TF's _XLogyGrad: (xlogy(x ≠ 0, y), xdivy(x, y)), 0 where x is 0", () => {
    const [dx, dy] = grads(xlogy, f64([0, 2]), f64([0, 4]));
    expectTensor(dx, [0, Math.log(4)], [2], 1e-15);
    expectTensor(dy, [0, 0.5], [2], 1e-15); // 2/4
  });

  test('the second derivative through xdivy: d²/dy² xlogy(x, y) = -x/y², 0 where x is 0', () => {
    const x = f64([0, 2]);
    const y = f64([1, 4]);
    using outer = new tg.GradientTape();
    outer.watch(y);
    let g: Tensor;
    {
      using inner = new tg.GradientTape();
      inner.watch(y);
      g = inner.gradient(tg.sum(xlogy(x, y)), y) as Tensor;
    }
    expectTensor(outer.gradient(tg.sum(g), y), [0, -2 / 16], [2], 1e-15);
    expectTensor(xdivy(f64([0, 3]), f64([0, 2])), [0, 1.5], [2], 0);
  });

  test('floats only', () => {
    expect(() => xlogy(i32([1]), i32([1]))).toThrow(/^xlogy: /);
  });
});

describe('logSigmoid, softsign, silu', () => {
  test('logSigmoid is finite at ±1000, with gradient sigmoid(-x)', () => {
    expectTensor(logSigmoid(f64([-1000, 0, 1000])), [-1000, -Math.LN2, 0], [3], 1e-15);
    expectTensor(logSigmoid([-1000, 1000]), [-1000, 0]); // float32 too
    expectTensor(grads(logSigmoid, f64([-1000, 0, 1000]))[0], [1, 0.5, 0], [3], 1e-15);
  });

  test('softsign x/(1 + |x|), gradient 1/(1 + |x|)² (1 at 0, as TF)', () => {
    expectTensor(softsign(f64([-3, 0, 1])), [-0.75, 0, 0.5], [3], 0);
    expectTensor(grads(softsign, f64([-3, 0, 1]))[0], [1 / 16, 1, 1 / 4], [3], 1e-15);
  });

  test('silu x·sigmoid(x), finite at ±1000; gradient s·(1 + x(1 - s))', () => {
    const s1 = 1 / (1 + Math.exp(-1));
    expectTensor(silu(f64([0, 1, -1000, 1000])), [0, s1, 0, 1000], [4], 1e-15);
    expectTensor(grads(silu, f64([0, 1]))[0], [0.5, s1 * (1 + (1 - s1))], [2], 1e-15);
  });

  test('float only, errors named', () => {
    expect(() => logSigmoid(i32([1]))).toThrow(/^logSigmoid: /);
    expect(() => softsign(i32([1]))).toThrow(/^softsign: /);
    expect(() => silu(i32([1]))).toThrow(/^silu: /);
    expect(() => silu('abc' as unknown as number)).toThrow(/^silu: /);
  });
});

describe('erfc', () => {
  test('accurate in the tail, not 1 - erf: erfc(5), erfc(10), erfc(26) to a few ulp', () => {
    // references from 40-digit arithmetic
    expectUlps(
      erfc(f64([-1, 0, 0.5, 1, 2, 5, 10, 26])),
      [
        1.8427007929497148, 1, 0.4795001221869535, 0.15729920705028513, 0.004677734981047266, 1.537459794428035e-12,
        2.088487583762545e-45, 5.663192408856143e-296,
      ],
      3,
    );
  });

  test('limits: erfc(30) = 0, erfc(-30) = 2, ±Infinity, NaN; float32', () => {
    expectTensor(erfc(f64([30, -30, Infinity, -Infinity, NaN])), [0, 2, 0, 2, NaN]);
    const y = erfc([5]);
    expect(y.dtype).toBe('float32');
    expect(flat(y)[0]).toBe(Math.fround(1.537459794428035e-12));
  });

  test('gradient as TF: -2/√π·exp(-x²)', () => {
    expectTensor(
      grads(erfc, f64([0, 1]))[0],
      [-2 / Math.sqrt(Math.PI), (-2 / Math.sqrt(Math.PI)) * Math.exp(-1)],
      [2],
      1e-15,
    );
  });
});

describe('lgamma, digamma and their derivatives', () => {
  test('lgamma: ln √π at 0.5, ln 2 at 3, ln 9! at 10, and the roots 1 and 2 exact', () => {
    expectUlps(
      lgamma(f64([0.5, 3, 10, 100, 2.5, 1.5, 1, 2])),
      [
        0.5723649429247001, 0.6931471805599453, 12.801827480081469, 359.1342053695754, 0.2846828704729192,
        -0.12078223763524522, 0, 0,
      ],
    );
    // relative accuracy next to the root 1: lgamma(1 + ε) ≈ -γε
    expectUlps(lgamma(f64([1 + 1e-8])), [-5.772156531688512e-9]);
  });

  test('lgamma for negative x by reflection; +Infinity at the poles and at ±Infinity, as C lgamma', () => {
    expectUlps(lgamma(f64([-0.5])), [1.2655121234846454]); // ln |Γ(-0.5)| = ln(2√π)
    expectTensor(lgamma(f64([0, -1, -2, Infinity, -Infinity, NaN])), [
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      NaN,
    ]);
  });

  test('digamma: -γ at 1, -γ - 2 ln 2 at 0.5, near its root, by reflection; NaN at the poles, as TF', () => {
    expectUlps(
      digamma(f64([1, 0.5, 2, -0.5, 10, 1e-8, -1.7])),
      [
        -0.5772156649015329, -1.9635100260214235, 0.42278433509846713, 0.03648997397857652, 2.251752589066721,
        -100000000.57721564, -1.4857174995110567,
      ],
    );
    // ψ at the float64 nearest its positive root is -9.24e-17: kept to within 5e-18 (relative accuracy at the root)
    expect(flat(digamma(f64([1.4616321449683622])))[0]).toBeCloseTo(-9.241265521729427e-17, 17);
    expectTensor(digamma(f64([0, -1, -Infinity, NaN, Infinity])), [NaN, NaN, NaN, NaN, Infinity]);
  });

  test('derivatives as TF: lgamma′ = ψ, ψ′ = ψ⁽¹⁾, and on to ψ⁽³⁾ (π²/6, -2ζ(3), π⁴/15 at 1)', () => {
    const x = f64([1]);
    expectTensor(grads(lgamma, x)[0], [-0.5772156649015329], [1], 1e-15);
    expectTensor(grads(digamma, x)[0], [Math.PI ** 2 / 6], [1], 1e-15);
    // third and fourth derivatives of lgamma by nested tapes
    using t3 = new tg.GradientTape();
    t3.watch(x);
    let d2: Tensor;
    {
      using t2 = new tg.GradientTape();
      t2.watch(x);
      let d1: Tensor;
      {
        using t1 = new tg.GradientTape();
        t1.watch(x);
        d1 = t1.gradient(tg.sum(digamma(x)), x) as Tensor;
      }
      d2 = t2.gradient(tg.sum(d1), x) as Tensor;
    }
    expectTensor(d2, [-2.4041138063191885], [1], 1e-14);
    expectTensor(t3.gradient(tg.sum(d2), x), [Math.PI ** 4 / 15], [1], 1e-14);
  });

  test('polygamma (internal) by reflection for negative x, and its poles', () => {
    expectUlps(polygamma(1, f64([-1.7])), [14.632201633884014], 8);
    expectUlps(polygamma(2, f64([-1.7])), [-69.0345495501142], 8);
    expectTensor(polygamma(1, f64([0, -2])), [Infinity, Infinity]);
    expectTensor(polygamma(2, f64([0, Infinity])), [-Infinity, 0]);
  });

  test('float32, empty and rank 0; int32 refused with the name', () => {
    expectTensor(lgamma([0.5]), [0.5723649]);
    expectTensor(lgamma(tg.zeros([0, 2])), [], [0, 2]);
    expectTensor(digamma(tg.scalar(1, 'float64')), [-0.5772156649015329], [], 1e-15);
    expect(() => lgamma(i32([1]))).toThrow(/^lgamma: /);
    expect(() => digamma(i32([1]))).toThrow(/^digamma: /);
    expect(() => erfc(i32([1]))).toThrow(/^erfc: /);
  });
});

describe('isInf and logicalXor', () => {
  test('isInf: only ±Infinity; no gradient', () => {
    expect(isInf([Infinity, -Infinity, NaN, 1, 0]).arraySync()).toEqual([true, true, false, false, false]);
    expect(isInf(i32([1, 2])).arraySync()).toEqual([false, false]);
    expect(isInf(tg.zeros([0])).shape).toEqual([0]);
    expect(() => isInf(tg.tensor([true]))).toThrow(/^isInf: /);
  });

  test('logicalXor with broadcasting; bool only', () => {
    expect(logicalXor([true, true, false, false], [true, false, true, false]).arraySync()).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(logicalXor([[true], [false]], [true, false]).arraySync()).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(() => logicalXor([1], [true])).toThrow(tg.DTypeError);
    expect(() => logicalXor([true], [1])).toThrow(/^logicalXor: /);
    expect(() => logicalXor([true, false], [true, false, true])).toThrow(/^logicalXor: /);
  });
});

describe('a refused call leaves nothing on a tape', () => {
  test('mixed dtypes with a zero int32 divisor, or a bad shape, record nothing', () => {
    const x = f64([1, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expect(() => divNoNan(x, f64([1, 2, 3]))).toThrow(/^divNoNan: /);
    expect(() => xlogy(x, tg.tensor([1, 2, 3]))).toThrow(/^xlogy: /);
    expect(() => mod(i32([1]), i32([0]))).toThrow(/^mod: /);
    expect(tape.toString().split('\n')[0]).toBe('GradientTape(persistent=false, 0 ops)');
  });

  afterAll(() => expect(activeRecorders.length).toBe(0));
});
