// Linear-algebra composites: dot, outerProduct, norm (vector and matrix norms, as TF's tf.norm), tensordot,
// matvec, and the diagonal helpers diag, diagPart, trace, bandPart.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { requireBoolean, requireInteger } from '../../core/args';
import { ArgumentError, ShapeError, describe } from '../../core/errors';
import { broadcastShapes, checkShape, fmtShape, normalizeAxes, normalizeAxis } from '../../core/shape';
import { mul, pow } from '../prims/binary';
import { abs, sqrt } from '../prims/unary';
import { max, sum } from '../prims/reduce';
import { matmul } from '../prims/matmul';
import { reshape, transpose } from '../prims/shape';
import { maxSingularValue } from '../prims/spectral';
import { binaryOperands, requireFloat, requireNumeric } from '../operands';
import { diagPartOf, diagPlaceOf } from '../prims/diag';
import { where } from '../prims/select';
import { zeros } from '../create';
import { square } from './arith';

/**
 * Dot product of vectors, or matrix-vector / matrix-matrix product for rank 1 and 2 operands.
 * @example
 * tg.dot([1, 2, 3], [4, 5, 6]); // 32  (4 + 10 + 18)
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor('dot', a);
  const y = toTensor('dot', b);
  if (x.rank < 1 || x.rank > 2 || y.rank < 1 || y.rank > 2) {
    throw new ShapeError(`dot: expected operands of rank 1 or 2, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  if (x.shape[x.rank - 1] !== y.shape[0])
    throw new ShapeError(`dot: inner dimensions differ: ${fmtShape(x.shape)} . ${fmtShape(y.shape)}`);
  const x2 = x.rank === 1 ? reshape(x, [1, -1]) : x;
  const y2 = y.rank === 1 ? reshape(y, [-1, 1]) : y;
  const out = matmul(x2, y2);
  const shape = [...(x.rank === 2 ? [x.shape[0]] : []), ...(y.rank === 2 ? [y.shape[1]] : [])];
  return reshape(out, shape);
}

/**
 * a_i · b_j for vectors a and b.
 * @example
 * tg.outerProduct([1, 2], [3, 4]); // [[3, 4], [6, 8]]
 */
