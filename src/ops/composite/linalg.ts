// Linear-algebra composites: dot, outerProduct, norm (vector and matrix norms, as TF's tf.norm).
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { requireBoolean } from '../../core/args';
import { ArgumentError, ShapeError, describe } from '../../core/errors';
import { fmtShape, normalizeAxes } from '../../core/shape';
import { mul, pow } from '../prims/binary';
import { abs, sqrt } from '../prims/unary';
import { max, sum } from '../prims/reduce';
import { matmul } from '../prims/matmul';
import { reshape, transpose } from '../prims/shape';
import { maxSingularValue } from '../prims/spectral';
import { requireFloat } from '../operands';
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
