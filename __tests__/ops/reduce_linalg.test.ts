// Forward values of reductions and linear algebra: axes, negative axes, keepDims, batches, errors.
import * as tg from '../../src';
import { expectTensor } from '../helpers';

const m = () =>
  tg.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('reductions', () => {
  test('sum over all, one axis, a negative axis, several axes, keepDims', () => {
    expectTensor(tg.sum(m()), 21, []); // 1+2+3+4+5+6
    expectTensor(tg.sum(m(), 0), [5, 7, 9], [3]); // 1+4, 2+5, 3+6
    expectTensor(tg.sum(m(), -1), [6, 15], [2]); // 1+2+3, 4+5+6
    expectTensor(tg.sum(m(), 1, true), [6, 15], [2, 1]);
    expectTensor(tg.sum(m(), [0, 1], true), [21], [1, 1]);
  });

  test('non-adjacent axes of a rank-3 tensor', () => {
    const x = tg.reshape(tg.range(0, 12, 1, 'float32'), [2, 3, 2]);
    // sum over axes 0 and 2: out[j] = Σ_i Σ_k x[i,j,k]; x[i,j,k] = 6i + 2j + k
    expectTensor(tg.sum(x, [0, 2]), [0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11], [3]);
  });

  test('mean, max, min, prod', () => {
    expectTensor(tg.mean(m()), 3.5); // 21 / 6
    expectTensor(tg.mean(m(), 0), [2.5, 3.5, 4.5]);
    expectTensor(tg.max(m(), 1), [3, 6]);
    expectTensor(tg.min(m(), 0), [1, 2, 3]);
    expectTensor(tg.prod(m(), 1), [6, 120]); // 1·2·3, 4·5·6
    expectTensor(
      tg.max(
        tg.tensor([
          [1, 9],
          [8, 2],
        ]),
        -1,
        true,
      ),
      [9, 8],
      [2, 1],
    );
  });

  test('empty reductions give the identity', () => {
    expectTensor(tg.sum(tg.zeros([0, 2]), 0), [0, 0], [2]);
    expectTensor(tg.prod(tg.zeros([0])), 1);
    expectTensor(tg.max(tg.zeros([0])), -Infinity);
  });

  test('float32 sums accumulate in double and round once', () => {
    const big = tg.fill([1000], 0.1);
    expect(tg.sum(big).item()).toBe(Math.fround(1000 * Math.fround(0.1)));
  });

  test('argMax, argMin: first index on ties, int32', () => {
    const y = tg.argMax(
      [
        [1, 9, 9],
        [7, 2, 7],
      ],
      1,
    );
    expect(y.dtype).toBe('int32');
    expectTensor(y, [1, 0]);
    expectTensor(
      tg.argMin(
        [
          [4, 1],
          [0, 3],
        ],
        0,
      ),
      [1, 0],
    );
    expectTensor(tg.argMax([3, 1, 5]), 2);
  });

  test('logSumExp', () => {
    expectTensor(
      tg.logSumExp(
        [
          [0, 0],
          [1, 1],
        ],
        1,
      ),
      [Math.LN2, 1 + Math.LN2],
    );
  });

  test('bad axes are ShapeErrors naming the op and the rank (ArgumentErrors when not integers)', () => {
    expect(() => tg.sum(m(), 2)).toThrow(
      new tg.ShapeError('sum: axis 2 is out of range for a tensor of rank 2; expected an integer in [-2, 2)'),
    );
    expect(() => tg.mean(m(), [0, 0])).toThrow(/mean: repeated axis/);
    expect(() => tg.argMax(m(), 1.5)).toThrow(new tg.ArgumentError('argMax: an axis must be an integer, got 1.5'));
  });
});

