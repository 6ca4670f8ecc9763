// sort, argsort, topk, gatherND, scatterND, tensorScatterUpdate/Add, the segment ops, booleanMask and
// one-argument where: TF's documented values, hand-computed gradients, edge cases and bad inputs.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { expectTensor, flat } from '../helpers';
import { argsort, sort, topk } from '../../src/ops/prims/sort';
import { booleanMask, gatherND, scatterND, tensorScatterAdd, tensorScatterUpdate } from '../../src/ops/prims/scatter';
import {
  segmentSum,
  unsortedSegmentMax,
  unsortedSegmentMean,
  unsortedSegmentMin,
  unsortedSegmentSum,
} from '../../src/ops/prims/segment';
import { where } from '../../src/ops/prims/select';

const int = (values: tg.NestedArray<number>) => tg.tensor(values, undefined, 'int32');
const f64 = (values: tg.NestedArray<number>) => tg.tensor(values, undefined, 'float64');

/** The gradient of Σ f(x)·w with respect to x. */
function gradOf(f: (x: Tensor) => Tensor, x: Tensor, w: Tensor | number = 1): Tensor | null {
  using tape = new tg.GradientTape();
  tape.watch(x);
  return tape.gradient(tg.sum(f(x).mul(w)), x);
}

/** Expects `call` to throw `kind` with a message starting with `name:` and to leave the tape empty. */
function expectRefused(name: string, kind: new (m: string) => Error, call: (x: Tensor) => unknown): void {
  const x = tg.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  using tape = new tg.GradientTape({ persistent: true });
  tape.watch(x);
  let error: unknown;
  try {
    call(x);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message.startsWith(`${name}:`)).toBe(true);
  expect(tape.toString().split('\n')).toHaveLength(1);
}

