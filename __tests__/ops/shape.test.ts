// Forward values of the shape ops, and their errors.
import * as tg from '../../src';
import { expectTensor, flat } from '../helpers';

const m = () =>
  tg.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('reshaping', () => {
  test('reshape with -1, expandDims, squeeze, flatten', () => {
    expectTensor(tg.reshape([1, 2, 3, 4], [2, -1]), [1, 2, 3, 4], [2, 2]);
    expect(tg.expandDims([1, 2], 1).shape).toEqual([2, 1]);
    expect(tg.expandDims([1, 2], -1).shape).toEqual([2, 1]);
    expect(tg.squeeze(tg.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(tg.squeeze(tg.zeros([1, 3, 1]), 0).shape).toEqual([3, 1]);
    expectTensor(tg.flatten(m()), [1, 2, 3, 4, 5, 6], [6]);
  });

  test('reshape errors', () => {
    expect(() => tg.reshape(m(), [4, 2])).toThrow(
      new tg.ShapeError('reshape: cannot reshape [2,3] (6 elements) to [4,2] (8 elements)'),
    );
    expect(() => tg.reshape(m(), [-1, -1])).toThrow(/at most one -1/);
    expect(() => tg.reshape(m(), [NaN])).toThrow(/a shape must hold non-negative integers/);
    expect(() => tg.squeeze(m(), 0)).toThrow(/squeeze: axis 0 of shape \[2,3\] has size 2, expected 1/);
  });

  test('transpose with a permutation', () => {
    const x = tg.reshape(tg.range(0, 6, 1, 'float32'), [1, 2, 3]);
    const y = tg.transpose(x, [2, 0, 1]);
    expect(y.shape).toEqual([3, 1, 2]);
    expectTensor(y, [0, 3, 1, 4, 2, 5]);
    expect(() => tg.transpose(x, [0, 0, 1])).toThrow(/transpose: perm \[0,0,1\] is not a permutation/);
  });

  test('broadcastTo and tile', () => {
    expectTensor(tg.broadcastTo([1, 2], [2, 2]), [1, 2, 1, 2], [2, 2]);
    expectTensor(tg.broadcastTo([[1], [2]], [2, 3]), [1, 1, 1, 2, 2, 2]);
    expectTensor(tg.tile([1, 2], [2]), [1, 2, 1, 2]);
    expectTensor(
      tg.tile(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 1],
      ),
      [1, 2, 3, 4, 1, 2, 3, 4],
      [4, 2],
    );
    expect(() => tg.broadcastTo([1, 2, 3], [2, 2])).toThrow(/broadcastTo: (shapes|cannot broadcast)/);
    expect(() => tg.tile([1, 2], [2, 2])).toThrow(/tile: expected 1 non-negative integer repeats/);
  });
});

describe('slicing and joining', () => {
  test('slice with -1 sizes and short arrays', () => {
    expectTensor(tg.slice(m(), [0, 1], [2, 2]), [2, 3, 5, 6], [2, 2]);
    expectTensor(tg.slice(m(), [1], [-1]), [4, 5, 6], [1, 3]);
    expectTensor(tg.slice(m(), 1), [4, 5, 6], [1, 3]);
    expect(() => tg.slice(m(), [0, 2], [1, 2])).toThrow(
      /slice: begin \[0,2\] and size \[1,2\] do not fit in shape \[2,3\]/,
    );
  });

  test('stridedSlice: steps, negative steps, masks', () => {
    expectTensor(tg.stridedSlice([0, 1, 2, 3, 4, 5], [1], [6], [2]), [1, 3, 5]);
    expectTensor(tg.stridedSlice([0, 1, 2, 3, 4, 5], [-1], [0], [-2]), [5, 3, 1]);
    expectTensor(tg.stridedSlice([0, 1, 2, 3], [0], [0], [-1], 1, 1), [3, 2, 1, 0]); // [::-1]
    expectTensor(tg.stridedSlice(m(), [1, 0], [2, 3], [1, 1], 0, 0, 0, 0, 1), [4, 5, 6], [3]); // m[1, :]
    expectTensor(tg.stridedSlice(m(), [0, 1], [0, 2], [1, 1], 1, 1), [2, 5], [2, 1]); // m[:, 1:2]
    expect(tg.stridedSlice(m(), [0, 0], [1, 0], [1, 1], 0, 2, 0, 2).shape).toEqual([1, 1, 3]); // m[0:1, newaxis]
    expect(tg.stridedSlice(tg.zeros([2, 3, 4]), [0, 1], [0, 2], [1, 1], 0, 0, 1).shape).toEqual([2, 3, 1]); // x[..., 1:2]
    expect(() => tg.stridedSlice(m(), [5, 0], [6, 1], [1, 1], 0, 0, 0, 0, 1)).toThrow(RangeError);
  });

  test('concat, stack, unstack, split', () => {
    expectTensor(tg.concat([[[1, 2]], [[3, 4]]], 0), [1, 2, 3, 4], [2, 2]);
    expectTensor(tg.concat([m(), tg.tensor([[7], [8]])], 1), [1, 2, 3, 7, 4, 5, 6, 8], [2, 4]);
    expectTensor(tg.concat([m(), m()], -1), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], [2, 6]);
    expectTensor(
      tg.stack(
        [
          [1, 2],
          [3, 4],
        ],
        1,
      ),
      [1, 3, 2, 4],
      [2, 2],
    );
    expect(tg.unstack(m()).map(flat)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tg.unstack(m(), 1).map(flat)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(tg.split([1, 2, 3, 4], 2).map(flat)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tg.split(m(), [1, -1], 1).map((t) => t.shape)).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(() => tg.concat([m(), tg.ones([3, 3])], 1)).toThrow(
      /concat: shapes \[2,3\] and \[3,3\] differ outside axis 1/,
    );
    expect(() => tg.split([1, 2, 3], 2)).toThrow(/cannot be split into 2 equal parts/);
    expect(() =>
      tg.stack([
        [1, 2],
        [1, 2, 3],
      ]),
    ).toThrow(/stack: all shapes must match/);
  });

  test('pad, reverse', () => {
    expectTensor(tg.pad([1, 2], [[1, 2]]), [0, 1, 2, 0, 0]);
    expectTensor(
      tg.pad(
        [[1]],
        [
          [0, 1],
          [1, 0],
        ],
        9,
      ),
      [9, 1, 9, 9],
      [2, 2],
    );
    expectTensor(
      tg.reverse(
        [
          [1, 2],
          [3, 4],
        ],
        1,
      ),
      [2, 1, 4, 3],
    );
    expectTensor(
      tg.reverse([
        [1, 2],
        [3, 4],
      ]),
      [4, 3, 2, 1],
    );
    expect(() => tg.pad([1, 2], [[1]] as unknown as [number, number][])).toThrow(
      /pad: expected 1 pairs \[before, after\]/,
    );
  });

  test('gather, oneHot', () => {
    expectTensor(tg.gather([10, 20, 30], [2, 0]), [30, 10]);
    expectTensor(tg.gather(m(), [2, 0], 1), [3, 1, 6, 4], [2, 2]);
    expect(
      tg.gather(m(), [
        [0, 1],
        [1, 1],
      ]).shape,
    ).toEqual([2, 2, 3]);
    expect(() => tg.gather([1, 2], [2])).toThrow(
      new RangeError('gather: index 2 is out of range [0, 2) for axis 0 of shape [2]'),
    );
    expectTensor(tg.oneHot([0, 2, 5], 3), [1, 0, 0, 0, 0, 1, 0, 0, 0], [3, 3]);
    expect(tg.oneHot([1], 2, 1, 0, 'int32').dtype).toBe('int32');
  });
});