export function outerProduct(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor('outerProduct', a);
  const y = toTensor('outerProduct', b);
  if (x.rank !== 1 || y.rank !== 1)
    throw new ShapeError(`outerProduct: expected two vectors, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  return mul(reshape(x, [-1, 1]), reshape(y, [1, -1]));
}

/** The orders `norm` accepts. */
export type NormOrd = 'euclidean' | 'fro' | number;

/** How an ord is written in an error message. */
function ordText(ord: unknown): string {
  return typeof ord === 'string' ? ord : describe(ord);
}

/**
 * Vector or matrix norm, as TF's `tf.norm`. `axis` null (the default) treats the whole tensor as one
 * vector; an integer gives vector norms along that axis; a pair `[a, b]` gives matrix norms of the
 * matrices in axes a (rows) and b (columns). Vector ords: 'euclidean' (= 2), 1, Infinity or any p > 0.
 * Matrix ords: 'euclidean' or 'fro' (Frobenius), 1 (the largest column sum of |x|), Infinity (the
 * largest row sum) and 2 (the largest singular value).
 * @example
 * tg.norm([3, 4]); // 5
 * tg.norm([[1, -2], [3, 4]], 1, [0, 1]); // 6  (column sums 4 and 6)
 */
export function norm(
  x: TensorLike,
  ord: NormOrd = 'euclidean',
  axis?: number | readonly number[] | null,
  keepDims = false,
): Tensor {
  const t = toTensor('norm', x);
  // NOTE: the arguments are checked as TF's norm checks them (linalg_ops.py), and before the first op,
  // or a refused one would leave square or abs on the tape
  requireBoolean('norm', 'keepDims', keepDims);
  const matrix = Array.isArray(axis) && axis.length === 2;
  if (
    !(axis === undefined || axis === null || Number.isInteger(axis)) &&
    !(matrix && (axis as readonly unknown[]).every((a) => Number.isInteger(a)))
  ) {
    throw new ArgumentError(`norm: axis must be null, an integer or a pair of integers, got ${describe(axis)}`);
  }
  // a repeated axis ([1, 1], or [0, -2] on a matrix) is refused here, as TF refuses axis[0] == axis[1]
  const axes = normalizeAxes('norm', axis, t.rank);
  const where = axis === undefined || axis === null ? 'over all axes' : `over axis ${describe(axis)}`;
  if (matrix) {
    if (!(ord === 'euclidean' || ord === 'fro' || ord === 1 || ord === 2 || ord === Infinity)) {
      throw new ArgumentError(
        `norm: unsupported ord ${ordText(ord)} for a matrix norm ${where}; expected 'euclidean', 'fro', 1, 2 or Infinity`,
      );
    }
  } else if (!(ord === 'euclidean' || (typeof ord === 'number' && ord > 0))) {
    // NOTE: as TF, 'fro' is for matrix norms only, and ord <= 0 (-Infinity too) is refused; a NaN ord
    // is refused too (TF's `ord <= 0` test lets it through, to give NaN)
    throw new ArgumentError(
      `norm: unsupported ord ${ordText(ord)} for a vector norm ${where}; expected 'euclidean', 1, 2, Infinity or p > 0` +
        (ord === 'fro' ? ` ('fro' needs two axes, e.g. [-2, -1])` : ''),
    );
  }
  if (ord === 2 && matrix) requireFloat('norm', t);
  if (ord === 'euclidean' || ord === 'fro' || ord === 2) {
    if (!matrix || ord !== 2) return sqrt(sum(square(t), axes, keepDims));
    // ‖A‖₂ = σ_max(A): the two axes moved last, in the order given (TF transposes likewise)
    const [r, c] = axis as readonly number[];
    const [ra, ca] = [r < 0 ? r + t.rank : r, c < 0 ? c + t.rank : c];
    const rest = t.shape.map((_, i) => i).filter((i) => i !== ra && i !== ca);
    const perm = [...rest, ra, ca];
    const moved = perm.every((p, i) => p === i) ? t : transpose(t, perm);
    const s = maxSingularValue(moved, 'norm');
    return keepDims
      ? reshape(
          s,
          t.shape.map((d, i) => (i === ra || i === ca ? 1 : d)),
        )
      : s;
  }
  const shape = t.shape.filter((_, i) => !axes.includes(i));
  const finish = (y: Tensor): Tensor => (keepDims ? y : reshape(y, shape));
  if (matrix) {
    const [r, c] = (axis as readonly number[]).map((a) => (a < 0 ? a + t.rank : a));
    // ord 1: the sums over the first axis, then their max over the second; Infinity: the other way round (TF)
    return ord === 1 ? finish(max(sum(abs(t), r, true), c, true)) : finish(max(sum(abs(t), c, true), r, true));
  }
  if (ord === 1) return sum(abs(t), axes, keepDims);
  if (ord === Infinity) return max(abs(t), axes, keepDims);
  return pow(sum(pow(abs(t), ord), axes, keepDims), 1 / ord);
}

/** tensordot's contracted axes of a and b, normalised, from an integer or a pair of axis lists. */
function tensordotAxes(a: Tensor, b: Tensor, axes: unknown): [number[], number[]] {
  let aAxes: number[];
  let bAxes: number[];
  if (typeof axes === 'number') {
    // TF: an integer n contracts the last n axes of a with the first n of b
    const n = requireInteger('tensordot', 'axes', axes, 0);
    if (n > a.rank || n > b.rank)
      throw new ShapeError(
        `tensordot: axes ${n} is more than the rank of ${fmtShape(a.rank < b.rank ? a.shape : b.shape)}`,
      );
    aAxes = Array.from({ length: n }, (_, i) => a.rank - n + i);
    bAxes = Array.from({ length: n }, (_, i) => i);
  } else {
    const list = (v: unknown): unknown[] | undefined =>
      typeof v === 'number' ? [v] : Array.isArray(v) ? (v as unknown[]) : undefined;
    const pair = Array.isArray(axes) && axes.length === 2 ? [list(axes[0]), list(axes[1])] : undefined;
    if (pair === undefined || pair[0] === undefined || pair[1] === undefined)
      throw new ArgumentError(
        `tensordot: axes must be an integer or a pair of axis lists [aAxes, bAxes], got ${describe(axes)}`,
      );
    const [pa, pb] = pair as [unknown[], unknown[]];
    if (pa.length !== pb.length)
      throw new ShapeError(`tensordot: the two axis lists must have one length, got ${pa.length} and ${pb.length}`);
    aAxes = pa.map((x) => normalizeAxis('tensordot', x, a.rank));
    bAxes = pb.map((x) => normalizeAxis('tensordot', x, b.rank));
    for (const [ax, t] of [
      [aAxes, a],
      [bAxes, b],
    ] as const)
      if (new Set(ax).size !== ax.length)
        throw new ShapeError(`tensordot: repeated axis in [${ax.join(',')}] for shape ${fmtShape(t.shape)}`);
  }
  aAxes.forEach((ax, i) => {
    if (a.shape[ax] !== b.shape[bAxes[i]])
      throw new ShapeError(
        `tensordot: axis ${ax} of ${fmtShape(a.shape)} and axis ${bAxes[i]} of ${fmtShape(b.shape)} differ in size`,
      );
  });
  return [aAxes, bAxes];
}

/**
 * Sums the products of `a` and `b` over the given axes, as TF's `tensordot`: `axes` is an integer n
 * (the last n axes of a with the first n of b) or a pair of axis lists; the result has a's free axes,
 * then b's.
 * @example
 * tg.tensordot([[1, 2], [3, 4]], [[5, 6], [7, 8]], 1); // [[19, 22], [43, 50]]
 * tg.tensordot([[1, 2], [3, 4]], [[5, 6], [7, 8]], [[0], [0]]); // [[26, 30], [38, 44]]  (1*5 + 3*7 …)
 */
export function tensordot(
  a: TensorLike,
  b: TensorLike,
  axes: number | readonly [number | readonly number[], number | readonly number[]],
): Tensor {
  // the axes are checked on the operands before a mixed-dtype pair is cast
  const [x, y] = binaryOperands('tensordot', a, b, (_op, p, q) => tensordotAxes(p, q, axes));
  requireNumeric('tensordot', x);
  const [aAxes, bAxes] = tensordotAxes(x, y, axes);
  const freeA = x.shape.map((_, i) => i).filter((i) => !aAxes.includes(i));
  const freeB = y.shape.map((_, i) => i).filter((i) => !bAxes.includes(i));
  const size = (t: Tensor, ax: readonly number[]) => ax.reduce((n, i) => n * t.shape[i], 1);
  const left = reshape(transpose(x, [...freeA, ...aAxes]), [size(x, freeA), size(x, aAxes)]);
  const right = reshape(transpose(y, [...bAxes, ...freeB]), [size(y, bAxes), size(y, freeB)]);
  return reshape(matmul(left, right), [...freeA.map((i) => x.shape[i]), ...freeB.map((i) => y.shape[i])]);
}

/** matvec's shape check: a [..., m, n] and x [..., n] with broadcasting batch axes. */
function checkMatvec(a: Tensor, x: Tensor): void {
  if (a.rank < 2 || x.rank < 1)
    throw new ShapeError(
      `matvec: expected a matrix (rank >= 2) and a vector (rank >= 1), got ${fmtShape(a.shape)} and ${fmtShape(x.shape)}`,
    );
  if (a.shape[a.rank - 1] !== x.shape[x.rank - 1])
    throw new ShapeError(`matvec: inner dimensions differ: ${fmtShape(a.shape)} x ${fmtShape(x.shape)}`);
  broadcastShapes('matvec', a.shape.slice(0, -2), x.shape.slice(0, -1));
}

/**
 * The product of matrices and vectors, as TF's `linalg.matvec`: `a` [..., m, n] times `x` [..., n]
 * gives [..., m]; leading (batch) axes broadcast.
 * @example
 * tg.matvec([[1, 2], [3, 4]], [5, 6]); // [17, 39]  (1*5 + 2*6, 3*5 + 4*6)
 */
export function matvec(a: TensorLike, x: TensorLike): Tensor {
  const [m, v] = binaryOperands('matvec', a, x, (_op, p, q) => checkMatvec(p, q));
  checkMatvec(m, v);
  requireNumeric('matvec', m);
  const out = matmul(m, reshape(v, [...v.shape, 1]));
  return reshape(out, out.shape.slice(0, -1));
}

/** The groups of diagPart/diagPlace for the last two axes of a rank-r tensor: the others alone. */
function lastTwo(rank: number): number[][] {
  return [...Array.from({ length: rank - 2 }, (_, i) => [i]), [rank - 2, rank - 1]];
}

/** Refuses a tensor of rank below 2. */
function requireMatrix(op: string, t: Tensor): void {
  if (t.rank < 2) throw new ShapeError(`${op}: expected a tensor of rank >= 2, got shape ${fmtShape(t.shape)}`);
}

/**
 * The diagonal of the matrices in the last two axes, as TF's `linalg.diag_part`: [..., m, n] gives
 * [..., min(m, n)].
 * @example
 * tg.diagPart([[1, 2], [3, 4]]); // [1, 4]
 */
export function diagPart(x: TensorLike): Tensor {
  const t = toTensor('diagPart', x);
  requireMatrix('diagPart', t);
  return diagPartOf(t, lastTwo(t.rank));
}

/**
 * Matrices with the last axis of `x` on their diagonal and zeros elsewhere, as TF's `linalg.diag`:
 * [..., n] gives [..., n, n].
 * @example
 * tg.diag([1, 2]); // [[1, 0], [0, 2]]
 */
export function diag(x: TensorLike): Tensor {
  const t = toTensor('diag', x);
  if (t.rank < 1) throw new ShapeError(`diag: expected a tensor of rank >= 1, got a scalar`);
  const n = t.shape[t.rank - 1];
  const full = checkShape('diag', [...t.shape, n]);
  return diagPlaceOf(t, full, lastTwo(t.rank + 1));
}

/**
 * The sum of the diagonal of the matrices in the last two axes, as TF's `linalg.trace`.
 * @example
 * tg.trace([[1, 2], [3, 4]]); // 5  (1 + 4)
 */
export function trace(x: TensorLike): Tensor {
  const t = toTensor('trace', x);
  requireMatrix('trace', t);
  requireNumeric('trace', t);
  return sum(diagPartOf(t, lastTwo(t.rank)), -1);
}

/**
 * Keeps the band of the matrices in the last two axes, zeros elsewhere, as TF's `linalg.band_part`:
 * `numLower` diagonals below the main one and `numUpper` above (a negative count keeps the whole triangle).
 * @example
 * tg.bandPart([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 0, 1); // [[1, 2, 0], [0, 5, 6], [0, 0, 9]]
 */
export function bandPart(x: TensorLike, numLower: number, numUpper: number): Tensor {
  const t = toTensor('bandPart', x);
  requireMatrix('bandPart', t);
  requireInteger('bandPart', 'numLower', numLower);
  requireInteger('bandPart', 'numUpper', numUpper);
  const [rows, cols] = t.shape.slice(-2);
  // TF's MatrixBandPart: each count is negative or at most the number of rows (columns)
  if (numLower > rows)
    throw new ArgumentError(`bandPart: numLower must be negative or at most ${rows}, the rows, got ${numLower}`);
  if (numUpper > cols)
    throw new ArgumentError(`bandPart: numUpper must be negative or at most ${cols}, the columns, got ${numUpper}`);
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      keep[i * cols + j] = (numLower < 0 || i - j <= numLower) && (numUpper < 0 || j - i <= numUpper) ? 1 : 0;
  // a where: its gradient is the band of dy, as TF's MatrixBandPart gradient
  return where(new Tensor(keep, [rows, cols], 'bool'), t, zeros([], t.dtype));
}
