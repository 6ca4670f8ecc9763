// Linear-algebra composites: dot, outerProduct, norm.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { ShapeError } from '../../core/errors';
import { fmtShape, normalizeAxes } from '../../core/shape';
import { mul, pow } from '../prims/binary';
import { abs, sqrt } from '../prims/unary';
import { max, min, sum } from '../prims/reduce';
import { matmul } from '../prims/matmul';
import { reshape } from '../prims/shape';
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

/**
 * Vector or matrix norm over `axis` (all axes by default): 'euclidean' (or 'fro', or 2 on a vector),
 * 1, Infinity, -Infinity, or any p > 0 for vectors.
 * @example
 * tg.norm([3, 4]); // 5
 */
export function norm(
  x: TensorLike,
  ord: NormOrd = 'euclidean',
  axis?: number | readonly number[] | null,
  keepDims = false,
): Tensor {
  const t = toTensor('norm', x);
  // NOTE: the axes are checked before the first op, or a refused axis would leave square or abs on the tape
  const axes = normalizeAxes('norm', axis, t.rank);
  if (ord === 'euclidean' || ord === 'fro' || ord === 2) return sqrt(sum(square(t), axes, keepDims));
  if (ord === 1) return sum(abs(t), axes, keepDims);
  if (ord === Infinity) return max(abs(t), axes, keepDims);
  if (ord === -Infinity) return min(abs(t), axes, keepDims);
  if (typeof ord === 'number' && ord > 0) return pow(sum(pow(abs(t), ord), axes, keepDims), 1 / ord);
  throw new ShapeError(
    `norm: unsupported ord ${String(ord)}; expected 'euclidean', 'fro', 1, 2, Infinity, -Infinity or p > 0`,
  );
}
