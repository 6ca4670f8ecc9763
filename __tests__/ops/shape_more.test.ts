// Forward values and errors of the shape and linear-algebra helpers: roll, repeat, meshgrid, mirrorPad,
// sequenceMask, oneHot's axis, gather's batchDims, einsum, tensordot, matvec, trace, diag, diagPart, bandPart.
import * as tg from '../../src';
import { expectTensor, flat } from '../helpers';
import { meshgrid, repeat, roll, sequenceMask } from '../../src/ops/composite/shape';
import type { MeshgridOptions } from '../../src/ops/composite/shape';
import { gather, mirrorPad, oneHot } from '../../src/ops/prims/shape';
import { bandPart, diag, diagPart, matvec, tensordot, trace } from '../../src/ops/composite/linalg';
import { einsum } from '../../src/ops/composite/einsum';

const m23 = () =>
  tg.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');

/** Runs `f`, expecting it to throw `cls` with a message starting with `op: `, and to record nothing. */
function refuses(op: string, cls: new (m: string) => Error, f: (x: tg.Tensor) => unknown): void {
  const x = tg.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  using tape = new tg.GradientTape();
  tape.watch(x);
  let err: unknown;
  try {
    f(x);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message.startsWith(`${op}: `)).toBe(true);
  expect(tape.toString().split('\n')).toHaveLength(1);
}

describe('roll', () => {
  test("TF's examples", () => {
    expectTensor(roll([0, 1, 2, 3, 4], 2, 0), [3, 4, 0, 1, 2], [5]);
    const t = tg.reshape(tg.range(0, 10), [2, 5]);
    expectTensor(roll(t, [1, -2], [0, 1]), [7, 8, 9, 5, 6, 2, 3, 4, 0, 1], [2, 5]);
    // the shifts of a repeated axis add: 2 - 3 = -1
    expectTensor(roll(t, [2, -3], [1, 1]), [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 5]);
  });

  test('negative axes, whole turns, empty axes and int32', () => {
    expectTensor(roll(m23(), 1, -1), [3, 1, 2, 6, 4, 5], [2, 3]);
    expectTensor(roll(m23(), 7, 1), [3, 1, 2, 6, 4, 5], [2, 3]); // 7 mod 3 = 1
    expectTensor(roll(m23(), -3, 1), [1, 2, 3, 4, 5, 6], [2, 3]);
    expect(roll(tg.zeros([0, 3]), 1, 0).shape).toEqual([0, 3]);
    const r = roll(tg.tensor([1, 2, 3], [3], 'int32'), 1, 0);
    expect(r.dtype).toBe('int32');
    expect(flat(r)).toEqual([3, 1, 2]);
  });

  test('errors', () => {
    refuses('roll', tg.ShapeError, (x) => roll(x, [1, 2], 0));
    refuses('roll', tg.ShapeError, (x) => roll(x, 1, 2));
    refuses('roll', tg.ArgumentError, (x) => roll(x, 0.5, 0));
    refuses('roll', tg.ArgumentError, (x) => roll(x, 1, 'a' as unknown as number));
    expect(() => roll(tg.scalar(1), 1, 0)).toThrow(/^roll: cannot roll a scalar/);
  });
});

describe('repeat', () => {
  test("TF's examples", () => {
    expectTensor(repeat([1, 2, 3], [3, 0, 2], 0), [1, 1, 1, 3, 3], [5]);
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    expectTensor(repeat(x, [2, 3], 0), [1, 2, 1, 2, 3, 4, 3, 4, 3, 4], [5, 2]);
    expectTensor(repeat(x, [2, 3], 1), [1, 1, 2, 2, 2, 3, 3, 4, 4, 4], [2, 5]);
    expectTensor(repeat(3, 4), [3, 3, 3, 3], [4]);
    expectTensor(repeat(x, 2), [1, 1, 2, 2, 3, 3, 4, 4], [8]);
  });

  test('negative axis, one count as a list, zero counts', () => {
    expectTensor(repeat(m23(), [2], -1), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], [2, 6]);
    expect(repeat(m23(), 0, 0).shape).toEqual([0, 3]);
  });

  test('the gradient adds the copies: d/dx sum(repeat(x, [2, 0, 1])) = [2, 0, 1]', () => {
    const x = f64([1, 2, 3]);
    expectTensor(tg.grad((v: tg.Tensor) => tg.sum(repeat(v, [2, 0, 1])))(x) as tg.Tensor, [2, 0, 1], [3]);
  });

  test('errors', () => {
    refuses('repeat', tg.ArgumentError, (x) => repeat(x, -1, 0));
    refuses('repeat', tg.ArgumentError, (x) => repeat(x, 1.5));
    refuses('repeat', tg.ShapeError, (x) => repeat(x, [1, 2], 1));
    refuses('repeat', tg.ShapeError, (x) => repeat(x, 1, 2));
    expect(() => repeat(tg.scalar(1), 2, 0)).toThrow(/^repeat: axis 0 is out of range/);
  });
});

