// Forward values of the elementwise ops, hand-computed, with broadcasting, dtypes and stability.
import * as tg from '../../src';
import { mulAdd, negMul } from '../../src/ops/prims/fused';
import { expectTensor, flat } from '../helpers';

describe('binary arithmetic with NumPy broadcasting', () => {
  test('same shape, scalar, row and column broadcasting', () => {
    expectTensor(tg.add([1, 2, 3], [10, 20, 30]), [11, 22, 33], [3]);
    expectTensor(tg.sub(10, [1, 2]), [9, 8], [2]);
    expectTensor(
      tg.mul(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [10, 100, 1000],
      ),
      [10, 200, 3000, 40, 500, 6000],
      [2, 3],
    );
    expectTensor(tg.mul([[1], [2]], [[3, 4, 5]]), [3, 4, 5, 6, 8, 10], [2, 3]); // column × row
    expectTensor(
      tg.div(
        [
          [2, 4],
          [6, 8],
        ],
        [[2], [4]],
      ),
      [1, 2, 1.5, 2],
      [2, 2],
    );
    expectTensor(tg.pow([2, 3, 4], [3, 2, 0.5]), [8, 9, 2]);
  });

  test('rank-3 broadcasting [2,1,3] with [4,1] gives [2,4,3]', () => {
    const a = tg.reshape(tg.range(0, 6, 1, 'float32'), [2, 1, 3]); // [[[0,1,2]],[[3,4,5]]]
    const b = tg.tensor([[0], [10], [20], [30]]);
    const y = tg.add(a, b);
    expect(y.shape).toEqual([2, 4, 3]);
    // y[i,j,k] = a[i,0,k] + b[j,0]
    expect(flat(tg.slice(y, [1, 2, 0], [1, 1, 3]))).toEqual([23, 24, 25]); // 3+20, 4+20, 5+20
  });

  test('empty and size-1 dimensions', () => {
    expectTensor(tg.add(tg.zeros([0, 3]), [1, 2, 3]), [], [0, 3]);
    expectTensor(tg.mul(tg.ones([2, 1]), tg.ones([1, 0])), [], [2, 0]);
    expectTensor(tg.add(tg.ones([1, 1, 1]), 2), [3], [1, 1, 1]);
  });

  test('maximum, minimum, squaredDifference', () => {
    expectTensor(tg.maximum([1, 5, -2], [3, 2, -2]), [3, 5, -2]);
    expectTensor(tg.minimum([1, 5, -2], 0), [0, 0, -2]);
    expectTensor(tg.squaredDifference([5, 1], [2, 3]), [9, 4]); // (5-2)², (1-3)²
  });

  test('a plain number takes the other operand dtype; float32 with float64 gives float64', () => {
    expect(tg.add(tg.tensor([1], [1], 'int32'), 2).dtype).toBe('int32');
    expect(tg.add(tg.tensor([1], [1], 'float64'), 2).dtype).toBe('float64');
    expect(tg.add(tg.tensor([1]), tg.tensor([1], [1], 'float64')).dtype).toBe('float64');
    expect(tg.add(tg.tensor([1], [1], 'int32'), tg.tensor([0.5])).dtype).toBe('float32');
    // mixed dtypes broadcast as one dtype does: [2,1] float32 + [3] float64 is [2,3] float64
    const mixed = tg.add(tg.tensor([[1], [2]]), tg.tensor([10, 20, 30], [3], 'float64'));
    expect([mixed.shape, mixed.dtype]).toEqual([[2, 3], 'float64']);
    expectTensor(mixed, [11, 21, 31, 12, 22, 32]);
  });

  test('float32 arithmetic is rounded to float32 at every op', () => {
    expect(tg.add(0.1, 0.2).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(tg.mul(tg.scalar(0.1, 'float64'), 3).item()).toBe(0.1 * 3);
  });

  test('int32 arithmetic stays int32; division is true division (float64), floorDiv the integer one', () => {
    const a = tg.tensor([7, -7], [2], 'int32');
    // TF: int32 / int32 is truediv, a float64 quotient (math_ops.py _TRUEDIV_TABLE)
    const q = tg.div(a, 2);
    expect(q.dtype).toBe('float64');
    expectTensor(q, [3.5, -3.5]);
    expectTensor(tg.floorDiv(a, 2), [3, -4]); // floor(3.5), floor(-3.5)
    expect(tg.floorDiv(a, 2).dtype).toBe('int32');
    expect(tg.mul(a, 3).dtype).toBe('int32');
    expect(() => tg.mul(a, 0.5)).toThrow(/0.5 is not an integer and cannot be stored as int32/);
  });
});

describe('unary math', () => {
  test('values', () => {
    expectTensor(tg.neg([1, -2]), [-1, 2]);
    expectTensor(tg.abs([-2, 3]), [2, 3]);
    expectTensor(tg.sign([-2, 0, 3]), [-1, 0, 1]);
    expectTensor(tg.exp([0, 1]), [1, Math.E]);
    expectTensor(tg.log([1, Math.E]), [0, 1]);
    expectTensor(tg.sqrt([4, 9]), [2, 3]);
    expectTensor(tg.rsqrt([4]), [0.5]);
    expectTensor(tg.square([-3]), [9]);
    expectTensor(tg.reciprocal([4]), [0.25]);
    expectTensor(tg.sin([Math.PI / 2]), [1]);
    expectTensor(tg.cos([0]), [1]);
    expectTensor(tg.tan([Math.PI / 4]), [1]);
    expectTensor(tg.asin([1]), [Math.PI / 2]);
    expectTensor(tg.acos([0]), [Math.PI / 2]);
    expectTensor(tg.atan([1]), [Math.PI / 4]);
    expectTensor(tg.sinh([1]), [(Math.E - 1 / Math.E) / 2]);
    expectTensor(tg.cosh([1]), [(Math.E + 1 / Math.E) / 2]);
    expectTensor(tg.tanh([0.5]), [Math.tanh(0.5)]);
    expectTensor(tg.floor([1.5, -1.5]), [1, -2]);
    expectTensor(tg.ceil([1.5, -1.5]), [2, -1]);
    expectTensor(tg.round([0.5, 1.5, 2.5, -0.5, -1.5, 2.4]), [0, 2, 2, -0, -2, 2]); // half to even
  });

  test('erf against published values', () => {
    // erf(0.5) = 0.5204998778130465, erf(1) = 0.8427007929497149, erf(2.5) = 0.9995930479825550
    const y = tg.erf(tg.tensor([0.5, 1, 2.5, -1, 7], undefined, 'float64'));
    expectTensor(
      y,
      [0.5204998778130465, 0.8427007929497149, 0.999593047982555, -0.8427007929497149, 1],
      undefined,
      1e-14,
    );
  });

  test('expm1 and log1p are accurate near 0', () => {
    const y = tg.expm1(tg.tensor([1e-10], undefined, 'float64')).item();
    expect(Math.abs(y - 1.00000000005e-10) / 1e-10).toBeLessThan(1e-12);
    const z = tg.log1p(tg.tensor([1e-10], undefined, 'float64')).item();
    expect(Math.abs(z - 9.9999999995e-11) / 1e-10).toBeLessThan(1e-12);
  });

  test('float-only ops refuse int32 with a message that says to cast', () => {
    expect(() => tg.exp(tg.tensor([1], [1], 'int32'))).toThrow(
      new tg.DTypeError("exp: expected a float32 or float64 tensor, got int32; cast it first with cast(x, 'float32')"),
    );
    expect(() => tg.neg([true])).toThrow(/neg: expected a numeric tensor, got bool/);
  });
});

describe('activations', () => {
  test('values', () => {
    expectTensor(tg.relu([-1, 0, 2]), [0, 0, 2]);
    expectTensor(tg.relu6([-1, 3, 9]), [0, 3, 6]);
    expectTensor(tg.leakyRelu([-1, 2]), [-0.2, 2]); // alpha 0.2 by default
    expectTensor(tg.elu([-1, 2]), [Math.exp(-1) - 1, 2]);
    expectTensor(tg.selu([1, -1]), [1.0507009873554805, 1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1)]);
    expectTensor(tg.gelu([1, -1]), [0.8413447460685429, -0.15865525393145707]); // x·Φ(x)
    expectTensor(tg.sigmoid([0, 2]), [0.5, 1 / (1 + Math.exp(-2))]);
    expectTensor(tg.softplus([0]), [Math.LN2]);
  });

  test('sigmoid, softplus, logSumExp, softmax and logSoftmax stay finite at ±1000', () => {
    expectTensor(tg.sigmoid([1000, -1000]), [1, 0]);
    expectTensor(tg.softplus([1000, -1000]), [1000, 0]);
    expectTensor(tg.logSumExp([1000, 1000]), [1000 + Math.LN2]);
    expectTensor(tg.logSumExp([-1000, -1000]), [-1000 + Math.LN2]);
    expectTensor(tg.softmax([1000, 1000, -1000]), [0.5, 0.5, 0]);
    expectTensor(tg.logSoftmax([1000, 0]), [0, -1000]);
  });

  test('softmax along an axis sums to 1', () => {
    const s = tg.softmax(
      [
        [1, 2, 3],
        [1, 1, 1],
      ],
      0,
    );
    expectTensor(tg.sum(s, 0), [1, 1, 1]);
    expectTensor(tg.softmax([[1, 1]]), [0.5, 0.5]);
  });

  test('logSumExp of infinities is infinite, not NaN', () => {
    expectTensor(tg.logSumExp([Infinity, 1]), [Infinity]);
    expectTensor(tg.logSumExp([-Infinity, -Infinity]), [-Infinity]);
  });
});