describe('sort and argsort (TF: top_k on the values, negated for ascending)', () => {
  const a = [1, 10, 26.9, 2.8, 166.32, 62.3];

  test("TF's examples: ascending, descending, argsort", () => {
    expectTensor(sort(a), [1, 2.8, 10, 26.9, 62.3, 166.32], [6], 1e-6);
    expectTensor(sort(a, -1, 'DESCENDING'), [166.32, 62.3, 26.9, 10, 2.8, 1], [6], 1e-6);
    const order = argsort(a);
    expect(order.dtype).toBe('int32');
    expect(flat(order)).toEqual([0, 3, 1, 2, 5, 4]);
  });

  test("TF's matrix examples: along the last axis and along axis 0", () => {
    const mat = int([
      [3, 2, 1],
      [2, 1, 3],
      [1, 3, 2],
    ]);
    const rows = sort(mat, -1);
    expect(rows.dtype).toBe('int32');
    expect(flat(rows)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(flat(sort(mat, 0))).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const m2 = int([
      [30, 20, 10],
      [20, 10, 30],
      [10, 30, 20],
    ]);
    expect(flat(argsort(m2))).toEqual([2, 1, 0, 1, 0, 2, 0, 2, 1]);
    // axis -2 is axis 0: column 0 is [30, 20, 10], so its order is rows 2, 1, 0
    expect(flat(argsort(m2, -2))).toEqual([2, 1, 0, 1, 0, 2, 0, 2, 1]);
  });

  test('stable in both directions: equal values keep their index order', () => {
    expect(flat(argsort([1, 0, 1, 0]))).toEqual([1, 3, 0, 2]);
    expect(flat(argsort([1, 0, 1, 0], -1, 'DESCENDING'))).toEqual([0, 2, 1, 3]);
    expect(flat(argsort(int([5, 5, 5]), 0, 'DESCENDING'))).toEqual([0, 1, 2]);
  });

  test('NaN sorts as the largest value; ±Infinity in place', () => {
    expect(flat(sort([NaN, 1, -Infinity, Infinity]))).toEqual([-Infinity, 1, Infinity, NaN]);
    expect(flat(sort([1, NaN, 2], -1, 'DESCENDING'))).toEqual([NaN, 2, 1]);
  });

  test('float64 keeps its dtype; empty axes give empty results', () => {
    const s = sort(f64([0.5, -0.25]));
    expect(s.dtype).toBe('float64');
    expect(flat(s)).toEqual([-0.25, 0.5]);
    expect(sort(tg.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(argsort(tg.zeros([0, 3]), 0).shape).toEqual([0, 3]);
  });

  test('the gradient goes back to each value position: x = [3, 1, 2], w = [1, 2, 3] gives [3, 1, 2]', () => {
    // sorted [1, 2, 3] comes from positions [1, 2, 0]: x[0] gets w[2] = 3, x[1] gets w[0] = 1, x[2] gets w[1] = 2
    expectTensor(
      gradOf((x) => sort(x), f64([3, 1, 2]), f64([1, 2, 3])),
      [3, 1, 2],
      [3],
      0,
    );
    // descending along axis 0: column [1, 4] → [4, 1], so x[1][0] gets w[0][0] = 10 and x[0][0] gets w[1][0] = 30
    const x = f64([
      [1, 7],
      [4, 2],
    ]);
    const w = f64([
      [10, 20],
      [30, 40],
    ]);
    expectTensor(
      gradOf((v) => sort(v, 0, 'DESCENDING'), x, w),
      [30, 20, 10, 40],
      [2, 2],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('sort', tg.ShapeError, () => sort(3));
    expectRefused('sort', tg.DTypeError, () => sort([true, false]));
    expectRefused('sort', tg.ArgumentError, (x) => sort(x, -1, 'UP' as 'ASCENDING'));
    expectRefused('sort', tg.ShapeError, (x) => sort(x, 2));
    expectRefused('argsort', tg.ArgumentError, (x) => argsort(x, 0.5));
  });
});

describe('topk (last axis; ties: the lower index first, as TF)', () => {
  test('values and indices, largest first', () => {
    const { values, indices } = topk([1, 5, 3], 2);
    expectTensor(values, [5, 3], [2], 0);
    expect(indices.dtype).toBe('int32');
    expect(flat(indices)).toEqual([1, 2]);
    // k defaults to 1, per row
    const r = topk([
      [1, 9, 4],
      [8, 2, 8],
    ]);
    expectTensor(r.values, [9, 8], [2, 1], 0);
    expect(flat(r.indices)).toEqual([1, 0]);
  });

  test('sorted false gives the chosen k in index order', () => {
    // the top 3 of [5, 1, 3, 4] are 5 (index 0), 4 (index 3) and 3 (index 2)
    const { values, indices } = topk([5, 1, 3, 4], 3, false);
    expect(flat(indices)).toEqual([0, 2, 3]);
    expectTensor(values, [5, 3, 4], [3], 0);
  });

  test('k = 0 and k = n', () => {
    expect(topk([[1, 2]], 0).values.shape).toEqual([1, 0]);
    expect(flat(topk(int([2, 3, 1]), 3).values)).toEqual([3, 2, 1]);
  });

  test('the gradient scatters to the chosen positions: x = [1, 5, 3], w = [10, 20] gives [0, 10, 20]', () => {
    expectTensor(
      gradOf((x) => topk(x, 2).values, f64([1, 5, 3]), f64([10, 20])),
      [0, 10, 20],
      [3],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('topk', tg.ArgumentError, (x) => topk(x, 4));
    expectRefused('topk', tg.ArgumentError, (x) => topk(x, -1));
    expectRefused('topk', tg.ArgumentError, (x) => topk(x, 1, 'yes' as unknown as boolean));
    expectRefused('topk', tg.ShapeError, () => topk(2));
  });
});

describe('gatherND', () => {
  const m = tg.tensor([
    [1, 2],
    [3, 4],
  ]);

  test("TF's examples: elements and rows", () => {
    expectTensor(
      gatherND(
        m,
        int([
          [0, 0],
          [1, 1],
        ]),
      ),
      [1, 4],
      [2],
      0,
    );
    expectTensor(gatherND(m, int([[1], [0]])), [3, 4, 1, 2], [2, 2], 0);
    // batched indices [2, 1, 2] give [2, 1]
    expectTensor(gatherND(m, int([[[0, 1]], [[1, 0]]])), [2, 3], [2, 1], 0);
    // a bare index vector gives one slice
    expectTensor(gatherND(m, int([1])), [3, 4], [2], 0);
    expect(gatherND(m, tg.zeros([0, 2], 'int32')).shape).toEqual([0]);
  });

  test('bool and int32 tensors are gathered too', () => {
    expect(flat(gatherND(tg.tensor([true, false]), int([[1]])))).toEqual([0]);
  });

  test('the gradient adds dy at each index: twice [1, 0], once [0, 1]', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ]);
    const idx = int([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    // dy = [1, 2, 3]: x[1][0] gets 1 + 3, x[0][1] gets 2
    expectTensor(
      gradOf((v) => gatherND(v, idx), x, f64([1, 2, 3])),
      [0, 2, 4, 0],
      [2, 2],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('gatherND', tg.ArgumentError, (x) => gatherND(x, int([[2, 0]])));
    expectRefused('gatherND', tg.ArgumentError, (x) => gatherND(x, int([[0, -1]])));
    expectRefused('gatherND', tg.ShapeError, (x) => gatherND(x, int([[0, 0, 0]])));
    expectRefused('gatherND', tg.DTypeError, (x) => gatherND(x, tg.tensor([[0.5]])));
    expectRefused('gatherND', tg.ShapeError, (x) => gatherND(x, int(0)));
    expectRefused('gatherND', tg.ShapeError, () => gatherND(3, int([0])));
  });
});

describe('scatterND, tensorScatterUpdate, tensorScatterAdd', () => {
  const idx = int([[4], [3], [1], [7]]);
  const updates = tg.tensor([9, 10, 11, 12]);

  test("TF's examples", () => {
    expectTensor(scatterND(idx, updates, [8]), [0, 11, 0, 10, 9, 0, 0, 12], [8], 0);
    expectTensor(tensorScatterUpdate(tg.zeros([8]), idx, updates), [0, 11, 0, 10, 9, 0, 0, 12], [8], 0);
    expectTensor(tensorScatterAdd(tg.ones([8]), idx, updates), [1, 12, 1, 11, 10, 1, 1, 13], [8], 0);
  });

  test('slices; duplicates add in scatterND and tensorScatterAdd, the last wins in tensorScatterUpdate', () => {
    // rows 0 and 2 of a [3, 2]
    expectTensor(
      scatterND(
        int([[2], [0], [2]]),
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [3, 2],
      ),
      [3, 4, 0, 0, 1 + 5, 2 + 6],
      [3, 2],
      0,
    );
    expectTensor(tensorScatterUpdate([1, 2, 3], int([[0], [0]]), [7, 8]), [8, 2, 3], [3], 0);
    expectTensor(tensorScatterAdd([1, 2, 3], int([[0], [0]]), [10, 5]), [16, 2, 3], [3], 0);
    const i32 = scatterND(idx, int([1, 2, 3, 4]), [8]);
    expect(i32.dtype).toBe('int32');
    expect(flat(i32)).toEqual([0, 3, 0, 2, 1, 0, 0, 4]);
  });

  test('gradients as TF: scatterND and tensorScatterAdd gather dy, tensorScatterUpdate zeroes the replaced rows', () => {
    const dy = f64([10, 20, 30, 40]);
    const ix = int([[3], [1]]);
    expectTensor(
      gradOf((u) => scatterND(ix, u, [4]), f64([1, 2]), dy),
      [40, 20],
      [2],
      0,
    );
    const t = f64([1, 2, 3, 4]);
    const u = f64([5, 6]);
    expectTensor(
      gradOf((v) => tensorScatterUpdate(v, ix, u), t, dy),
      [10, 0, 30, 0],
      [4],
      0,
    );
    expectTensor(
      gradOf((v) => tensorScatterUpdate(t, ix, v), u, dy),
      [40, 20],
      [2],
      0,
    );
    expectTensor(
      gradOf((v) => tensorScatterAdd(v, ix, u), t, dy),
      [10, 20, 30, 40],
      [4],
      0,
    );
    expectTensor(
      gradOf((v) => tensorScatterAdd(t, ix, v), u, dy),
      [40, 20],
      [2],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('scatterND', tg.ArgumentError, () => scatterND(int([[8]]), [1], [8]));
    expectRefused('scatterND', tg.ShapeError, () => scatterND(int([[1]]), [1, 2], [8]));
    expectRefused('scatterND', tg.ShapeError, () => scatterND(int([[1]]), [1], [-1]));
    expectRefused('scatterND', tg.DTypeError, () => scatterND(int([[1]]), [true], [2]));
    expectRefused('tensorScatterUpdate', tg.ShapeError, (x) => tensorScatterUpdate(x, int([[1]]), [1, 2]));
    expectRefused('tensorScatterUpdate', tg.DTypeError, (x) => tensorScatterUpdate(x, int([[1]]), f64([[1, 2, 3]])));
    expectRefused('tensorScatterAdd', tg.ArgumentError, (x) => tensorScatterAdd(x, int([[2]]), [[1, 2, 3]]));
  });
});

describe('segment ops', () => {
  const c = tg.tensor([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [4, 3, 2, 1],
  ]);
  const ids = int([0, 1, 0]);

  test("TF's examples: sum, max, min, mean by segment", () => {
    // segment 0 holds rows 0 and 2, segment 1 row 1
    expectTensor(unsortedSegmentSum(c, ids, 2), [5, 5, 5, 5, 5, 6, 7, 8], [2, 4], 0);
    expectTensor(unsortedSegmentMax(c, ids, 2), [4, 3, 3, 4, 5, 6, 7, 8], [2, 4], 0);
    expectTensor(unsortedSegmentMin(c, ids, 2), [1, 2, 2, 1, 5, 6, 7, 8], [2, 4], 0);
    expectTensor(unsortedSegmentMean(c, ids, 2), [2.5, 2.5, 2.5, 2.5, 5, 6, 7, 8], [2, 4], 0);
    const sorted = tg.tensor([
      [1, 2, 3, 4],
      [4, 3, 2, 1],
      [5, 6, 7, 8],
    ]);
    expectTensor(segmentSum(sorted, int([0, 0, 1])), [5, 5, 5, 5, 5, 6, 7, 8], [2, 4], 0);
  });

  test('ids of several axes, negative ids dropped, empty segments: 0, lowest, highest', () => {
    // ids [[0, -1], [2, 0]] over a [2, 2]: segment 0 gets 1 + 4, segment 2 gets 3, segment 1 nothing
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const ids2 = int([
      [0, -1],
      [2, 0],
    ]);
    expectTensor(unsortedSegmentSum(x, ids2, 3), [5, 0, 3], [3], 0);
    expectTensor(unsortedSegmentMean(x, ids2, 3), [2.5, 0, 3], [3], 0);
    expect(flat(unsortedSegmentMax(x, ids2, 3))).toEqual([4, -3.4028234663852886e38, 3]);
    expect(flat(unsortedSegmentMin(x, ids2, 3))).toEqual([1, 3.4028234663852886e38, 3]);
    expect(flat(unsortedSegmentMax(f64([1]), int([1]), 2))).toEqual([-Number.MAX_VALUE, 1]);
    expect(flat(unsortedSegmentMin(int([1]), int([1]), 2))).toEqual([2147483647, 1]);
    expect(flat(unsortedSegmentMax(int([1]), int([1]), 2))).toEqual([-2147483648, 1]);
    expectTensor(segmentSum([1, 2, 3, 4], int([0, 0, 2, 2])), [3, 0, 7], [3], 0);
    expect(unsortedSegmentSum(tg.zeros([0, 2]), tg.zeros([0], 'int32'), 0).shape).toEqual([0, 2]);
    expect(segmentSum(tg.zeros([0, 2]), tg.zeros([0], 'int32')).shape).toEqual([0, 2]);
  });

  test('gradients: sums and means gather dy; max shares dy among ties, as TF', () => {
    const dy = f64([10, 20]);
    const x = f64([1, 2, 3]);
    const s = int([1, -1, 1]);
    expectTensor(
      gradOf((v) => unsortedSegmentSum(v, s, 2), x, dy),
      [20, 0, 20],
      [3],
      0,
    );
    // segment 1 holds two elements: each gets 20 / 2
    expectTensor(
      gradOf((v) => unsortedSegmentMean(v, s, 2), x, dy),
      [10, 0, 10],
      [3],
      0,
    );
    expectTensor(
      gradOf((v) => segmentSum(v, int([0, 1, 1])), x, dy),
      [10, 20, 20],
      [3],
      0,
    );
    // max of [2, 2, 1] in one segment is 2, reached twice: 1/2 each
    expectTensor(
      gradOf((v) => unsortedSegmentMax(v, int([0, 0, 0]), 1), f64([2, 2, 1])),
      [0.5, 0.5, 0],
      [3],
      0,
    );
    // a dropped element equal to a segment's result gets nothing
    expectTensor(
      gradOf((v) => unsortedSegmentMin(v, int([-1, 0]), 1), f64([0, 0])),
      [0, 1],
      [2],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('unsortedSegmentSum', tg.ArgumentError, (x) => unsortedSegmentSum(x, int([0, 2]), 2));
    expectRefused('unsortedSegmentSum', tg.ShapeError, (x) => unsortedSegmentSum(x, int([0, 1, 0]), 2));
    expectRefused('unsortedSegmentSum', tg.ArgumentError, (x) => unsortedSegmentSum(x, int([0, 1]), -1));
    expectRefused('unsortedSegmentMax', tg.DTypeError, (x) => unsortedSegmentMax(x, tg.tensor([0, 1]), 2));
    expectRefused('unsortedSegmentMin', tg.DTypeError, () => unsortedSegmentMin([true], int([0]), 1));
    expectRefused('unsortedSegmentMean', tg.DTypeError, () => unsortedSegmentMean(int([1]), int([0]), 1));
    expectRefused('segmentSum', tg.ArgumentError, (x) => segmentSum(x, int([1, 0])));
    expectRefused('segmentSum', tg.ArgumentError, (x) => segmentSum(x, int([-1, 0])));
    expectRefused('segmentSum', tg.ShapeError, (x) => segmentSum(x, int([0, 0, 0])));
  });
});

describe('booleanMask', () => {
  test("TF's examples", () => {
    expectTensor(booleanMask([0, 1, 2, 3], [true, false, true, false]), [0, 2], [2], 0);
    expectTensor(
      booleanMask(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [true, false, true],
      ),
      [1, 2, 5, 6],
      [2, 2],
      0,
    );
  });

  test('a 2-D mask, an axis, no true element', () => {
    const x = tg.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectTensor(
      booleanMask(x, [
        [true, false, false],
        [false, true, true],
      ]),
      [1, 5, 6],
      [3],
      0,
    );
    expectTensor(booleanMask(x, [false, true, true], 1), [2, 3, 5, 6], [2, 2], 0);
    expectTensor(booleanMask(x, [true, false, true], -1), [1, 3, 4, 6], [2, 2], 0);
    expect(booleanMask(x, [false, false]).shape).toEqual([0, 3]);
  });

  test('the gradient goes back to the kept positions', () => {
    expectTensor(
      gradOf((v) => booleanMask(v, [true, false, true]), f64([1, 2, 3]), f64([10, 20])),
      [10, 0, 20],
      [3],
      0,
    );
  });

  test('bad inputs', () => {
    expectRefused('booleanMask', tg.ShapeError, (x) => booleanMask(x, [true, false, true]));
    expectRefused('booleanMask', tg.ShapeError, (x) => booleanMask(x, true));
    expectRefused('booleanMask', tg.DTypeError, (x) => booleanMask(x, [1, 0]));
    expectRefused('booleanMask', tg.ShapeError, (x) => booleanMask(x, [true, false, true], 2));
  });
});

describe('where with one argument', () => {
  test("TF's example and a matrix: the coordinates of the true elements, int32 [n, rank]", () => {
    const w = where([true, false, false, true]);
    expect(w.dtype).toBe('int32');
    expectTensor(w, [0, 3], [2, 1], 0);
    expectTensor(
      where([
        [false, true],
        [true, true],
      ]),
      [0, 1, 1, 0, 1, 1],
      [3, 2],
      0,
    );
  });

  test('numbers count as true when nonzero; scalars and empty tensors', () => {
    expectTensor(where([0, 2.5, -1, 0]), [1, 2], [2, 1], 0);
    expect(where(true).shape).toEqual([1, 0]);
    expect(where(false).shape).toEqual([0, 0]);
    expect(where(tg.zeros([0, 3], 'bool')).shape).toEqual([0, 2]);
  });

  test('the three-argument form is unchanged; giving only a or b is refused', () => {
    expectTensor(where([true, false], [1, 2], [10, 20]), [1, 20], [2], 0);
    expectRefused('where', tg.ArgumentError, (x) => (where as (c: unknown, a: unknown) => Tensor)([true], x));
  });
});

describe('the TSDoc examples', () => {
  test('give the values they promise', () => {
    expect(flat(sort([3, 1, 2]))).toEqual([1, 2, 3]);
    expect(flat(argsort([30, 10, 20]))).toEqual([1, 2, 0]);
    expect(flat(topk([1, 5, 3], 2).values)).toEqual([5, 3]);
    expect(
      flat(
        gatherND(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      ),
    ).toEqual([3, 2]);
    expect(flat(scatterND([[1], [3], [1]], [10, 20, 5], [4]))).toEqual([0, 15, 0, 20]);
    expect(flat(tensorScatterUpdate([1, 2, 3], [[0], [2]], [9, 7]))).toEqual([9, 2, 7]);
    expect(flat(tensorScatterAdd([1, 2, 3], [[0], [0]], [10, 5]))).toEqual([16, 2, 3]);
    expect(flat(unsortedSegmentSum([1, 2, 3, 4], [0, 1, 0, 1], 2))).toEqual([4, 6]);
    expect(flat(unsortedSegmentMax([1, 5, 3, 4], [0, 0, 1, 1], 2))).toEqual([5, 4]);
    expect(flat(unsortedSegmentMin([1, 5, 3, 4], [0, 0, 1, 1], 2))).toEqual([1, 3]);
    expect(flat(unsortedSegmentMean([1, 2, 3, 5], [0, 1, 0, 1], 2))).toEqual([2, 3.5]);
    expect(flat(segmentSum([1, 2, 3, 4], [0, 0, 2, 2]))).toEqual([3, 0, 7]);
    expect(flat(booleanMask([1, 2, 3, 4], [true, false, true, false]))).toEqual([1, 3]);
    expect(
      where([
        [true, false],
        [false, true],
      ]).toString(),
    ).toBe('Tensor([[0, 0], [1, 1]], shape=[2,2], dtype=int32)');
  });
});
