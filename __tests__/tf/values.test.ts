// Values pinned to TensorFlow's (issue 11, "Values that differ from TensorFlow"): relu of NaN, C's
// pow at ±1, true and floor division of int32, int32 mean and pow, cast to int32, softmax with
// infinities, and prod's derivatives. Each test names the TF source or documented behaviour it follows.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { expectTensor, flat } from '../helpers';

const f64 = (v: number[], shape?: number[]) => tg.tensor(v, shape, 'float64');
const i32 = (v: number[], shape?: number[]) => tg.tensor(v, shape, 'int32');

/** The gradient of sum(f(x)) at x, on a tape. */
function gradOf(f: (x: Tensor) => Tensor, x: Tensor): Tensor | null {
  using tape = new tg.GradientTape();
  tape.watch(x);
  return tape.gradient(tg.sum(f(x)), x) as Tensor | null;
}

/** The error a call throws. */
function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('relu and relu6 keep NaN', () => {
  // TF: relu_op_functor.h, Relu = features.cwiseMax<Eigen::PropagateNaN>(0), and Relu6 the same then
  // cwiseMin<PropagateNaN>(6): a NaN input gives NaN
  test('values', () => {
    expectTensor(tg.relu([NaN, -1, 0, 2]), [NaN, 0, 0, 2]);
    expectTensor(tg.relu6([NaN, -1, 3, 9]), [NaN, 0, 3, 6]);
    expectTensor(tg.relu(f64([NaN, -3])), [NaN, 0]);
    // -0 is not above 0: relu(-0) is +0, as max(-0, 0) with the 0 taken
    expect(Object.is(flat(tg.relu([-0]))[0], 0)).toBe(true);
  });

  test('the gradient at NaN is 0, a NaN upstream gradient stays NaN', () => {
    // TF: ReluGrad = gradients * (features > 0); NaN > 0 is false, so 1·0 = 0 at x = NaN
    expectTensor(gradOf(tg.relu, tg.tensor([NaN, 2])), [0, 1]);
    // and a NaN dy times 0 is NaN (dy · (x > 0) at x = -1: NaN · 0)
    const x = tg.tensor([-1, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.relu(x);
    expectTensor(tape.gradient(y, x, { outputGradients: tg.tensor([NaN, 1]) }) as Tensor, [NaN, 1]);
  });
});

describe("pow is C's pow at ±1, as TF", () => {
  // TF's Pow computes std::pow (Eigen's scalar pow): pow(1, y) = 1 for every y, NaN too, and
  // pow(-1, ±inf) = 1 (C99 F.9.4.4), where JavaScript's Math.pow gives NaN
  test('values in both float dtypes', () => {
    expectTensor(tg.pow([1, 1, 1, -1], [-Infinity, Infinity, NaN, Infinity]), [1, 1, 1, 1]);
    expectTensor(tg.pow(f64([1, -1, -1]), f64([NaN, -Infinity, Infinity])), [1, 1, 1]);
    // elsewhere JavaScript and C agree: NaN^0 = 1, NaN^1 = NaN, 2^Inf = Inf, 0.5^Inf = 0
    expectTensor(tg.pow([NaN, NaN, 2, 0.5], [0, 1, Infinity, Infinity]), [1, NaN, Infinity, 0]);
  });

  test("the gradients there follow TF's _PowGrad with pow's new values", () => {
    // math_grad.py _PowGrad: gx = dy·y·pow(x, y - 1), gy = dy·z·log(x) with log(x) taken as 0 where x <= 0
    const x = tg.tensor([1, 1, 1, -1]);
    const y = tg.tensor([-Infinity, Infinity, NaN, Infinity]);
    using tape = new tg.GradientTape();
    tape.watch([x, y]);
    const z = tg.pow(x, y);
    const [gx, gy] = tape.gradient(z, [x, y]) as Tensor[];
    // gx: -inf·pow(1, -inf) = -inf, inf·pow(1, inf) = inf, NaN·pow(1, NaN) = NaN, inf·pow(-1, inf) = inf
    expectTensor(gx, [-Infinity, Infinity, NaN, Infinity]);
    // gy: z = 1, log(1) = 0 → 1·1·0 = 0 (three times); x = -1 <= 0 → 0
    expectTensor(gy, [0, 0, 0, 0]);
  });

  test('int32 pow: integer powers; a negative exponent raises', () => {
    // cwise_ops.h safe_scalar_binary_pow_op: numext::pow for b >= 0, an error flag for b < 0
    const p = tg.pow(i32([3, -2, 2, 5]), i32([4, 3, 30, 0]));
    expect(p.dtype).toBe('int32');
    expectTensor(p, [81, -8, 1073741824, 1]); // 3⁴, (-2)³, 2³⁰, 5⁰
    // cwise_ops_common.cc SetComputeError: "Integers to negative integer powers are not allowed"
    const e = errorOf(() => tg.pow(i32([2, 2]), i32([1, -1])));
    expect(e).toBeInstanceOf(tg.ArgumentError);
    expect(e.message).toMatch(/^pow: integers to negative integer powers are not allowed/);
    // a float exponent makes a float pow (the int32 base is cast up), which takes negative exponents
    expectTensor(tg.pow(i32([2]), tg.tensor([-1])), [0.5]);
  });
});

describe('int32 division: `/` is true division, floorDiv is the integer one', () => {
  test('div of int32 gives float64, as TF truediv', () => {
    // math_ops.py _TRUEDIV_TABLE: int32 → float64, both operands cast before dividing
    const q = tg.div(i32([7, -7, 1, 0]), i32([2, 2, 0, 0]));
    expect(q.dtype).toBe('float64');
    expectTensor(q, [3.5, -3.5, Infinity, NaN]); // 7/2, -7/2, 1/0, 0/0 in float64
    // a plain number takes the int32 partner's dtype, then both are float64
    expectTensor(tg.div(i32([1]), 3), [1 / 3], [1], 1e-15);
    expect(i32([9]).div(i32([2])).dtype).toBe('float64');
  });

  test('floorDiv rounds toward -Infinity and keeps int32', () => {
    // TF floordiv (cwise_ops.h google_floor_div): the floor of the quotient for signed integers
    const q = tg.floorDiv(i32([7, -7, 7, -7, 0, -8]), i32([2, 2, -2, -2, 3, 2]));
    expect(q.dtype).toBe('int32');
    expectTensor(q, [3, -4, -4, 3, 0, -4]); // floor(3.5), floor(-3.5), floor(-3.5), floor(3.5), 0, -4
    // broadcasting, and the method form
    expectTensor(i32([9, -9], [2, 1]).floorDiv(i32([2, 4])), [4, 2, -5, -3], [2, 2]); // 9//2, 9//4, -9//2, -9//4
  });

  test('floorDiv of floats is floor(a / b), the quotient rounded to the dtype first', () => {
    // cwise_ops.h google_floor_div_real: numext::floor(x / y), x / y in the tensor's dtype
    expectTensor(tg.floorDiv([7.5, -7, 1, -1], [2, 2, 0, 0]), [3, -4, Infinity, -Infinity]);
    // float32: 1 / fround(1/3) = 2.99999991… in float64, but rounds to 3 in float32: floor gives 3
    expectTensor(tg.floorDiv(1, 1 / 3), [3]);
    expect(tg.floorDiv(f64([7.5]), 2).dtype).toBe('float64');
  });

  test('int32 floorDiv by zero raises, naming floorDiv', () => {
    // cwise_ops_common.cc SetComputeError: "Integer division by zero" for an integer FloorDiv
    const e = errorOf(() => tg.floorDiv(i32([1, 2]), i32([1, 0])));
    expect(e).toBeInstanceOf(tg.ArgumentError);
    expect(e.message).toMatch(/^floorDiv: integer division by zero/);
  });

  test('floorDiv has no gradient, as TF', () => {
    // math_grad.py _FloorDivGrad returns None, None
    expect(gradOf((x) => tg.floorDiv(x, 2), tg.tensor([3, 5]))).toBeNull();
    expect(() => tg.floorDiv([true], [true])).toThrow(tg.DTypeError);
  });
});

describe('mean of int32 truncates toward zero', () => {
  // reduction_ops.h: the int32 MeanReducer sums in int64, divides by the count with C's integer
  // division (truncation toward zero) and casts back to int32; an empty mean is 0 (the reducer's
  // identity for integers: FIX_MEAN_IDENTITY puts NaN for floating types only)
  test('values', () => {
    const m = tg.mean(i32([-1, -2]));
    expect(m.dtype).toBe('int32');
    expectTensor(m, -1); // -3 / 2 = -1.5 → -1
    expectTensor(tg.mean(i32([1, 2, 4, 4], [2, 2]), 1), [1, 4]); // 3/2 → 1, 8/2 → 4
    expectTensor(tg.mean(i32([-7, 0, 0], [3]), 0, true), [-2], [1]); // -7/3 = -2.33 → -2
    // no int32 overflow in the sum: (2³¹-1 + 2³¹-1) / 2
    expectTensor(tg.mean(i32([2147483647, 2147483647])), 2147483647);
    expectTensor(tg.mean(tg.zeros([0], 'int32')), 0);
    // floats are unchanged: -1.5
    expectTensor(tg.mean([-1, -2]), -1.5);
  });
});

describe('cast to int32 of what int32 cannot hold gives -2147483648', () => {
  // TF on x86 (cast_op_test.py expects the minimum for NaN and ±inf on x86, see TF PR #23225; TF issue
  // #126212 shows eager giving -2147483648): the processor's truncating conversion
  test('NaN, ±Infinity and out-of-range values', () => {
    const c = tg.cast([NaN, Infinity, -Infinity, 3e9, -3e9, 2.9, -2.9], 'int32');
    expectTensor(c, [-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 2, -2]);
  });

  test('the edges of the range truncate toward zero first', () => {
    // float64: trunc(2147483647.5) = 2³¹-1 and trunc(-2147483648.9) = -2³¹ fit; 2³¹ does not
    expectTensor(
      tg.cast(f64([2147483647.5, -2147483648.9, 2147483648, -2147483649]), 'int32'),
      [2147483647, -2147483648, -2147483648, -2147483648],
    );
    // float32: 2147483647 rounds to 2³¹ on the way in, out of range
    expectTensor(tg.cast(tg.tensor([2147483647]), 'int32'), [-2147483648]);
  });
});

describe('softmax and logSoftmax with infinities, as TF', () => {
  // softmax_op_functor.h: shifted = logits - max(logits) (no guard), then exp/sum or shifted - log(sum(exp))
  test('+Infinity makes the row NaN (inf - inf)', () => {
    expectTensor(tg.logSoftmax([[Infinity, 0, 1]]), [NaN, NaN, NaN]);
    expectTensor(tg.softmax([[Infinity, 0, 1]]), [NaN, NaN, NaN]);
    // only that row: the other keeps its values, log(1 + e) = 1.3132617
    expectTensor(
      tg.logSoftmax([
        [Infinity, 0],
        [0, 1],
      ]),
      [NaN, NaN, -1.3132617, -0.3132617],
    );
  });

  test('-Infinity beside finite values is a zero probability; a row all -Infinity is NaN', () => {
    // max = 1: shifted [-inf, -1, 0]; sum(exp) = e^-1 + 1 = 1.3678794, log = 0.3132617
    expectTensor(tg.logSoftmax([[-Infinity, 0, 1]]), [-Infinity, -1.3132617, -0.3132617]);
    // 1/(1 + e) = 0.26894142, e/(1 + e) = 0.73105858
    expectTensor(tg.softmax([[-Infinity, 0, 1]]), [0, 0.26894142, 0.73105858]);
    // max = -inf: shifted = -inf - -inf = NaN
    expectTensor(tg.softmax([-Infinity, -Infinity]), [NaN, NaN]);
    expectTensor(tg.logSoftmax([-Infinity, -Infinity]), [NaN, NaN]);
  });

  test('logSumExp keeps its guard, as TF reduce_logsumexp', () => {
    // math_ops.py reduce_logsumexp: the max is replaced by 0 where it is not finite
    expectTensor(tg.logSumExp([Infinity, 0]), Infinity);
    expectTensor(tg.logSumExp([-Infinity, -Infinity]), -Infinity);
  });
});

describe("prod's derivatives are products of the other factors, as TF's _ProdGrad", () => {
  // math_grad.py _ProdGrad: cumprod(exclusive=True) from the left times from the right, no division
  test('the Hessian at an exact zero is symmetric and exact', () => {
    // prod = x0·x1·x2: H[i][j] = product of the third factor (i ≠ j), 0 on the diagonal
    // at [0, 2, 3]: H01 = x2 = 3, H02 = x1 = 2, H12 = x0 = 0
    expectTensor(tg.hessian((x) => tg.prod(x))(f64([0, 2, 3])), [0, 3, 2, 3, 0, 0, 2, 0, 0], [3, 3]);
    // at [1e-30, 2, 3]: H01 = 3, H02 = 2, H12 = 1e-30 (no 1/x0 anywhere)
    expect(flat(tg.hessian((x) => tg.prod(x))(f64([1e-30, 2, 3])))).toEqual([0, 3, 2, 3, 0, 1e-30, 2, 1e-30, 0]);
    // forward over reverse agrees: H·[1, 0, 0] at [0, 2, 3] is the first column
    expectTensor(
      tg.hvp((x) => tg.prod(x), f64([0, 2, 3]), f64([1, 0, 0])),
      [0, 3, 2],
    );
  });

  test('the gradient survives an underflowing product', () => {
    // prod([1e-30, 1e-30, 1e10]) = 1e-50: left = [1, 1e-30, 1e-30·1e-30], right = [1e-30·1e10, 1e10, 1]
    const g = tg.grad((x: Tensor) => tg.prod(x))(f64([1e-30, 1e-30, 1e10])) as Tensor;
    expect(flat(g)).toEqual([1 * (1e-30 * 1e10), 1e-30 * 1e10, 1e-30 * 1e-30 * 1]);
    // float32: 1e-30·1e10 = 1e-20 survives; 1e-60 underflows to 0, as in TF's float32 cumprod
    const g32 = tg.grad((x: Tensor) => tg.prod(x))(tg.tensor([1e-30, 1e-30, 1e10])) as Tensor;
    expect(flat(g32)).toEqual([
      Math.fround(Math.fround(1e-30) * Math.fround(1e10)),
      Math.fround(Math.fround(1e-30) * Math.fround(1e10)),
      0,
    ]);
  });

  test('zeros: one zero gets the product of the rest, two zeros give zeros', () => {
    expectTensor(
      gradOf((x) => tg.prod(x), f64([0, 2, 3])),
      [6, 0, 0],
    ); // [2·3, 0·3, 0·2]
    expectTensor(
      gradOf((x) => tg.prod(x), f64([0, 2, 0])),
      [0, 0, 0],
    );
  });

  test('over axes that are not adjacent, and with keepDims', () => {
    // x[i][j][k] = 1..8; prod over [0, 2] keeps j: j = 0 takes 1, 2, 5, 6 (60), j = 1 takes 3, 4, 7, 8 (672)
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expectTensor(
      gradOf((t) => tg.prod(t, [0, 2]), x),
      [60, 30, 224, 168, 12, 10, 96, 84], // 60/1, 60/2, 672/3, 672/4, 60/5, 60/6, 672/7, 672/8
      [2, 2, 2],
    );
    expectTensor(
      gradOf((t) => tg.prod(t, [-1], true), x),
      [2, 1, 4, 3, 6, 5, 8, 7],
    );
  });

  test('the tangent (forward mode) is the same product rule', () => {
    // d prod at [0, 2, 3] along [1, 1, 1] = 2·3 + 0·3 + 0·2 = 6
    const { tangent } = tg.jvp((x) => tg.prod(x), [f64([0, 2, 3])], [f64([1, 1, 1])]);
    expectTensor(tangent, 6);
  });
});