describe('linear algebra', () => {
  test('matmul with the arithmetic visible', () => {
    // [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]]
    expectTensor(
      tg.matmul(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ),
      [19, 22, 43, 50],
      [2, 2],
    );
  });

  test('transposeA and transposeB', () => {
    const a = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tg.tensor([
      [5, 6],
      [7, 8],
    ]);
    expectTensor(tg.matmul(a, b, true, false), [26, 30, 38, 44]); // aᵀb: [1·5+3·7, 1·6+3·8, …]
    expectTensor(tg.matmul(a, b, false, true), [17, 23, 39, 53]); // abᵀ: [1·5+2·6, 1·7+2·8, …]
    expectTensor(tg.matmul(a, b, true, true), [23, 31, 34, 46]); // aᵀbᵀ
  });

  test('batch dimensions broadcast', () => {
    const a = tg.reshape(tg.range(0, 8, 1, 'float32'), [2, 2, 2]); // [[[0,1],[2,3]], [[4,5],[6,7]]]
    const y = tg.matmul(a, tg.eye(2));
    expectTensor(y, [0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2]);
    const z = tg.matmul(tg.ones([3, 1, 2, 4]), tg.ones([2, 4, 5]));
    expect(z.shape).toEqual([3, 2, 2, 5]);
    expect(z.dataSync()[0]).toBe(4);
  });

  test('non-square and size-1 shapes; float64', () => {
    expectTensor(tg.matmul([[1, 2, 3]], [[1], [1], [1]]), [6], [1, 1]);
    expect(tg.matmul(tg.ones([2, 3], 'float64'), tg.ones([3, 0], 'float64')).shape).toEqual([2, 0]);
    expect(tg.matmul(tg.ones([2, 3], 'float64'), tg.ones([3, 2], 'float64')).dtype).toBe('float64');
    // mixed dtypes: float32 is cast up; the operands' shapes need not broadcast elementwise
    const mixed = tg.matmul(tg.ones([2, 3]), tg.ones([3, 4], 'float64'));
    expect([mixed.shape, mixed.dtype]).toEqual([[2, 4], 'float64']);
    expectTensor(mixed, new Array(8).fill(3)); // each entry 1·1 + 1·1 + 1·1
  });

  test('matmul errors name the shapes', () => {
    expect(() => tg.matmul(tg.ones([2, 3]), tg.ones([4, 5]))).toThrow(
      new tg.ShapeError('matmul: inner dimensions differ: [2,3] x [4,5]'),
    );
    expect(() => tg.matmul([1, 2], [[1], [2]])).toThrow(/both operands need rank >= 2, got \[2\] x \[2,1\]; use dot/);
    expect(() => tg.matmul(tg.ones([2, 2, 3]), tg.ones([3, 3, 2]))).toThrow(
      /matmul: shapes \[2\] and \[3\] cannot be broadcast/,
    );
  });

  test('dot, outerProduct, norm, transpose', () => {
    expectTensor(tg.dot([1, 2, 3], [4, 5, 6]), 32, []); // 4 + 10 + 18
    expectTensor(
      tg.dot(
        [
          [1, 2],
          [3, 4],
        ],
        [1, 1],
      ),
      [3, 7],
      [2],
    );
    expectTensor(
      tg.dot(
        [1, 1],
        [
          [1, 2],
          [3, 4],
        ],
      ),
      [4, 6],
      [2],
    );
    expectTensor(tg.outerProduct([1, 2], [3, 4, 5]), [3, 4, 5, 6, 8, 10], [2, 3]);
    expectTensor(tg.norm([3, 4]), 5);
    expectTensor(
      tg.norm(
        [
          [3, -4],
          [0, 1],
        ],
        1,
        1,
      ),
      [7, 1],
    );
    expectTensor(tg.norm([3, -4], Infinity), 4);
    expectTensor(tg.norm([1, 1, 1, 1], 3), Math.cbrt(4));
    expectTensor(
      tg.transpose([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      [1, 4, 2, 5, 3, 6],
      [3, 2],
    );
    expect(() => tg.dot([1, 2], [1, 2, 3])).toThrow(/dot: inner dimensions differ: \[2\] \. \[3\]/);
    expect(() => tg.norm([1], 'nuclear' as tg.NormOrd)).toThrow(/norm: unsupported ord nuclear/);
  });
});