describe('comparison, logic, selection', () => {
  test('comparisons give bool', () => {
    const a = tg.tensor([1, 2, 3]);
    expect(tg.equal(a, 2).arraySync()).toEqual([false, true, false]);
    expect(tg.notEqual(a, 2).arraySync()).toEqual([true, false, true]);
    expect(tg.greater(a, 2).arraySync()).toEqual([false, false, true]);
    expect(tg.greaterEqual(a, 2).arraySync()).toEqual([false, true, true]);
    expect(tg.less(a, 2).arraySync()).toEqual([true, false, false]);
    expect(tg.lessEqual(a, 2).arraySync()).toEqual([true, true, false]);
    expect(tg.less(a, 2).dtype).toBe('bool');
  });

  test('logic and predicates', () => {
    expect(tg.logicalAnd([true, true, false], [true, false, false]).arraySync()).toEqual([true, false, false]);
    expect(tg.logicalOr([true, false], false).arraySync()).toEqual([true, false]);
    expect(tg.logicalNot([true, false]).arraySync()).toEqual([false, true]);
    expect(tg.isNaN([NaN, 1]).arraySync()).toEqual([true, false]);
    expect(tg.isFinite([Infinity, -Infinity, NaN, 1]).arraySync()).toEqual([false, false, false, true]);
    expect(() => tg.logicalAnd([1], [0])).toThrow(/logicalAnd: expected a bool tensor, got float32/);
  });

  test('where broadcasts its three operands; clipByValue clips', () => {
    expectTensor(tg.where([true, false], [1, 2], [10, 20]), [1, 20]);
    expectTensor(tg.where([[true], [false]], [1, 2], 0), [1, 2, 0, 0], [2, 2]);
    expectTensor(tg.clipByValue([-2, 0.5, 3], 0, 1), [0, 0.5, 1]);
    expect(() => tg.where(tg.tensor([1, 0]), [1, 2], [3, 4])).toThrow(
      /where: the condition must be a bool tensor, got float32/,
    );
  });

  test('cast', () => {
    expectTensor(tg.cast([1.7, -1.7], 'int32'), [1, -1]);
    expect(tg.cast([0, 2], 'bool').arraySync()).toEqual([false, true]);
    expect(tg.cast([true, false], 'float64').dtype).toBe('float64');
    expect(() => tg.cast([1], 'float16' as tg.DType)).toThrow(/unknown dtype "float16"/);
  });
});