describe('meshgrid', () => {
  test("TF's example ('xy') and 'ij'", () => {
    const [X, Y] = meshgrid([1, 2, 3], [4, 5, 6]);
    expectTensor(X, [1, 2, 3, 1, 2, 3, 1, 2, 3], [3, 3]);
    expectTensor(Y, [4, 4, 4, 5, 5, 5, 6, 6, 6], [3, 3]);
    const [A, B] = meshgrid([1, 2, 3], [4, 5], { indexing: 'ij' });
    expectTensor(A, [1, 1, 2, 2, 3, 3], [3, 2]);
    expectTensor(B, [4, 5, 4, 5, 4, 5], [3, 2]);
    const [C, D] = meshgrid([1, 2, 3], [4, 5]);
    expect(C.shape).toEqual([2, 3]);
    expect(D.shape).toEqual([2, 3]);
  });

  test('each output keeps its dtype; empty and scalar inputs', () => {
    const [X, Y] = meshgrid(tg.tensor([1, 2], [2], 'int32'), f64([0.5]));
    expect([X.dtype, Y.dtype]).toEqual(['int32', 'float64']);
    expect(meshgrid([], [1, 2])[0].shape).toEqual([2, 0]);
    expect(meshgrid(7, [1, 2])[0].shape).toEqual([2, 1]);
  });

  test('errors', () => {
    refuses('meshgrid', tg.ArgumentError, (x) => meshgrid(x, x, { indexing: 'yx' as 'xy' }));
    refuses('meshgrid', tg.ArgumentError, (x) => meshgrid(x, x, { index: 'ij' } as MeshgridOptions));
  });
});

