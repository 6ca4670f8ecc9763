// tg.linalg's least-squares composites: pinv (through the SVD, TF's default cutoff) and lstsq (the
// regularised normal equations solved by Cholesky, TF's fast path); their gradients come through the parts.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { requireFiniteNumber, requireOptions } from '../../core/args';
import { ArgumentError, DTypeError, ShapeError } from '../../core/errors';
import { fmtShape } from '../../core/shape';
import type { Tensor } from '../../core/tensor';
import { eye, scalar } from '../create';
import { requireFloat } from '../operands';
import { add, div, greater, mul } from '../prims/binary';
import { cholesky, triangularSolve } from '../prims/linalg_factor';
import { svd } from '../prims/linalg_decomp';
import { matmul } from '../prims/matmul';
import { max } from '../prims/reduce';
import { reshape } from '../prims/shape';
import { where } from '../prims/select';

const EPS = { float32: 1.1920928955078125e-7, float64: 2.220446049250313e-16 };

/**
 * The Moore–Penrose pseudo-inverse of the matrices in the last two axes (`[..., m, n]` → `[..., n, m]`),
 * V diag(1/s) Uᵀ over the singular values above rcond·max(s), as TF's `tf.linalg.pinv`; rcond defaults to
 * 10·max(m, n)·eps of the dtype. Differentiable through the SVD (where the kept singular values are distinct).
 * @example
 * tg.linalg.pinv([[1, 0], [0, 2], [0, 0]]); // [[1, 0, 0], [0, 0.5, 0]]
 */
export function pinv(a: TensorLike, rcond?: number): Tensor {
  const op = 'linalg.pinv';
  const x = toTensor(op, a);
  requireFloat(op, x);
  if (x.rank < 2)
    throw new ShapeError(
      `${op}: expected a tensor of rank >= 2 (matrices in the last two axes), got ${fmtShape(x.shape)}`,
    );
  const [m, n] = x.shape.slice(-2);
  const dtype = x.dtype as 'float32' | 'float64';
  const rc = rcond === undefined ? 10 * Math.max(m, n) * EPS[dtype] : requireFiniteNumber(op, 'rcond', rcond);
  if (rc < 0) throw new ArgumentError(`${op}: rcond must be >= 0, got ${rc}`);
  const { s, u, v } = svd(x);
  const p = Math.min(m, n);
  if (p === 0) return reshape(matmul(v, u, false, true), [...x.shape.slice(0, -2), n, m]);
  const cutoff = mul(max(s, [-1], true), scalar(rc, dtype));
  // singular values at or below the cutoff count as infinite: their reciprocal is 0
  const kept = where(greater(s, cutoff), s, scalar(Infinity, dtype));
  const scaled = div(v, reshape(kept, [...kept.shape.slice(0, -1), 1, p]));
  return matmul(scaled, u, false, true);
}

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /** λ >= 0 of min ‖A X − B‖² + λ‖X‖². Default 0. */
  l2Regularizer?: number;
}

/**
 * The least-squares solutions X `[..., n, k]` of A X ≈ B for A `[..., m, n]` and B `[..., m, k]`, as TF's
 * `tf.linalg.lstsq` with fast=True: (AᵀA + λI)⁻¹ AᵀB when m >= n, Aᵀ(AAᵀ + λI)⁻¹ B (the minimum-norm
 * solution) when m < n, by Cholesky; A must have full rank unless λ > 0 (else an error from the Cholesky).
 * @example
 * tg.linalg.lstsq([[1, 0], [0, 1], [1, 1]], [[1], [2], [4]]); // [[1.333333], [2.333333]]  ((AᵀA)⁻¹Aᵀb = (4/3, 7/3))
 */
export function lstsq(a: TensorLike, b: TensorLike, options?: LstsqOptions): Tensor {
  const op = 'linalg.lstsq';
  const o = requireOptions<LstsqOptions>(op, options, ['l2Regularizer']);
  const lambda = o.l2Regularizer === undefined ? 0 : requireFiniteNumber(op, 'l2Regularizer', o.l2Regularizer);
  if (lambda < 0) throw new ArgumentError(`${op}: l2Regularizer must be >= 0, got ${lambda}`);
  const x = toTensor(op, a);
  const y = toTensor(op, b, x.dtype);
  requireFloat(op, x);
  requireFloat(op, y);
  if (x.dtype !== y.dtype) throw new DTypeError(`${op}: matrix and rhs differ in dtype: ${x.dtype} and ${y.dtype}`);
  if (x.rank < 2 || y.rank < 2 || y.shape[y.rank - 2] !== x.shape[x.rank - 2])
    throw new ShapeError(
      `${op}: expected matrix [..., m, n] and rhs [..., m, k], got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  const [m, n] = x.shape.slice(-2);
  const over = m >= n;
  // the regularised Gramian of the first kind (AᵀA, n × n) or the second (AAᵀ, m × m)
  let gram = over ? matmul(x, x, true, false) : matmul(x, x, false, true);
  if (lambda !== 0) gram = add(gram, mul(eye(over ? n : m, x.dtype), scalar(lambda, x.dtype)));
  const l = cholesky(gram);
  const cholSolve = (rhs: Tensor) => triangularSolve(l, triangularSolve(l, rhs), { adjoint: true });
  return over ? cholSolve(matmul(x, y, true, false)) : matmul(x, cholSolve(y), true, false);
}
