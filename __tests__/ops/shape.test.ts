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
  test('slice with -1 sizes, one entry per axis', () => {
    expectTensor(tg.slice(m(), [0, 1], [2, 2]), [2, 3, 5, 6], [2, 2]);
    expectTensor(tg.slice(m(), [1, 0], [-1, -1]), [4, 5, 6], [1, 3]);
    expectTensor(tg.slice(m(), [1, 0]), [4, 5, 6], [1, 3]);
    expectTensor(tg.slice([1, 2, 3], 1, 1), [2], [1]);
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

// Argument checks of the shape ops, each against TF's rule (the source named in the comment); every
// refusal happens before an op runs, so a watching tape keeps nothing.
describe('shape ops check their arguments as TF does', () => {
  /** The error a call throws (its class and message), and what a tape watching `x` recorded meanwhile. */
  function refusal(call: (x: tg.Tensor) => unknown): { error: Error; left: string } {
    const x = tg.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [2, 3]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    try {
      call(x);
    } catch (e) {
      return { error: e as Error, left: tape.toString().split('\n').slice(1).join('\n') };
    }
    throw new Error('expected an error');
  }

  test('slice: begin and size have one integer per axis (slice_op.cc: "Expected begin and size arguments to be 1-D tensors of size N")', () => {
    const short = refusal((x) => tg.slice(x, [1], [-1]));
    expect(short.error).toEqual(new tg.ShapeError('slice: begin must have 2 entries, one per axis of [2,3], got [1]'));
    expect(short.left).toBe('');
    expect(() => tg.slice(m(), 1)).toThrow(
      new tg.ShapeError('slice: begin must have 2 entries, one per axis of [2,3], got 1'),
    );
    expect(() => tg.slice(m(), [0, 0], [1, 2, 3])).toThrow(
      new tg.ShapeError('slice: size must have 2 entries, one per axis of [2,3], got [1,2,3]'),
    );
    // begin and size are int32/int64 tensors in TF: a fraction or a string is a type error
    expect(() => tg.slice(m(), [0.5, 0])).toThrow(
      new tg.ArgumentError('slice: begin must be an array of integers, got [0.5,0]'),
    );
    expect(() => tg.slice(m(), null as unknown as number[])).toThrow(tg.ArgumentError);
    expect(() => tg.slice(m(), [0, 0], 'ab' as unknown as number[])).toThrow(
      /^slice: size must be an array of integers, got "ab"$/,
    );
    // size below -1: "Expected size[i] in [0, dim - begin]"
    expect(() => tg.slice(m(), [0, 0], [-2, 1])).toThrow(/^slice: begin \[0,0\] and size \[-2,1\] do not fit/);
  });

  test('pad: the value is a scalar of the tensor\'s type (array_ops.pad: "constant_values ... Must be same type as tensor")', () => {
    // x = [1, 2] padded [[1, 1]] with NaN: [NaN, 1, 2, NaN]
    expectTensor(tg.pad([1, 2], [[1, 1]], NaN), [NaN, 1, 2, NaN], [4]);
    // a rank-0 tensor of the same dtype is accepted (TF's constant_values is a 0-D tensor)
    expectTensor(tg.pad([1, 2], [[0, 1]], tg.scalar(7)), [1, 2, 7], [3]);
    expectTensor(tg.pad(tg.tensor([1, 2], [2], 'int32'), [[1, 0]], -3), [-3, 1, 2], [3]);
    expectTensor(tg.pad(tg.tensor([true], [1], 'bool'), [[0, 1]], true), [1, 1], [2]);
    for (const bad of ['abc', null, {}, [1, 2], true, '1']) {
      const r = refusal((x) =>
        tg.pad(
          x,
          [
            [0, 0],
            [0, 1],
          ],
          bad as unknown as number,
        ),
      );
      expect(r.error).toBeInstanceOf(tg.ArgumentError);
      expect(r.error.message).toMatch(/^pad: value must be a number or a rank-0 tensor, got /);
      expect(r.left).toBe('');
    }
    expect(() =>
      tg.pad(
        m(),
        [
          [0, 0],
          [0, 1],
        ],
        tg.scalar(1, 'float64'),
      ),
    ).toThrow(new tg.DTypeError('pad: value must have the dtype float32, got a float64 tensor'));
    expect(() =>
      tg.pad(
        m(),
        [
          [0, 0],
          [0, 1],
        ],
        tg.ones([1]),
      ),
    ).toThrow(new tg.ArgumentError('pad: value must be a scalar (a rank-0 tensor), got a tensor of shape [1]'));
    // converting 0.5 to int32 is a TypeError in TF
    expect(() => tg.pad(tg.tensor([1], [1], 'int32'), [[1, 0]], 0.5)).toThrow(
      new tg.ArgumentError('pad: value must be an integer in [-2147483648, 2147483647], got 0.5'),
    );
  });

  test('pad: the padded size is checked before anything is allocated; the value gets no gradient (PadV2 grad: None)', () => {
    const big = refusal((x) =>
      tg.pad(x, [
        [2 ** 31, 0],
        [0, 0],
      ]),
    );
    // (2 + 2^31) · 3 = 6442450950 elements
    expect(big.error).toEqual(
      new tg.ShapeError(
        'pad: shape [2147483650,3] has 6442450950 elements, more than 2147483647 (2^31 - 1), the most a tensor can hold',
      ),
    );
    expect(big.left).toBe('');
    expect(() =>
      tg.pad(m(), [
        [0, 0],
        [0, '1'],
      ] as unknown as [number, number][]),
    ).toThrow(
      new tg.ShapeError(
        'pad: expected 2 pairs [before, after] of non-negative integers for shape [2,3], got [[0,0],[0,"1"]]',
      ),
    );
    const x = tg.tensor([1, 2]);
    const c = tg.scalar(5);
    using tape = new tg.GradientTape();
    tape.watch([x, c]);
    const y = tg.sum(tg.pad(x, [[1, 1]], c));
    // d/dx Σ pad(x) = 1 per element of x; the constant is not connected (None in TF)
    const [gx, gc] = tape.gradient(y, [x, c]);
    expectTensor(gx!, [1, 1], [2]);
    expect(gc).toBeNull();
  });

  test('oneHot: depth, on/off values, dtype and size (one_hot: on/off values take the dtype, which defaults to theirs)', () => {
    for (const bad of [-1, 0.5, NaN, '3', 2 ** 31]) {
      expect(() => tg.oneHot([0, 1], bad as number)).toThrow(
        /^oneHot: depth must be an integer in \[0, 2147483647\], got /,
      );
    }
    for (const bad of ['abc', null, true, [1, 2]]) {
      expect(() => tg.oneHot([0, 1], 3, bad as unknown as number)).toThrow(
        /^oneHot: onValue must be a number or a rank-0 tensor, got /,
      );
      expect(() => tg.oneHot([0, 1], 3, 1, bad as unknown as number)).toThrow(
        /^oneHot: offValue must be a number or a rank-0 tensor, got /,
      );
    }
    expect(() => tg.oneHot([0], 2, 1, 0, 'float16' as tg.DType)).toThrow(tg.DTypeError);
    expect(() => tg.oneHot([0], 2, 1, 0, 'float16' as tg.DType)).toThrow(/^oneHot: /);
    expect(() => tg.oneHot([0], 2, 0.5, 0, 'int32')).toThrow(
      new tg.ArgumentError('oneHot: onValue must be an integer in [-2147483648, 2147483647], got 0.5'),
    );
    // "If dtype is not provided, it will attempt to assume the data type of on_value or off_value"
    const d = tg.oneHot([1], 2, tg.scalar(3, 'float64'));
    expect(d.dtype).toBe('float64');
    expectTensor(d, [0, 3], [1, 2]);
    expect(() => tg.oneHot([1], 2, tg.scalar(3, 'float64'), 0, 'float32')).toThrow(
      new tg.DTypeError('oneHot: onValue must have the dtype float32, got a float64 tensor'),
    );
    expectTensor(tg.oneHot([1], 2, true, false, 'bool'), [0, 1], [1, 2]);
    // 2 indices · (2^31 - 1) = 4294967294 elements
    expect(() => tg.oneHot([0, 1], 2 ** 31 - 1)).toThrow(
      new tg.ShapeError(
        'oneHot: shape [2,2147483647] has 4294967294 elements, more than 2147483647 (2^31 - 1), the most a tensor can hold',
      ),
    );
  });

  test('transpose: perm is an array of integers in [0, rank) (transpose_op.cc: "d is out of range [0 .. dims)")', () => {
    const r = refusal((x) => tg.transpose(x, 'ab' as unknown as number[]));
    expect(r.error).toEqual(new tg.ArgumentError('transpose: perm must be an array of integers, got "ab"'));
    expect(r.left).toBe('');
    expect(() => tg.transpose(m(), [0.5, 1])).toThrow(
      new tg.ArgumentError('transpose: perm must hold integers, got [0.5,1]'),
    );
    expect(() => tg.transpose(m(), [-1, 0])).toThrow(
      new tg.ShapeError('transpose: perm [-1,0] is not a permutation of the 2 axes of [2,3]'),
    );
    // null is TF's perm=None: the axes reversed
    expect(tg.transpose(m(), null as unknown as number[]).shape).toEqual([3, 2]);
  });

  test('split: a positive integer count or integer sizes (split: num_split >= 1; SplitV: sizes with one -1)', () => {
    for (const bad of [0, -1, 0.5, NaN]) {
      expect(() => tg.split(m(), bad)).toThrow(tg.ArgumentError);
      expect(() => tg.split(m(), bad)).toThrow(/^split: numOrSizes must be an integer in \[1, 2147483647\], got /);
    }
    for (const bad of ['abc', null, {}, undefined, [1.5, 0.5]]) {
      const r = refusal((x) => tg.split(x, bad as unknown as number));
      expect(r.error).toBeInstanceOf(tg.ArgumentError);
      expect(r.error.message).toMatch(/^split: numOrSizes must be a positive integer or an array of integers, got /);
      expect(r.left).toBe('');
    }
    expect(() => tg.split(m(), [3, -2])).toThrow(/^split: sizes \[3,-2\] do not add up to 2/);
  });

  test('stridedSlice: integer arrays, masks int32 bit sets, one ellipsis (strided_slice_op.cc)', () => {
    for (const bad of [0.5, -1, NaN, Infinity, 2 ** 31, 'abc', null]) {
      const r = refusal((x) => tg.stridedSlice(x, [0, 0], [1, 2], [1, 1], bad as number));
      expect(r.error).toBeInstanceOf(tg.ArgumentError);
      expect(r.error.message).toMatch(/^stridedSlice: beginMask must be an integer in \[0, 2147483647\], got /);
      expect(r.left).toBe('');
    }
    expect(() => tg.stridedSlice(m(), [0, 0], [1, 2], [1, 1], 0, 0, 0, 0, 0.5)).toThrow(
      /^stridedSlice: shrinkAxisMask /,
    );
    // "Multiple ellipses in slice spec not allowed"
    expect(() => tg.stridedSlice(m(), [0, 0], [1, 2], [1, 1], 0, 0, 3)).toThrow(
      new tg.ArgumentError('stridedSlice: ellipsisMask may have at most one bit set, got 3'),
    );
    expect(() => tg.stridedSlice(m(), [0.5, 0], [1, 2])).toThrow(
      new tg.ArgumentError('stridedSlice: begin must be an array of integers, got [0.5,0]'),
    );
    expect(() => tg.stridedSlice(m(), [0, 0], null as unknown as number[])).toThrow(
      new tg.ArgumentError('stridedSlice: end must be an array of integers, got null'),
    );
    expect(() => tg.stridedSlice(m(), [0, 0], [1, 2], [1, 0.5])).toThrow(
      new tg.ArgumentError('stridedSlice: strides must be an array of integers, got [1,0.5]'),
    );
    // null strides is TF's strides=None: steps of 1; m[0:1, 0:2] = [[1, 2]]
    expectTensor(tg.stridedSlice(m(), [0, 0], [1, 2], null as unknown as number[]), [1, 2], [1, 2]);
  });

  test("tile: integer repeats, the result size checked in tile's name (Tile: multiples of length rank, >= 0)", () => {
    const r = refusal((x) => tg.tile(x, [2 ** 31, 1]));
    // (2 · 2^31) · 3 = 12884901888 elements
    expect(r.error).toEqual(
      new tg.ShapeError(
        'tile: shape [4294967296,3] has 12884901888 elements, more than 2147483647 (2^31 - 1), the most a tensor can hold',
      ),
    );
    expect(r.left).toBe('');
    expect(() => tg.tile(m(), ['1', '2'] as unknown as number[])).toThrow(
      /^tile: expected 2 non-negative integer repeats for shape \[2,3\], got an array of length 2$/,
    );
  });

  test('flatten reports in its own name', () => {
    expect(() => tg.flatten('abc' as unknown as number)).toThrow(/^flatten: cannot make a tensor from string/);
    expect(() => tg.flatten([[1, 2], [3]])).toThrow(/^flatten: /);
  });
});