describe('mirrorPad', () => {
  test("TF's examples (tf.pad with REFLECT and SYMMETRIC)", () => {
    const p: [number, number][] = [
      [1, 1],
      [2, 2],
    ];
    expectTensor(
      mirrorPad(m23(), p, 'reflect'),
      [6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1],
      [4, 7],
    );
    expectTensor(
      mirrorPad(m23(), p, 'symmetric'),
      [2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5],
      [4, 7],
    );
    expectTensor(mirrorPad([1, 2, 3], [[0, 2]], 'REFLECT' as 'reflect'), [1, 2, 3, 2, 1], [5]);
  });

  test("the gradient is TF's MirrorPadGrad example: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] folds to [[1, 5], [11, 28]]", () => {
    const x = f64([
      [0, 0],
      [0, 0],
    ]);
    const dy = f64([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const { vjp } = tg.vjp(
      (v: tg.Tensor) =>
        mirrorPad(
          v,
          [
            [0, 1],
            [0, 1],
          ],
          'symmetric',
        ),
      x,
    );
    // 1; 2 + 3; 4 + 7; 5 + 6 + 8 + 9
    expectTensor(vjp(dy) as tg.Tensor, [1, 5, 11, 28], [2, 2]);
  });

  test('no padding returns x; scalar; empty', () => {
    const x = m23();
    expect(
      mirrorPad(
        x,
        [
          [0, 0],
          [0, 0],
        ],
        'reflect',
      ),
    ).toBe(x);
    expectTensor(mirrorPad(5, [], 'symmetric'), [5], []);
  });

  test('errors', () => {
    refuses('mirrorPad', tg.ShapeError, (x) =>
      mirrorPad(
        x,
        [
          [2, 0],
          [0, 0],
        ],
        'reflect',
      ),
    );
    refuses('mirrorPad', tg.ShapeError, (x) =>
      mirrorPad(
        x,
        [
          [0, 0],
          [0, 4],
        ],
        'symmetric',
      ),
    );
    refuses('mirrorPad', tg.ShapeError, (x) => mirrorPad(x, [[1, 1]], 'reflect'));
    refuses('mirrorPad', tg.ArgumentError, (x) =>
      mirrorPad(
        x,
        [
          [1, 1],
          [1, 1],
        ],
        'edge' as 'reflect',
      ),
    );
  });
});

describe('sequenceMask', () => {
  test("TF's examples", () => {
    const a = sequenceMask([1, 3, 2], 5);
    expect(a.dtype).toBe('bool');
    expect(a.shape).toEqual([3, 5]);
    expect(flat(a)).toEqual([1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
    const b = sequenceMask([
      [1, 3],
      [2, 0],
    ]);
    expect(b.shape).toEqual([2, 2, 3]);
    expect(flat(b)).toEqual([1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });

  test('scalar lengths, maxlen 0, empty lengths with maxlen', () => {
    expect(flat(sequenceMask(2, 3))).toEqual([1, 1, 0]);
    expect(sequenceMask([1, 2], 0).shape).toEqual([2, 0]);
    expect(sequenceMask(tg.tensor([], [0], 'int32'), 2).shape).toEqual([0, 2]);
  });

  test('errors', () => {
    expect(() => sequenceMask(tg.tensor([1.5]), 2)).toThrow(
      new tg.DTypeError('sequenceMask: lengths must be int32, got float32'),
    );
    expect(() => sequenceMask([1], -1)).toThrow(/^sequenceMask: maxlen must be an integer in \[0, 2147483647\]/);
    expect(() => sequenceMask(tg.tensor([], [0], 'int32'))).toThrow(/^sequenceMask: lengths is empty/);
    expect(() => sequenceMask([-2, -1])).toThrow(/^sequenceMask: the largest length, -1, is negative/);
  });
});

describe('oneHot with axis', () => {
  test("TF's examples", () => {
    // indices [0, 2, -1, 1], depth 3, on 5, off 0
    expectTensor(oneHot([0, 2, -1, 1], 3, 5, 0), [5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5, 0], [4, 3]);
    expectTensor(oneHot([0, 2, -1, 1], 3, 5, 0, undefined, 0), [5, 0, 0, 0, 0, 0, 0, 5, 0, 5, 0, 0], [3, 4]);
    const idx = [
      [0, 2],
      [1, -1],
    ];
    expectTensor(oneHot(idx, 3, 1, 0, 'float32', -1), [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0], [2, 2, 3]);
    // axis 1: out[i, k, j] = (idx[i][j] === k)
    expectTensor(oneHot(idx, 3, 1, 0, 'float32', 1), [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0], [2, 3, 2]);
    expectTensor(oneHot(2, 3, 1, 0, 'int32', 0), [0, 0, 1], [3]);
  });

  test('errors', () => {
    expect(() => oneHot([0, 1], 3, 1, 0, undefined, 2)).toThrow(
      new tg.ShapeError('oneHot: axis must be -1 or in [0, 1] for indices of rank 1, got 2'),
    );
    expect(() => oneHot([0, 1], 3, 1, 0, undefined, -2)).toThrow(/^oneHot: axis must be -1 or in/);
    expect(() => oneHot([0, 1], 3, 1, 0, undefined, 0.5)).toThrow(tg.ArgumentError);
  });
});

describe('gather with batchDims', () => {
  test('batchDims 1: each row takes its own indices', () => {
    const x = tg.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // row 0 takes [2, 0] → [3, 1]; row 1 takes [1, 1] → [5, 5]
    expectTensor(
      gather(
        x,
        [
          [2, 0],
          [1, 1],
        ],
        1,
        1,
      ),
      [3, 1, 5, 5],
      [2, 2],
    );
    // axis defaults to batchDims (TF's None); batchDims -1 counts from the rank of the indices
    expectTensor(
      gather(
        x,
        [
          [2, 0],
          [1, 1],
        ],
        undefined,
        -1,
      ),
      [3, 1, 5, 5],
      [2, 2],
    );
    expectTensor(gather(x, [[1], [0]], 1, 1), [2, 4], [2, 1]);
  });

  test('batchDims 1 with an axis after an outer one: x [2, 2, 3], indices [2, 1]', () => {
    const x = tg.reshape(tg.range(0, 12), [2, 2, 3]);
    // batch 0 takes column 2 of [[0, 1, 2], [3, 4, 5]]: [[2], [5]]; batch 1 column 0 of [[6..8], [9..11]]: [[6], [9]]
    expectTensor(gather(x, [[2], [0]], 2, 1), [2, 5, 6, 9], [2, 2, 1]);
    // batchDims 1 at axis 1: batch 0 takes row 1, batch 1 row 0
    expectTensor(gather(x, [1, 0], 1, 1), [3, 4, 5, 6, 7, 8], [2, 3]);
  });

  test('the gradient adds up repeated indices per batch', () => {
    const x = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const g = tg.grad((v: tg.Tensor) =>
      tg.sum(
        gather(
          v,
          [
            [2, 2],
            [0, 1],
          ],
          1,
          1,
        ),
      ),
    )(x) as tg.Tensor;
    expectTensor(g, [0, 0, 2, 1, 1, 0], [2, 3]);
  });

  test('errors', () => {
    refuses('gather', tg.ShapeError, (x) => gather(x, [[0], [0]], 0, 1));
    refuses('gather', tg.ShapeError, (x) => gather(x, [[0], [0], [0]], 1, 1));
    refuses('gather', tg.ShapeError, (x) => gather(x, [0, 1], 1, 2));
    refuses('gather', tg.ArgumentError, (x) => gather(x, [0], 1, 0.5));
  });
});

describe('einsum', () => {
  const a = () =>
    tg.tensor([
      [1, 2],
      [3, 4],
    ]);
  const b = () =>
    tg.tensor([
      [5, 6],
      [7, 8],
    ]);

  test('matmul, transpose, dot, outer product, sums (explicit and implicit)', () => {
    expectTensor(einsum('ij,jk->ik', a(), b()), [19, 22, 43, 50], [2, 2]);
    expectTensor(einsum('ij,jk', a(), b()), [19, 22, 43, 50], [2, 2]);
    // implicit output sorts the labels: 'ba' gives 'ab', the transpose
    expectTensor(einsum('ba', m23()), [1, 4, 2, 5, 3, 6], [3, 2]);
    expectTensor(einsum('ij->ji', m23()), [1, 4, 2, 5, 3, 6], [3, 2]);
    expectTensor(einsum('i,i', [1, 2, 3], [4, 5, 6]), 32, []); // 4 + 10 + 18
    expectTensor(einsum('i,j->ij', [1, 2], [3, 4, 5]), [3, 4, 5, 6, 8, 10], [2, 3]);
    expectTensor(einsum('ij->', m23()), 21, []);
    expectTensor(einsum('ij->j', m23()), [5, 7, 9], [3]);
    // 'ij,ij->ij' is the elementwise product, 'ij,ij' its sum
    expectTensor(einsum('ij,ij->ij', a(), b()), [5, 12, 21, 32], [2, 2]);
    expectTensor(einsum('ij,ij', a(), b()), 70, []);
    expectTensor(einsum(' i j , j k -> i k ', a(), b()), [19, 22, 43, 50], [2, 2]);
  });

  test('repeated labels: trace, diagonal, inflation', () => {
    expectTensor(einsum('ii', a()), 5, []);
    expectTensor(einsum('ii->i', a()), [1, 4], [2]);
    expectTensor(einsum('i->ii', [1, 2]), [1, 0, 0, 2], [2, 2]);
    const t = tg.reshape(tg.range(0, 8), [2, 2, 2]);
    // 'ijj->i': t[0,0,0] + t[0,1,1] = 0 + 3, t[1,0,0] + t[1,1,1] = 4 + 7
    expectTensor(einsum('ijj->i', t), [3, 11], [2]);
    expectTensor(einsum('iii', t), 7, []); // 0 + 7
  });

  test('batches and ellipses, with size-1 broadcasting', () => {
    const x = tg.reshape(tg.range(0, 8, 1, 'float32'), [2, 2, 2]);
    // batch 0: [[0, 1], [2, 3]]·[[1, 2], [3, 4]] = [[3, 4], [11, 16]]; batch 1: [[4, 5], [6, 7]]·… = [[19, 28], [27, 40]]
    expectTensor(einsum('bij,jk->bik', x, a()), [3, 4, 11, 16, 19, 28, 27, 40], [2, 2, 2]);
    expectTensor(einsum('...ij,jk->...ik', x, a()), [3, 4, 11, 16, 19, 28, 27, 40], [2, 2, 2]);
    expectTensor(einsum('...ij,...jk', x, tg.reshape(a(), [1, 2, 2])), [3, 4, 11, 16, 19, 28, 27, 40], [2, 2, 2]);
    // the ellipsis goes first in implicit mode: '...ij' → '...ij'; in explicit mode anywhere
    expectTensor(einsum('i...->...i', m23()), [1, 4, 2, 5, 3, 6], [3, 2]);
    // broadcast of [2, 1] with [1, 3] in the ellipsis axes, nothing contracted
    const p = tg.tensor([[1], [2]]);
    const q = tg.tensor([[10, 20, 30]]);
    expectTensor(einsum('...,...->...', p, q), [10, 20, 30, 20, 40, 60], [2, 3]);
  });

  test('three operands and int32', () => {
    // [1, 2]·[[1, 2], [3, 4]] = [7, 10]; ·[5, 6] = 35 + 60
    expectTensor(einsum('i,ij,j->', [1, 2], a(), [5, 6]), 95, []);
    const r = einsum('ij,jk->ik', tg.tensor([[1, 2]], [1, 2], 'int32'), tg.tensor([[3], [4]], [2, 1], 'int32'));
    expect(r.dtype).toBe('int32');
    expect(flat(r)).toEqual([11]);
  });

  test('empty axes', () => {
    expectTensor(einsum('ij,jk->ik', tg.zeros([2, 0]), tg.zeros([0, 3])), [0, 0, 0, 0, 0, 0], [2, 3]);
    expect(einsum('ij->ji', tg.zeros([0, 3])).shape).toEqual([3, 0]);
  });

  test('errors', () => {
    refuses('einsum', tg.ArgumentError, (x) => einsum('ij,jk->ik', x));
    refuses('einsum', tg.ArgumentError, (x) => einsum('ij->i->j', x));
    refuses('einsum', tg.ArgumentError, (x) => einsum('i1->i', x));
    refuses('einsum', tg.ArgumentError, (x) => einsum('ij->k', x));
    refuses('einsum', tg.ArgumentError, (x) => einsum('......->', x));
    refuses('einsum', tg.ArgumentError, (x) => einsum(5 as unknown as string, x));
    refuses('einsum', tg.ShapeError, (x) => einsum('ijk->i', x));
    refuses('einsum', tg.ShapeError, (x) => einsum('ij,ij->ij', x, tg.ones([3, 2])));
    refuses('einsum', tg.ShapeError, (x) => einsum('ii', x));
    refuses('einsum', tg.ShapeError, (x) => einsum('...j->j', x));
    refuses('einsum', tg.ShapeError, (x) => einsum('...j,...j->...j', x, tg.ones([3, 3])));
    refuses('einsum', tg.DTypeError, (x) => einsum('ij,ij', x, tg.ones([2, 3], 'float64')));
    expect(() => einsum('i', tg.tensor([true]))).toThrow(
      new tg.DTypeError('einsum: expected numeric operands, got bool'),
    );
  });
});

describe('tensordot, matvec', () => {
  const a = () =>
    tg.tensor([
      [1, 2],
      [3, 4],
    ]);
  const b = () =>
    tg.tensor([
      [5, 6],
      [7, 8],
    ]);

  test('tensordot with an integer and with axis lists', () => {
    expectTensor(tensordot(a(), b(), 1), [19, 22, 43, 50], [2, 2]);
    expectTensor(tensordot(a(), b(), 2), 70, []); // 5 + 12 + 21 + 32
    expectTensor(tensordot(a(), b(), 0), [5, 6, 7, 8, 10, 12, 14, 16, 15, 18, 21, 24, 20, 24, 28, 32], [2, 2, 2, 2]);
    // a's axis 0 with b's axis 0: aᵀb = [[1*5 + 3*7, 1*6 + 3*8], [2*5 + 4*7, 2*6 + 4*8]]
    expectTensor(tensordot(a(), b(), [[0], [0]]), [26, 30, 38, 44], [2, 2]);
    expectTensor(tensordot(a(), b(), [0, -2]), [26, 30, 38, 44], [2, 2]);
    const x = tg.reshape(tg.range(0, 6), [1, 2, 3]);
    expect(
      tensordot(x, tg.ones([3, 2, 4]), [
        [2, 1],
        [0, 1],
      ]).shape,
    ).toEqual([1, 4]);
  });

  test('tensordot errors', () => {
    refuses('tensordot', tg.ShapeError, (x) => tensordot(x, x, 1));
    refuses('tensordot', tg.ShapeError, (x) => tensordot(x, x, 3));
    refuses('tensordot', tg.ArgumentError, (x) => tensordot(x, x, -1));
    refuses('tensordot', tg.ArgumentError, (x) => tensordot(x, x, 'a' as unknown as number));
    refuses('tensordot', tg.ShapeError, (x) => tensordot(x, x, [[0, 1], [0]]));
    refuses('tensordot', tg.ShapeError, (x) =>
      tensordot(x, x, [
        [0, 0],
        [0, 0],
      ]),
    );
    refuses('tensordot', tg.ShapeError, (x) => tensordot(x, tg.ones([2, 3], 'float64'), [[1], [0]]));
  });

  test('matvec, batched and broadcast', () => {
    expectTensor(matvec(a(), [5, 6]), [17, 39], [2]);
    const batch = tg.stack([a(), b()]);
    // [[5, 6], [7, 8]]·[1, 1] = [11, 15]
    expectTensor(matvec(batch, [1, 1]), [3, 7, 11, 15], [2, 2]);
    expectTensor(
      matvec(a(), [
        [1, 0],
        [0, 1],
      ]),
      [1, 3, 2, 4],
      [2, 2],
    );
  });

  test('matvec errors', () => {
    refuses('matvec', tg.ShapeError, (x) => matvec(x, [1, 2]));
    refuses('matvec', tg.ShapeError, (x) => matvec([1, 2, 3], x));
    refuses('matvec', tg.ShapeError, (_x) => matvec(tg.ones([2, 2, 3]), tg.ones([3, 3])));
    expect(() => matvec(tg.ones([2, 2], 'bool'), tg.ones([2], 'bool'))).toThrow(/^matvec: /);
  });
});

describe('trace, diag, diagPart, bandPart', () => {
  test("trace: TF's examples", () => {
    expectTensor(
      trace([
        [1, 2],
        [3, 4],
      ]),
      5,
      [],
    );
    const x = tg.reshape(tg.range(1, 10), [3, 3]);
    expectTensor(trace(x), 15, []);
    expectTensor(trace(tg.stack([x, tg.neg(x)])), [15, -15], [2]);
    expectTensor(trace(tg.reshape(tg.range(1, 7), [2, 3])), 6, []); // 1 + 5
    expect(() => trace([1, 2])).toThrow(new tg.ShapeError('trace: expected a tensor of rank >= 2, got shape [2]'));
  });

  test('diag and diagPart, batched and non-square', () => {
    expectTensor(diag([1, 2]), [1, 0, 0, 2], [2, 2]);
    expectTensor(
      diag([
        [1, 2],
        [3, 4],
      ]),
      [1, 0, 0, 2, 3, 0, 0, 4],
      [2, 2, 2],
    );
    expect(diag(tg.zeros([0])).shape).toEqual([0, 0]);
    expectTensor(diagPart(m23()), [1, 5], [2]);
    expectTensor(diagPart(tg.transpose(m23())), [1, 5], [2]);
    expectTensor(diagPart(tg.reshape(tg.range(0, 8), [2, 2, 2])), [0, 3, 4, 7], [2, 2]);
    expect(diag(tg.tensor([true, false])).dtype).toBe('bool');
    expect(() => diag(5)).toThrow(new tg.ShapeError('diag: expected a tensor of rank >= 1, got a scalar'));
    expect(() => diagPart([1])).toThrow(/^diagPart: expected a tensor of rank >= 2/);
  });

  test("bandPart: TF's examples", () => {
    const x = tg.tensor([
      [0, 1, 2, 3],
      [-1, 0, 1, 2],
      [-2, -1, 0, 1],
      [-3, -2, -1, 0],
    ]);
    expectTensor(bandPart(x, 1, -1), [0, 1, 2, 3, -1, 0, 1, 2, 0, -1, 0, 1, 0, 0, -1, 0], [4, 4]);
    expectTensor(bandPart(x, 2, 1), [0, 1, 0, 0, -1, 0, 1, 0, -2, -1, 0, 1, 0, -2, -1, 0], [4, 4]);
    // the diagonal, and the lower triangle
    expectTensor(bandPart(x, 0, 0), new Array<number>(16).fill(0), [4, 4]);
    expectTensor(bandPart(m23(), -1, 0), [1, 0, 0, 4, 5, 0], [2, 3]);
    const i = bandPart(
      tg.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      0,
      -1,
    );
    expect(i.dtype).toBe('int32');
    expect(flat(i)).toEqual([1, 2, 0, 4]);
  });

  test('bandPart errors', () => {
    refuses('bandPart', tg.ArgumentError, (x) => bandPart(x, 3, 0));
    refuses('bandPart', tg.ArgumentError, (x) => bandPart(x, 0, 4));
    refuses('bandPart', tg.ArgumentError, (x) => bandPart(x, 0.5, 0));
    expect(() => bandPart([1, 2], 0, 0)).toThrow(/^bandPart: expected a tensor of rank >= 2/);
  });
});