test("tanh's and relu's one-pass gradients give the bits of the ops written out (float32)", () => {
  const x = tg.randomUniform([500], { seed: 11, minval: -3, maxval: 3 });
  const dy = tg.randomUniform([500], { seed: 12, minval: -2, maxval: 2 });
  const gradOf = (f: (t: tg.Tensor) => tg.Tensor): Float32Array | Float64Array | Int32Array | Uint8Array => {
    using tape = new tg.GradientTape();
    tape.watch(x);
    return tape.gradient(f(x), x, { outputGradients: dy })!.dataSync();
  };
  const y = tg.tanh(x);
  expect(Array.from(gradOf(tg.tanh))).toEqual(Array.from(tg.mul(dy, tg.sub(1, tg.square(y))).dataSync()));
  expect(Array.from(gradOf(tg.relu))).toEqual(Array.from(tg.mul(dy, tg.cast(tg.greater(x, 0), 'float32')).dataSync()));
});

test('atan2(y, x): the angle of (x, y) in every quadrant, float only, as TF', () => {
  const r = Math.SQRT1_2;
  // (x, y) = (1, 1), (-1, 1), (-1, -1), (1, -1), (0, 0): π/4, 3π/4, -3π/4, -π/4, 0
  expectTensor(
    tg.atan2(tg.tensor([r, r, -r, -r, 0], undefined, 'float64'), tg.tensor([r, -r, -r, r, 0], undefined, 'float64')),
    [Math.PI / 4, (3 * Math.PI) / 4, (-3 * Math.PI) / 4, -Math.PI / 4, 0],
    [5],
    1e-15,
  );
  // d/dy = x / (x² + y²), d/dx = -y / (x² + y²): at (x, y) = (3, 4), 3/25 and -4/25
  const [dy, dx] = tg.grad((y, x) => tg.atan2(y, x))(tg.scalar(4, 'float64'), tg.scalar(3, 'float64')) as tg.Tensor[];
  expectTensor(dy, 3 / 25, [], 1e-15);
  expectTensor(dx, -4 / 25, [], 1e-15);
  expect(() => tg.atan2(tg.tensor([1], [1], 'int32'), tg.tensor([1], [1], 'int32'))).toThrow(
    /^atan2: expected a float32 or float64 tensor, got int32/,
  );
});

test('the fused product tangent mulAdd gives the bits of a·b + c·d written out (float32)', () => {
  const [a, b, c, d] = [21, 22, 23, 24].map((seed) => tg.randomUniform([700], { seed, minval: -3, maxval: 3 }));
  const fused = mulAdd(a, b, c, d).dataSync();
  expect(Array.from(fused)).toEqual(Array.from(tg.add(tg.mul(a, b), tg.mul(c, d)).dataSync()));
});

test('the fused negMul gives the bits of neg(mul(a, b)) (float32)', () => {
  const [a, b] = [31, 32].map((seed) => tg.randomUniform([700], { seed, minval: -3, maxval: 3 }));
  expect(Array.from(negMul(a, b).dataSync())).toEqual(Array.from(tg.neg(tg.mul(a, b)).dataSync()));
});
